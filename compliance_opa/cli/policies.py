"""`policies list`: the checks the OPA in use has loaded."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from compliance_opa.app.policies import list_checks
from compliance_opa.cli.console import draw_to_stdout, one_line_errors, to_stdout
from compliance_opa.cli.options import (
    CaBundleOption,
    FrameworkOption,
    ListFormat,
    OpaUrlOption,
    PoliciesOption,
)
from compliance_opa.cli.views.checks import print_table
from compliance_opa.engine.connect import EngineSettings, clean_token
from compliance_opa.errors import ExitCode
from compliance_opa.reports.checks import as_json, as_markdown

policies_app = typer.Typer(no_args_is_help=True, help="Inspect the loaded checks.")


@policies_app.command("list")
@one_line_errors
def policies_list(
    framework: FrameworkOption = None,
    list_format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    opa_url: OpaUrlOption = None,
    opa_ca_bundle: CaBundleOption = None,
    policies: PoliciesOption = None,
) -> int:
    """List the checks with their severity, resource types and controls."""
    settings = EngineSettings(
        opa_url=opa_url,
        token=clean_token(os.environ.get("OPA_TOKEN")),
        ca_bundle=opa_ca_bundle,
        policies=policies,
    )
    checks = list_checks(settings, list(dict.fromkeys(f.value for f in framework or [])))
    if list_format is ListFormat.table:
        draw_to_stdout(lambda console: print_table(checks, console))
    else:
        to_stdout(as_json(checks) if list_format is ListFormat.json else as_markdown(checks))
    return ExitCode.OK
