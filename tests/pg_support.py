"""Real PostgreSQL clusters for the collector tests, started as processes on loopback.

The server refuses to run as root, so as root every server command runs as the
`postgres` user (Debian's packages create it); as anyone else, as that user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import trustme

from tests.conftest import free_port

SUPERUSER_PASSWORD = "super-secret-pw-9b1c"


def pg_bin() -> Path:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    assert versions, (
        "make test installs PostgreSQL from Debian's packages (scripts/install-postgres.sh)"
    )
    return versions[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    name: str
    port: int
    root: Path
    data: Path

    def dsn(
        self,
        database: str = "postgres",
        user: str = "postgres",
        password: str = SUPERUSER_PASSWORD,
        **extra: str,
    ) -> str:
        parts = {
            "host": "127.0.0.1",
            "port": str(self.port),
            "dbname": database,
            "user": user,
            "password": password,
            **extra,
        }
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def uri(
        self, database: str = "postgres", user: str = "postgres", password: str = SUPERUSER_PASSWORD
    ) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def execute(self, statements: str, database: str = "postgres") -> None:
        connection = psycopg2.connect(self.dsn(database, sslmode="prefer"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statements)
        finally:
            connection.close()

    def query(self, statement: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        connection = psycopg2.connect(self.dsn(database, sslmode="prefer"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                rows: list[tuple[Any, ...]] = cursor.fetchall()
                return rows
        finally:
            connection.close()

    def stop(self) -> None:
        subprocess.run(
            _as_server_user(
                [str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(name: str, settings: dict[str, str], hba: str, tls: bool) -> Cluster:
    root = Path(tempfile.mkdtemp(prefix=f"opa-comply-pg-{name}-"))
    data = root / "data"
    port = free_port()
    password_file = root / "pw"
    password_file.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(password_file, "postgres", "postgres")
    initdb = [
        str(pg_bin() / "initdb"), "-D", str(data), "-U", "postgres", f"--pwfile={password_file}",
        "--auth-local=peer", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale",
    ]  # fmt: skip
    subprocess.run(_as_server_user(initdb), capture_output=True, check=True, timeout=120)
    config = {
        "port": str(port),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{root}'",
        "fsync": "off",  # a test cluster: speed over durability
        **settings,
    }
    if tls:
        authority = trustme.CA()
        certificate = authority.issue_cert("localhost", "127.0.0.1")
        certificate.cert_chain_pems[0].write_to_path(str(data / "server.crt"))
        certificate.private_key_pem.write_to_path(str(data / "server.key"))
        os.chmod(data / "server.key", 0o600)
        if os.geteuid() == 0:
            for file in ("server.crt", "server.key"):
                shutil.chown(data / file, "postgres", "postgres")
        config |= {"ssl": "on", "ssl_cert_file": "'server.crt'", "ssl_key_file": "'server.key'"}
    with (data / "postgresql.conf").open("a") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in config.items())
    (data / "pg_hba.conf").write_text(hba)
    log = root / "server.log"
    start = [str(pg_bin() / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"]
    started = subprocess.run(
        _as_server_user(start), capture_output=True, text=True, check=False, timeout=90
    )
    cluster = Cluster(name, port, root, data)
    if started.returncode != 0:
        output = log.read_text() if log.exists() else started.stderr
        cluster.stop()
        raise RuntimeError(f"cluster {name} did not start: {output[-2000:]}")
    deadline = time.monotonic() + 30
    while True:
        try:
            cluster.query("SELECT 1")
            return cluster
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                cluster.stop()
                raise
            time.sleep(0.2)
