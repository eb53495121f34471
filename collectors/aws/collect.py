"""Collect AWS accounts into one snapshot: accounts x services x regions on a bounded pool."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from collectors.aws.accounts import Account, CallObserver, resolve_accounts
from collectors.aws.failures import classify
from collectors.aws.options import RETRY_MODES, AwsOptions
from collectors.aws.services import SERVICES
from collectors.aws.services.base import GLOBAL, Collection, Service
from collectors.snapshot import Source, build_snapshot, single_resource_snapshot
from compliance_opa.errors import InputError
from compliance_opa.inventory.schema import validate_document

ENABLED_OPT_IN = ("opt-in-not-required", "opted-in")
MAX_LISTED_PROBLEMS = 3

# Told of each finished unit, for progress display: (source, resources collected).
ProgressCallback = Callable[[Source, int], None]


@dataclass(frozen=True)
class _Unit:
    account: Account
    service: Service
    region: str


REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def check_options(options: AwsOptions) -> None:
    if options.endpoint_url is not None and not re.match(
        r"^https?://[^/\s]+", options.endpoint_url
    ):
        raise InputError(f"--endpoint-url {options.endpoint_url}: expected an http(s):// URL")
    if options.all_regions and options.regions:
        raise InputError("--all-regions and --region: give one or the other")
    for region in options.regions:
        if not REGION_NAME.match(region):
            raise InputError(f"--region {region}: not an AWS region name (like eu-west-1)")
    unknown = sorted(set(options.services) - set(SERVICES))
    if unknown:
        known = ", ".join(sorted(SERVICES))
        raise InputError(f"--services: unknown service {unknown[0]!r} (known: {known})")
    if options.retry_mode not in RETRY_MODES:
        raise InputError(f"--retry-mode {options.retry_mode}: expected standard or adaptive")
    if options.max_attempts < 1:
        raise InputError("--max-attempts: must be 1 or more")
    if options.max_workers < 1:
        raise InputError("--max-workers: must be 1 or more")
    accounts: dict[str, str] = {}
    for role_arn in dict.fromkeys(options.role_arns):
        account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else role_arn
        if account in accounts:
            raise InputError(
                f"--role-arn {role_arn}: account {account} is already collected through"
                f" {accounts[account]}; give one role per account"
            )
        accounts[account] = role_arn


def collect_aws(
    options: AwsOptions,
    on_planned: Callable[[int], None] | None = None,
    on_done: ProgressCallback | None = None,
    observer: CallObserver | None = None,
) -> dict[str, Any]:
    """A snapshot of every selected account, service and region; failures become sources."""
    check_options(options)
    # Repeating a region or role would collect the same resources twice.
    options = replace(
        options,
        regions=tuple(dict.fromkeys(options.regions)),
        role_arns=tuple(dict.fromkeys(options.role_arns)),
        services=tuple(dict.fromkeys(options.services)),
    )
    collected_at = datetime.now(UTC).replace(microsecond=0)
    accounts, refused = resolve_accounts(options, observer)
    sources = [
        Source("aws", f"{account}/sts", status, detail) for account, status, detail in refused
    ]
    units: list[_Unit] = []
    for account in accounts:
        regions, region_sources = _regions(account, options)
        sources += region_sources
        for name in options.services or tuple(SERVICES):
            service = SERVICES[name]
            for region in (GLOBAL,) if service.is_global else regions:
                units.append(_Unit(account, service, region))
    if on_planned:
        on_planned(len(units))
    resources: dict[str, dict[str, Any]] = {}
    pool = ThreadPoolExecutor(max_workers=options.max_workers, thread_name_prefix="collect")
    try:
        runs = [pool.submit(_run, unit, options, collected_at) for unit in units]
        for run in as_completed(runs):
            source, found = run.result()
            sources.append(source)
            for resource in found:
                _keep_once(resources, resource)
            if on_done:
                on_done(source, len(found))
    finally:  # on Ctrl-C, do not start the units still queued
        pool.shutdown(wait=True, cancel_futures=True)
    return build_snapshot(collected_at, sources, resources.values())


def _keep_once(resources: dict[str, dict[str, Any]], resource: dict[str, Any]) -> None:
    """One resource per address. An organization trail shows in every member account under
    the management account's ARN; keep the copy from the account that owns it."""
    address = resource["address"]
    kept = resources.get(address)
    if kept is None or (_arn_account(address) == resource["account"] != kept["account"]):
        resources[address] = resource


def _arn_account(address: str) -> str:
    parts = address.split(":")
    return parts[4] if len(parts) > 5 else ""


def _regions(account: Account, options: AwsOptions) -> tuple[list[str], list[Source]]:
    """The regions to collect in this account, and sources for requested ones it has not enabled."""
    ec2 = account.client("ec2", account.home_region)
    try:
        listed = ec2.describe_regions(AllRegions=True)["Regions"]
    except (ClientError, BotoCoreError, ResponseParserError) as exc:
        if options.all_regions:  # cannot list: collect the home region and say so
            status, detail = classify(exc)
            gap = Source(
                "aws", f"{account.account_id}/regions", status, f"cannot list regions: {detail}"
            )
            return [account.home_region], [gap]
        return list(options.regions or (account.home_region,)), []
    opt_in = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in listed}
    if options.all_regions:
        return sorted(r for r, s in opt_in.items() if s in ENABLED_OPT_IN), []
    regions: list[str] = []
    gaps: list[Source] = []
    for region in options.regions or (account.home_region,):
        if region not in opt_in:
            known = ", ".join(sorted(opt_in))
            raise InputError(f"--region {region}: not an AWS region (known: {known})")
        if opt_in[region] in ENABLED_OPT_IN:
            regions.append(region)
        else:
            detail = f"region not enabled for this account (opt-in status: {opt_in[region]})"
            gaps.append(Source("aws", f"{account.account_id}/*/{region}", "failed", detail))
    return regions, gaps


def _run(
    unit: _Unit, options: AwsOptions, collected_at: datetime
) -> tuple[Source, list[dict[str, Any]]]:
    regions = () if options.all_regions else tuple(options.regions or (unit.account.home_region,))
    collection = Collection(unit.account, unit.region, regions, collected_at)
    scope = f"{unit.account.account_id}/{unit.service.name}/{unit.region}"
    try:
        unit.service.collect(collection)
    except Exception as exc:  # failures are data: the rest of the estate is still collected
        status, detail = classify(exc)
        valid = [r for r in collection.resources if _conforms(r, collection.problems)]
        if valid:
            detail += f" ({len(valid)} resources collected before it)"
        return Source("aws", scope, status, detail), valid
    valid = [r for r in collection.resources if _conforms(r, collection.problems)]
    for resource in valid:  # so a change scan knows which source vouches for it
        resource["source"] = scope
    if collection.problems:
        return Source("aws", scope, "partial", _summary(collection.problems)), valid
    return Source("aws", scope, "complete"), valid


def _conforms(resource: dict[str, Any], problems: list[str]) -> bool:
    """Keep a resource only if it matches the schema: one odd answer must not sink the run."""
    try:
        validate_document(resource["address"], single_resource_snapshot(resource))
    except InputError as exc:
        problems.append(f"internal error (please report it): {exc}")
        return False
    return True


def _summary(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_LISTED_PROBLEMS])
    more = len(problems) - MAX_LISTED_PROBLEMS
    return shown + (f"; and {more} more" if more > 0 else "")
