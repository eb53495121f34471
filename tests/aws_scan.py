"""The steps every moto end-to-end AWS test repeats: provision an estate, scan it with the
real CLI, read the report as failing or indeterminate check ids per resource, compare them
with the estate's expectations, check the sources, and watch the calls one collection makes
to hold them against the least-privilege policy. Each test file keeps its own estate, types
and special assertions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collectors.aws import AwsOptions, collect_aws
from collectors.aws.services import SERVICES
from compliance_opa.inventory.load import load_inventory
from tests.aws_estate import Estate
from tests.aws_support import BASE_ENV, MotoServer, aws_env, least_privilege_gaps, serve_moto
from tests.conftest import CliResult, run_cli

# (account, region, type, name): how an estate names the resources it expects.
Key = tuple[str, str | None, str, str]


@dataclass(frozen=True)
class Scanned:
    result: CliResult
    snapshot: dict[str, Any]
    report: dict[str, Any]


@contextmanager
def base_credentials() -> Iterator[None]:
    """The base session's static credentials in this process's environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        yield


def provision_on(moto: MotoServer, provision: Callable[[str], Estate]) -> Estate:
    """A fresh moto, provisioned with the base credentials."""
    moto.reset()
    with base_credentials():
        return provision(moto.url)


def estate_fixtures(
    provision: Callable[[str], Estate],
    *,
    services: tuple[str, ...],
    regions: tuple[str, ...],
    role_arns: tuple[str, ...] = (),
    extra: tuple[str, ...] = (),
    moto_env: Mapping[str, str] | None = None,
) -> tuple[Any, Any, Any]:
    """A test module's three module-scoped fixtures, assigned to module names:
    `moto, estate, scanned = estate_fixtures(...)`. moto: its own server (`moto_env` adds
    settings the server reads at start); estate: provisioned by `provision` into it;
    scanned: the estate scanned by the real CLI with these services, regions and roles."""

    @pytest.fixture(scope="module")
    def moto() -> Iterator[MotoServer]:
        yield from serve_moto(moto_env)

    @pytest.fixture(scope="module")
    def estate(moto: MotoServer) -> Estate:
        return provision_on(moto, provision)

    @pytest.fixture(scope="module")
    def scanned(
        moto: MotoServer, estate: Estate, tmp_path_factory: pytest.TempPathFactory
    ) -> Scanned:
        folder = tmp_path_factory.mktemp("aws-scan")
        return scan_estate(
            moto.url, folder, services=services, regions=regions, role_arns=role_arns, extra=extra
        )

    return moto, estate, scanned


def scan_estate(
    url: str,
    folder: Path,
    *,
    services: Iterable[str],
    regions: Iterable[str],
    role_arns: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> Scanned:
    """`opa-comply scan --collect aws` of the estate, with its snapshot and JSON report."""
    result = run_cli(
        "scan", "--collect", "aws", "--endpoint-url", url,
        *(arg for region in regions for arg in ("--region", region)),
        *(arg for role in role_arns for arg in ("--role-arn", role)),
        "--services", ",".join(services), *extra,
        "--save-snapshot", folder / "snapshot.json",
        "--format", "json", "--output", folder / "report.json",
        env=aws_env(), timeout=300,
    )  # fmt: skip
    assert result.code == 1, result.stderr  # findings at or above low
    return Scanned(
        result,
        json.loads((folder / "snapshot.json").read_text()),
        json.loads((folder / "report.json").read_text()),
    )


def resource_key(resource: dict[str, Any]) -> Key:
    return (resource["account"], resource["region"], resource["type"], resource["name"])


def outcomes(
    scanned: Scanned, status: str, key: Callable[[dict[str, Any]], Key] = resource_key
) -> dict[Key, set[str]]:
    """The check ids with this status per collected resource (an empty set for the others)."""
    by_address = {r["address"]: r for r in scanned.snapshot["resources"]}
    found: dict[Key, set[str]] = {key(r): set() for r in scanned.snapshot["resources"]}
    for finding in scanned.report["findings"]:
        if finding["status"] == status:
            found[key(by_address[finding["resource"]])].add(finding["check_id"])
    return found


def assert_judged_exactly(
    scanned: Scanned, estate: Estate, key: Callable[[dict[str, Any]], Key] = resource_key
) -> None:
    """Every provisioned resource was collected, and fails and is undecided on exactly the
    checks the estate expects."""
    failed = outcomes(scanned, "fail", key)
    assert set(failed) == set(estate.expected), "collected resources differ from those provisioned"
    wrong = {
        k: (sorted(estate.expected[k]), sorted(v))
        for k, v in failed.items()
        if v != estate.expected[k]
    }
    assert wrong == {}, "resource: (expected failures, actual failures)"
    undecided = {k: v for k, v in outcomes(scanned, "indeterminate", key).items() if v}
    assert undecided == estate.undecided


def assert_schema_valid(snapshot: dict[str, Any], folder: Path) -> None:
    path = folder / "snapshot.json"
    path.write_text(json.dumps(snapshot))
    load_inventory(path)  # raises on any schema violation


def expected_scopes(
    accounts: Iterable[str], services: Iterable[str], regions: Iterable[str]
) -> set[str]:
    """The source scopes a collection of these services makes: one per region, or one
    `global` for a global service, in every account."""
    regions = tuple(regions)
    return {
        f"{account}/{name}/{region}"
        for account in accounts
        for name in services
        for region in (("global",) if SERVICES[name].is_global else regions)
    }


def assert_sources_complete(
    scanned: Scanned, accounts: Iterable[str], services: Iterable[str], regions: Iterable[str]
) -> None:
    sources = scanned.snapshot["sources"]
    assert {s["scope"] for s in sources} == expected_scopes(accounts, services, regions)
    assert {s["status"] for s in sources} == {"complete"}, sources
    assert scanned.report["summary"]["collection"]["complete"] is True


def calls_of(
    url: str,
    *,
    services: tuple[str, ...],
    regions: tuple[str, ...],
    role_arns: tuple[str, ...] = (),
) -> tuple[set[tuple[str, str]], dict[str, Any]]:
    """The (service, operation) calls one collection made, and its snapshot."""
    calls: set[tuple[str, str]] = set()
    with base_credentials():
        snapshot = collect_aws(
            AwsOptions(regions=regions, role_arns=role_arns, endpoint_url=url, services=services),
            observer=lambda service, operation: calls.add((service, operation)),
        )
    return calls, snapshot


def assert_least_privilege(calls: set[tuple[str, str]], services: Iterable[str]) -> None:
    undeclared, unused = least_privilege_gaps(calls, services)
    assert undeclared == set(), "calls their service does not declare"
    assert unused == set(), "declared actions the collector never uses"
