"""The `opa-comply` command: its sub-commands, in the order `--help` lists them."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

import typer
import typer.main

# typer (pinned) carries its own copy of click; its parser raises these.
from typer._click import core as click_core
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

from compliance_opa import __version__
from compliance_opa.cli.console import one_line, one_line_errors, stderr
from compliance_opa.engine.binary import PINNED_OPA_VERSION
from compliance_opa.errors import ExitCode
from compliance_opa.support.memory import return_large_blocks

_PLAN_HELP = "Judge Terraform plans (terraform show -json) before merge; same options as scan."
_DRIFT_HELP = (
    "Collect (the config's drift.collect), scan, compare with the last scan of the same"
    " scope, and send alerts for what is new and what was resolved; same options as scan."
)


@dataclass(frozen=True)
class _Entry:
    """A command as `--help` lists it: how to make its typer app, and whether that app
    is a group of sub-commands (kept a group even with one command: `policies list`)."""

    load: Callable[[], typer.Typer]
    group: bool = False

    def build(self, name: str) -> click_core.Command:
        made = self.load()
        command = typer.main.get_group(made) if self.group else typer.main.get_command(made)
        command.name = name
        return command


def _scan_command(kind: str, help_text: str | None = None) -> _Entry:
    def load() -> typer.Typer:
        from compliance_opa.app.scan import ScanKind
        from compliance_opa.cli.scan import command

        one = typer.Typer(add_completion=False)
        one.command(kind, help=help_text)(command(ScanKind(kind)))
        return one

    return _Entry(load)


def _single(module: str, attribute: str) -> _Entry:
    def load() -> typer.Typer:
        one = typer.Typer(add_completion=False)
        one.command()(getattr(importlib.import_module(module), attribute))
        return one

    return _Entry(load)


def _group(module: str, attribute: str) -> _Entry:
    def load() -> typer.Typer:
        group: typer.Typer = getattr(importlib.import_module(module), attribute)
        return group

    return _Entry(load, group=True)


def _version_app() -> typer.Typer:
    one = typer.Typer(add_completion=False)
    one.command("version")(version)
    return one


# Every command, in the order `--help` lists them (typer lists a group's single commands
# before its sub-groups), built only when invoked or listed: a command's module (and the
# services it imports) and typer's reading of its options' signatures cost some 0.1-0.3 s
# that running another command never needs.
_COMMANDS: dict[str, _Entry] = {
    "scan": _scan_command("scan"),
    "plan": _scan_command("plan", _PLAN_HELP),
    "drift": _scan_command("drift", _DRIFT_HELP),
    "report": _single("compliance_opa.cli.report", "report_command"),
    "serve": _single("compliance_opa.cli.serve", "serve_command"),
    "token": _single("compliance_opa.cli.serve", "token_command"),
    "version": _Entry(_version_app),
    "collect": _group("compliance_opa.cli.collect", "collect_app"),
    "evidence": _group("compliance_opa.cli.evidence", "evidence_app"),
    "remediate": _group("compliance_opa.cli.remediate", "remediate_app"),
    "alerts": _group("compliance_opa.cli.alerts", "alerts_app"),
    "policies": _group("compliance_opa.cli.policies", "policies_app"),
}


class _Commands(MutableMapping[str, click_core.Command]):
    """click's table of sub-commands, each made the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, click_core.Command] = {}

    def __getitem__(self, name: str) -> click_core.Command:
        if name not in self._built:
            entry = _COMMANDS[name]  # KeyError: no such command
            try:
                self._built[name] = entry.build(name)
            except KeyError as exc:  # a bug in a command's module, not "no such command"
                raise RuntimeError(f"building command {name!r}: {exc!r}") from exc
        return self._built[name]

    def __setitem__(self, name: str, command: click_core.Command) -> None:
        self._built[name] = command  # click's add_command: kept, listed after ours

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*_COMMANDS, *(n for n in self._built if n not in _COMMANDS)])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _LazyGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands()

    def list_commands(self, ctx: click_core.Context) -> list[str]:
        return list(self.commands)  # names only: listing builds nothing


app = typer.Typer(
    cls=_LazyGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=(
        "Policy-as-code compliance checks (GDPR, HIPAA, PCI DSS, SOC 2, ISO 27001)"
        " on Open Policy Agent."
    ),
)


@app.callback()
def _root() -> None:
    # Typer builds a group (our _LazyGroup) only for an app with a callback.
    pass


@one_line_errors
def version() -> int:
    """Print opa-comply's version and the OPA version it pins."""
    typer.echo(f"opa-comply {__version__} (OPA pinned: v{PINNED_OPA_VERSION})")
    return ExitCode.OK


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C, so context managers stop the sidecar.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    return_large_blocks()
    code = _run_app()
    if code == ExitCode.INTERRUPTED:
        # Everything was unwound on the way here (sidecar stopped, store closed). Exit at
        # once: when the signal landed inside exec() (the compiled schema validators,
        # dataclasses), CPython would otherwise end the process with SIGINT, not 130.
        if sys.stdout is not None:
            sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
    sys.exit(code)


def _run_app() -> int:
    """Run the command; a usage error is the same one line as any other error (typer's
    own would be a box of several lines), exit 2."""
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:  # no command given: the help
        # Imported here: rich's help formatting (rich.markdown, pygments) costs about
        # 40 ms that a command never needs; typer itself imports it lazily too.
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
        return exc.exit_code
    except click_errors.ClickException as exc:
        context = getattr(exc, "ctx", None)
        where = f" (see `{_command_of(context)} --help`)" if context is not None else ""
        message = one_line(exc.format_message())
        stderr().print(f"opa-comply: error: {message}{where}", markup=False)
        return ExitCode.BAD_INPUT
    except typer.Abort:
        stderr().print("opa-comply: interrupted", markup=False)
        return ExitCode.INTERRUPTED
    return code if isinstance(code, int) else ExitCode.OK


def _command_of(context: click_core.Context) -> str:
    """`opa-comply alerts list`, however the program was started (`python -m ...`)."""
    names: list[str] = []
    while context.parent is not None:
        names.insert(0, context.info_name or "")
        context = context.parent
    return " ".join(["opa-comply", *names])
