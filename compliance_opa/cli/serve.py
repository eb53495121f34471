"""`opa-comply serve` (the compliance service) and `opa-comply token` (a token for it)."""

from __future__ import annotations

import os
import secrets
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance_opa.cli.console import one_line_errors
from compliance_opa.cli.options import CaBundleOption, ConfigOption, OpaUrlOption, PoliciesOption
from compliance_opa.config.load import Config, load_config
from compliance_opa.config.serve import SCOPES, ServeSettings
from compliance_opa.engine.connect import EngineSettings, clean_token
from compliance_opa.errors import ExitCode, InputError


@one_line_errors
def serve_command(
    config: ConfigOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8080,
    state: Annotated[
        str | None,
        typer.Option(
            envvar="OPA_COMPLY_STATE",  # a PostgreSQL URL may hold a password: not in argv
            help="State store: a path, sqlite:///path or postgresql://...",
        ),
    ] = None,
    opa_url: OpaUrlOption = None,
    opa_ca_bundle: CaBundleOption = None,
    policies: PoliciesOption = None,
    opa_timeout: Annotated[float, typer.Option(help="Seconds per OPA query.")] = 30.0,
    tls_cert: Annotated[
        Path | None, typer.Option(help="Serve HTTPS with this certificate.")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="The certificate's private key.")] = None,
    log_level: Annotated[
        str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug.")
    ] = "info",
) -> int:
    """Serve the validation API, the HCP Terraform run task, the dashboard and /metrics."""
    # Deferred: the other commands need none of the server's libraries.
    from compliance_opa.service.app import create_app
    from compliance_opa.service.context import Service
    from compliance_opa.service.engine import WarmEngine
    from compliance_opa.service.server import Listen, bind, serve

    if log_level not in ("critical", "error", "warning", "info", "debug"):
        raise InputError(
            f"--log-level {log_level}: expected critical, error, warning, info or debug"
        )
    loaded = load_config(config) if config is not None else Config()
    settings = ServeSettings.from_section(loaded.serve)
    if not settings.tokens:
        where = f"{config}: " if config is not None else ""
        raise InputError(
            f"{where}serve.tokens: no token configured; every endpoint but /healthz needs one"
            " (`opa-comply token --scope read --scope validate` makes one)"
        )
    listen = Listen(host, port, tls_cert, tls_key, log_level)
    listen.check()
    engine = WarmEngine(
        EngineSettings(
            opa_url=opa_url,
            token=clean_token(os.environ.get("OPA_TOKEN")),
            ca_bundle=opa_ca_bundle,
            timeout=opa_timeout,
            policies=policies,
        )
    )
    service = Service(settings, loaded, config, state or loaded.state.get("url"), engine)
    with service.store():  # a bad or locked store is refused before anything starts
        pass
    sock = bind(listen)
    try:
        engine.start()
        bound = sock.getsockname()
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]

        def started() -> None:
            print(
                f"opa-comply serve: listening on {listen.scheme}://{shown}:{bound[1]}",
                file=sys.stderr,
                flush=True,
            )

        # uvicorn handles SIGTERM and SIGINT itself (graceful shutdown), then raises the
        # signal again once done: by then there is nothing left to interrupt.
        signal.signal(signal.SIGTERM, lambda *_: None)
        signal.signal(signal.SIGINT, lambda *_: None)
        serve(create_app(service), listen, sock, started)
    finally:
        engine.stop()
        service.stores.close()
        sock.close()
    return ExitCode.OK


@one_line_errors
def token_command(
    scope: Annotated[
        list[str],
        typer.Option("--scope", help=f"Scope to grant (repeatable): {', '.join(SCOPES)}."),
    ],
    name: Annotated[str, typer.Option(help="The token's name in logs and metrics.")] = "token",
) -> int:
    """Make a random token for `opa-comply serve`: prints the token (give it to the client)
    and the config entry holding its hash (the token itself is never stored)."""
    from compliance_opa.service.auth import token_hash

    unknown = [s for s in scope if s not in SCOPES]
    if unknown:
        raise InputError(f"--scope {unknown[0]}: expected one of {', '.join(SCOPES)}")
    token = secrets.token_urlsafe(32)
    typer.echo(f"token: {token}")
    typer.echo("config (serve.tokens):")
    typer.echo(f"  - name: {name}")
    typer.echo(f"    sha256: {token_hash(token)}")
    typer.echo(f"    scopes: [{', '.join(dict.fromkeys(scope))}]")
    return ExitCode.OK
