"""Where fixes write: AWS clients and PostgreSQL connections from the config's
`remediation:` section, opened on first use, never from the collector's settings."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from psycopg2.extensions import parse_dsn

from collectors.postgres.dsn import parse_target
from compliance_opa.app.recollect import postgres_source
from compliance_opa.collect.registry import collector
from compliance_opa.config.load import Config
from compliance_opa.errors import EngineError, InputError
from compliance_opa.support.printable import exception_line
from remediators.base import Fixer


class Targets:
    """The write side of one command; connections are closed on the way out."""

    def __init__(self, loaded: Config, environ: Mapping[str, str]) -> None:
        self.loaded = loaded
        self.environ = environ
        self._aws: Any = None
        self._aws_account: str | None = None
        self._connections: dict[tuple[str, str], Any] = {}

    def __enter__(self) -> Targets:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def open(self, fixer: Fixer, resource: dict[str, Any]) -> Any:
        if fixer.platform == "aws":
            clients = self._aws_clients()
            self._same_account(clients, resource)
            return clients
        return self._postgres(resource)

    def _same_account(self, clients: Any, resource: dict[str, Any]) -> None:
        """The remediation credentials must act in the resource's own account: an
        account-wide fix (a password policy) would otherwise change another account."""
        if self._aws_account is None:
            try:
                identity = clients.client("sts", "").get_caller_identity()
            except Exception as exc:  # unreachable, refused, no credentials: one line
                raise EngineError(
                    "remediation.aws: cannot tell which account the credentials act in:"
                    f" {exception_line(exc)}"
                ) from exc
            self._aws_account = str(identity.get("Account", ""))
        account = str(resource.get("account") or "")
        if account != self._aws_account:
            raise InputError(
                f"{resource.get('address')}: in account {account or '(none)'}, but the"
                f" remediation credentials act in account {self._aws_account}"
            )

    def commit(self, target: Any) -> None:
        if target in self._connections.values():
            target.commit()

    def abandon(self, target: Any) -> None:
        if target in self._connections.values():
            target.rollback()

    def _aws_clients(self) -> Any:
        if self._aws is None:
            from remediators.aws.clients import RemediationClients, options_from_config

            section = self.loaded.remediation.get("aws")
            if not section:
                raise InputError(
                    "remediation.aws: not configured; fixes write with their own credentials"
                    " (a profile or role_arn granted remediators/aws/iam-policy.json), never"
                    " the collector's"
                )
            options = options_from_config(section)
            collector_side = self.loaded.aws
            if options.role_arn is None and options.profile == collector_side.get("profile"):
                raise InputError(
                    f"remediation.aws.profile {options.profile!r} is the collector's profile;"
                    " remediation needs its own credentials"
                )
            # IAM role names are unique whatever their case.
            collector_roles = {r.lower() for r in collector_side.get("role_arns") or ()}
            if options.role_arn is not None and options.role_arn.lower() in collector_roles:
                raise InputError(
                    f"remediation.aws.role_arn {options.role_arn}: the collector's role;"
                    " remediation needs its own role"
                )
            self._aws = RemediationClients(options)
        return self._aws

    def _postgres(self, resource: dict[str, Any]) -> Any:
        from remediators.postgres.connect import PostgresRemediationOptions, connect

        server, database = postgres_source(str(resource.get("source") or ""))
        if not database:
            database = _dsn_database(self._collector_dsns(), server)
        if (server, database) in self._connections:
            return self._connections[(server, database)]
        section = self.loaded.remediation.get("postgres") or {}
        options = PostgresRemediationOptions(**section)
        dsn = self.environ.get(options.dsn_env, "")
        try:
            where = parse_target(dsn, 0).server if dsn.strip() else server
        except InputError:
            where = server  # connect() words an unreadable DSN, naming the variable
        if where != server:
            # Fixing a same-named database on another server would be the wrong one.
            raise InputError(
                f"{options.dsn_env}: connects to {where}, not to {server}"
                f" where {resource.get('address')} is"
            )
        users = {parse_dsn(d).get("user", "") for d in self._collector_dsns()} - {""}
        connection = connect(options, self.environ, database, users)
        self._connections[(server, database)] = connection
        return connection

    def _collector_dsns(self) -> tuple[str, ...]:
        options = collector("postgres").options(self.loaded.postgres, None, self.environ)
        return tuple(options.dsns)


def _dsn_database(dsns: tuple[str, ...], server: str) -> str:
    """The database a server-wide object (a role) is fixed from: the collector DSN's."""
    for position, dsn in enumerate(dsns):
        target = parse_target(dsn, position)
        if target.server == server:
            return str(target.params.get("dbname") or "postgres")
    return "postgres"
