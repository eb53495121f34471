"""Options and choices shared by several commands."""

from __future__ import annotations

from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer

from collectors.aws.options import RETRY_MODES
from compliance_opa.collect.registry import names as collector_names
from compliance_opa.domain.findings import FRAMEWORKS

Framework = Enum("Framework", {f: f for f in FRAMEWORKS}, type=str)  # type: ignore[misc]


class FailOn(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    none = "none"


# The live sources: one per registered collector.
LiveSource = StrEnum("LiveSource", {n: n for n in collector_names()})  # type: ignore[misc]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    oscal = "oscal"
    pr_comment = "pr-comment"
    data_map = "data-map"
    data_map_csv = "data-map-csv"


# Options shared by `scan` and `policies list`.
FrameworkOption = Annotated[
    list[Framework] | None,
    typer.Option("--framework", help="Only checks mapped to this framework (repeatable)."),
]
OpaUrlOption = Annotated[
    str | None,
    typer.Option(envvar="OPA_URL", help="Use this OPA server instead of the managed sidecar."),
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(envvar="OPA_CA_BUNDLE", help="CA bundle to verify a remote OPA's TLS."),
]
PoliciesOption = Annotated[
    Path | None,
    typer.Option(help="Policy directory for the managed sidecar (default: bundled policies)."),
]


# Options shared by `collect aws` and `scan --collect aws`; they override the config's `aws:`.
ProfileOption = Annotated[str | None, typer.Option(help="AWS profile (default: AWS_PROFILE).")]
RegionOption = Annotated[
    list[str] | None,
    typer.Option("--region", help="Region to collect (repeatable; default: the profile's)."),
]
AllRegionsOption = Annotated[
    bool, typer.Option("--all-regions", help="Collect every region the account has enabled.")
]
RoleArnOption = Annotated[
    list[str] | None,
    typer.Option("--role-arn", help="Assume this role and collect its account (repeatable)."),
]
ExternalIdOption = Annotated[
    str | None,
    typer.Option(envvar="OPA_COMPLY_AWS_EXTERNAL_ID", help="External id for --role-arn."),
]
EndpointUrlOption = Annotated[
    str | None, typer.Option(help="Send every AWS call to this endpoint (proxies, emulators).")
]
ServicesOption = Annotated[
    str | None, typer.Option(help="Comma-separated services to collect (default: all).")
]
RetryMode = StrEnum("RetryMode", {m: m for m in RETRY_MODES})  # type: ignore[misc]
RetryModeOption = Annotated[
    RetryMode | None, typer.Option(help="botocore retry mode (default: standard).")
]
MaxAttemptsOption = Annotated[
    int | None, typer.Option(min=1, max=20, help="Attempts per AWS call (default: 5).")
]
MaxWorkersOption = Annotated[
    int | None, typer.Option(min=1, max=64, help="Concurrent AWS collections (default: 8).")
]
# Options shared by `collect postgres` and `scan --collect postgres`.
DsnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dsn",
        help="Server to collect: postgresql:// URI or key=value string (repeatable; never"
        " echoed). Default: OPA_COMPLY_POSTGRES_DSN, then the config's postgres.dsns.",
    ),
]
DsnEnvOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dsn-env",
        metavar="NAME",
        help="Server to collect: the DSN in this environment variable (repeatable; keeps a"
        " password out of `ps`, unlike --dsn).",
    ),
]
DatabaseOption = Annotated[
    list[str] | None,
    typer.Option("--database", help="Only this database (repeatable; default: all)."),
]
SampleRowsOption = Annotated[
    int | None,
    typer.Option(min=0, max=100_000, help="Sample this many rows per table to classify columns."),
]
ExcludeSchemaOption = Annotated[
    list[str] | None, typer.Option("--exclude-schema", help="Skip this schema (repeatable).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress or gap lines.")]
StateOption = Annotated[
    str | None,
    typer.Option(
        envvar="OPA_COMPLY_STATE",
        help="State store: a SQLite path or sqlite:///path, or postgresql://... (default:"
        " $XDG_STATE_HOME/opa-comply/state.db).",
    ),
]
PublishOption = Annotated[
    str | None,
    typer.Option(
        "--publish",
        help="Upload the written reports to s3://bucket/prefix (SSE-KMS) and print presigned"
        " links (config publish: kms_key_id, expires_seconds, at most 7 days).",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(help="YAML config: `parameters:` for the checks, `aws:` for collection."),
]


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
