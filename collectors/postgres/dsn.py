"""Connection strings: parsed by libpq's rules, shown only with the password removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import psycopg2
from psycopg2.extensions import make_dsn, parse_dsn

from compliance_opa.errors import InputError


@dataclass(frozen=True)
class Target:
    """One server to collect, from one DSN."""

    dsn: str = field(repr=False)  # as given; holds the password, so never printed
    params: dict[str, str] = field(repr=False)
    # The databases to collect when several DSNs named this server (else: all, or --database).
    databases: tuple[str, ...] = ()

    @property
    def connection_params(self) -> dict[str, str]:
        """Everything but the database: what two DSNs of one server must agree on."""
        return {k: v for k, v in self.params.items() if k != "dbname"}

    @property
    def host(self) -> str:
        host = self.params.get("host") or self.params.get("hostaddr") or "localhost"
        return "localhost" if host.startswith("/") else host.split(",")[0]

    @property
    def port(self) -> str:
        return (self.params.get("port") or "5432").split(",")[0]

    @property
    def server(self) -> str:
        """The server's address in the inventory: postgresql://host:port."""
        return f"postgresql://{quote(self.host, safe='.:[]')}:{self.port}"

    @property
    def display(self) -> str:
        """The DSN for people: user, host, port and database, never the password."""
        user = self.params.get("user")
        who = f"{quote(user, safe='')}@" if user else ""
        database = self.params.get("dbname", "")
        return f"postgresql://{who}{quote(self.host, safe='.:[]')}:{self.port}/{database}"

    def for_database(self, database: str) -> str:
        return str(make_dsn(self.dsn, dbname=database))

    def redact(self, text: str) -> str:
        """Text (an error message) with the password, if any, taken out."""
        password = self.params.get("password")
        redacted = text.replace(self.dsn, self.display)
        return redacted.replace(password, "****") if password else redacted


def parse_target(dsn: str, position: int) -> Target:
    try:
        params = parse_dsn(dsn)
    except psycopg2.ProgrammingError:
        # libpq's message can quote the string, password included: say where, not what.
        raise InputError(
            f"--dsn #{position}: not a connection URI (postgresql://...) or key=value string"
        ) from None
    return Target(dsn, {k: str(v) for k, v in params.items()})


def has_password(dsn: str) -> bool:
    """Whether a DSN carries a password (a DSN libpq cannot parse is worded elsewhere)."""
    try:
        return bool(parse_dsn(dsn).get("password"))
    except psycopg2.ProgrammingError:
        return False
