"""Collect a few resources again and judge them, with the collector's own (read-only)
credentials: a remediation proposal is made against the resource as it is now, and a
fix is verified the same way a scan would see it.

A resource is collected through the source scope it was recorded under
(`account/service/region` for AWS, `postgresql://host:port/database` or
`postgresql://host:port` for PostgreSQL),
so only that service in that region, or that database, is read again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from compliance_opa.app.evaluate import run_scan
from compliance_opa.collect.base import CollectProgress
from compliance_opa.collect.registry import collector
from compliance_opa.config.load import Config
from compliance_opa.domain.findings import Status
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory

PLATFORM_COLLECTOR = {"aws": "aws", "postgres": "postgres"}


@dataclass(frozen=True)
class Located:
    address: str
    platform: str  # aws | postgres
    source: str  # the sources[] scope it was collected under


@dataclass(frozen=True)
class Judged:
    """One resource as collected now, and the verdicts of the checks on it."""

    resource: dict[str, Any] | None  # None: not found where it was
    complete: bool  # its source was collected completely (else nothing is certain)
    failing: frozenset[str]  # check ids failing (or indeterminate) on it
    evaluated: frozenset[str]  # check ids that judged it


def recollect(
    loaded: Config,
    environ: Mapping[str, str],
    client: Evaluator,
    wanted: Sequence[Located],
    parameters: dict[str, Any] | None = None,
) -> dict[str, Judged]:
    """Each wanted resource collected again and judged, by address."""
    judged: dict[str, Judged] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for item in wanted:
        groups.setdefault((item.platform, item.source), []).append(item.address)
    with tempfile.TemporaryDirectory(prefix="opa-comply-recollect-") as folder:
        for number, ((platform, source), addresses) in enumerate(sorted(groups.items())):
            path = Path(folder) / f"{number}.json"
            options = _narrowed(loaded, environ, platform, source)
            collector(PLATFORM_COLLECTOR[platform]).collect(options, path, CollectProgress())
            inventory = load_inventory(path, stream=False)
            complete = _complete(platform, source, inventory.sources)
            kept = [r for r in inventory.resources if r["address"] in set(addresses)]
            found = {str(r["address"]): r for r in kept}
            # Only the resources asked about go to OPA: a check judges one at a time.
            inventory.document["resources"] = kept
            report = run_scan([inventory], client, parameters=parameters, summarize=False)
            for address in addresses:
                failing = frozenset(
                    f.check.check_id
                    for f in report.findings
                    if f.resource == address and f.status in (Status.FAIL, Status.INDETERMINATE)
                )
                evaluated = frozenset(
                    r.check.check_id for r in report.results if address in r.evaluated
                )
                judged[address] = Judged(found.get(address), complete, failing, evaluated)
    return judged


def _narrowed(loaded: Config, environ: Mapping[str, str], platform: str, source: str) -> Any:
    """The collector's options from the config, narrowed to one source scope."""
    source_of = collector(PLATFORM_COLLECTOR[platform])
    if platform == "aws":
        options = source_of.options(loaded.aws, None, environ)
        parts = source.split("/")
        if len(parts) != 3:
            raise InputError(f"{source}: not an AWS source scope (account/service/region)")
        account, service, region = parts
        roles = tuple(r for r in options.role_arns if r.split(":")[4:5] == [account])
        if options.role_arns and not roles:
            raise InputError(f"{source}: no collector role (aws.role_arns) is in account {account}")
        return replace(
            options,
            services=(service,),
            regions=options.regions if region == "global" else (region,),
            all_regions=options.all_regions and region == "global",
            role_arns=roles,
        )
    options = source_of.options(loaded.postgres, None, environ)
    _, database = postgres_source(source)
    return replace(options, databases=(database,) if database else options.databases)


# The parts of a server the collector reads with the server itself (sources
# `postgresql://host:port/roles`, `.../hba`): not databases.
SERVER_PARTS = ("roles", "hba", "settings")


def postgres_source(source: str) -> tuple[str, str]:
    """(server, database) of a PostgreSQL source scope: `postgresql://host:port[/database]`
    (database "" for the server's own objects: roles, pg_hba.conf rules, settings)."""
    scheme = "postgresql://"
    if not source.startswith(scheme):
        raise InputError(f"{source}: not a PostgreSQL source scope (postgresql://host:port/db)")
    host_port, _, database = source[len(scheme) :].partition("/")
    return scheme + host_port, "" if database in SERVER_PARTS else database


def _complete(platform: str, source: str, sources: list[dict[str, Any]]) -> bool:
    """Whether the source that vouches for the resource was collected completely; a
    server's own objects need the server's source complete and their part not degraded."""
    status: dict[str, list[str]] = {}
    for item in sources:
        status.setdefault(str(item.get("scope")), []).append(str(item.get("status")))
    if platform == "postgres":
        server, database = postgres_source(source)
        if not database:
            return status.get(server) == ["complete"] and all(
                s == "complete" for s in status.get(source, ["complete"])
            )
    return status.get(source) == ["complete"]
