"""AWS collection end to end: moto in server mode over real HTTP on loopback, two
accounts (assumed roles) and two regions, collected by the real CLI and judged by
the real OPA. A proxy in front of moto injects throttling, AccessDenied and
refused credentials where the tests need them."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests import aws_scan
from tests.aws_estate import (
    ACCOUNTS,
    CONTAINER_SECRET,
    DB_PASSWORD,
    EXTERNAL_ID,
    REGIONS,
    SECRET_VALUE,
    Estate,
    provision,
    role_arn,
    session_for,
)
from tests.aws_scan import Key, Scanned, estate_fixtures
from tests.aws_support import BASE_ENV, Call, Fault, FaultProxy, MotoServer, aws_env
from tests.conftest import CliResult, assert_one_line_error, run_cli

REPO = Path(__file__).resolve().parents[2]
IAM_POLICY = REPO / "collectors" / "aws" / "iam-policy.json"
ROLE_ARNS = tuple(role_arn(account) for account in ACCOUNTS)
ROLE_ARGS = [arg for role in ROLE_ARNS for arg in ("--role-arn", role)]

# The services this estate provisions; later services have their own estate and test.
ESTATE_SERVICES = (
    "backup", "cloudtrail", "dynamodb", "ec2", "iam", "kms", "logs", "rds", "redshift", "s3",
    "sagemaker", "secretsmanager",
)  # fmt: skip

AWS_TYPES = {
    "aws_backup_vault",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_db_cluster_snapshot",
    "aws_db_instance",
    "aws_db_snapshot",
    "aws_default_security_group",
    "aws_dynamodb_table",
    "aws_ebs_encryption_by_default",
    "aws_ebs_volume",
    "aws_iam_account",
    "aws_iam_account_password_policy",
    "aws_iam_group_policy",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_user_policy",
    "aws_kms_key",
    "aws_rds_cluster",
    "aws_redshift_cluster",
    "aws_s3_bucket",
    "aws_sagemaker_endpoint",
    "aws_sagemaker_endpoint_configuration",
    "aws_sagemaker_model",
    "aws_sagemaker_notebook_instance",
    "aws_secretsmanager_secret",
    "aws_security_group",
}


# AWS managed policies exist, as in AWS: the estate attaches AdministratorAccess.
moto, estate, scanned = estate_fixtures(
    provision,
    services=ESTATE_SERVICES,
    regions=REGIONS,
    role_arns=ROLE_ARNS,
    extra=("--external-id", EXTERNAL_ID),
    moto_env={"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
)


def _key(resource: dict[str, Any]) -> Key:
    # Automated snapshot names end in their creation time; the estate names them "-*".
    name = re.sub(r"-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$", "-*", resource["name"])
    return (resource["account"], resource["region"], resource["type"], name)


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    aws_scan.assert_judged_exactly(scanned, estate, key=_key)


def test_every_collected_type_two_accounts_two_regions(scanned: Scanned) -> None:
    resources = scanned.snapshot["resources"]
    assert {r["type"] for r in resources} == AWS_TYPES
    assert {r["account"] for r in resources} == set(ACCOUNTS)
    regional = [r for r in resources if r["region"] is not None]
    assert {r["region"] for r in regional} == set(REGIONS)
    assert {r["type"] for r in resources if r["region"] is None} == {
        "aws_iam_account",
        "aws_iam_account_password_policy",
        "aws_iam_group_policy",
        "aws_iam_policy",
        "aws_iam_role",
        "aws_iam_user",
        "aws_iam_user_policy",
    }
    for resource in resources:  # the account id of an ARN is the resource's account
        parts = resource["address"].split(":")
        assert parts[4] in ("", resource["account"]), resource["address"]


def test_snapshot_is_schema_valid_and_coverage_complete(scanned: Scanned, tmp_path: Path) -> None:
    aws_scan.assert_schema_valid(scanned.snapshot, tmp_path)
    aws_scan.assert_sources_complete(scanned, ACCOUNTS, ESTATE_SERVICES, REGIONS)


def test_tags_give_owner_environment_and_data_classes(scanned: Scanned) -> None:
    [database] = [
        r
        for r in scanned.snapshot["resources"]
        if r["name"] == "good-db" and r["account"] == ACCOUNTS[0] and r["region"] == REGIONS[0]
    ]
    assert database["owner"] == "platform"
    assert database["environment"] == "production"
    assert database["data_classes"] == ["confidential"]
    assert database["attributes"]["parameter_group"]["parameters"]["rds.force_ssl"] == "1"
    [bucket] = [
        r for r in scanned.snapshot["resources"] if r["name"] == f"bad-{ACCOUNTS[1]}-us-east-1"
    ]
    assert bucket["data_classes"] == ["pii"]
    assert bucket["owner"] is None


def test_no_secret_or_credential_reaches_the_snapshot(
    scanned: Scanned, moto: MotoServer, estate: Estate
) -> None:
    text = json.dumps(scanned.snapshot)
    iam = session_for(moto.url, ACCOUNTS[0]).client(
        "iam", region_name="us-east-1", endpoint_url=moto.url
    )
    user_keys = [
        k["AccessKeyId"]
        for user in ("good-user", "bad-user")
        for k in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    ]
    assert user_keys
    never = [
        SECRET_VALUE,
        CONTAINER_SECRET,
        DB_PASSWORD,
        BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        BASE_ENV["AWS_ACCESS_KEY_ID"],
        *user_keys,
    ]
    assert [value for value in never if value in text] == []
    for field in (
        "SecretString",
        "SessionToken",
        "SecretAccessKey",
        "Url",
        "MasterUserPassword",
    ):
        assert f'"{field}"' not in text
    keys = [
        k
        for r in scanned.snapshot["resources"]
        if r["type"] == "aws_iam_user"
        for k in r["attributes"]["access_keys"]
    ]
    assert keys
    assert all(re.fullmatch(r"[A-Z0-9]{4}\.\.\.[A-Z0-9]{4}", k["access_key_id"]) for k in keys)


def _collect(
    endpoint: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[CliResult, dict[str, Any] | None]:
    output = tmp_path / "snapshot.json"
    result = run_cli(
        "collect",
        "aws",
        "--endpoint-url",
        endpoint,
        "--output",
        output,
        *args,
        env=env or aws_env(),
        timeout=300,
    )
    snapshot = json.loads(output.read_text()) if output.exists() else None
    return result, snapshot


def _sources(snapshot: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {s["scope"]: s for s in snapshot["sources"]}


@pytest.mark.parametrize(("mode", "attempts"), [("standard", 3), ("adaptive", 2)])
def test_throttling_is_retried_then_recorded_as_a_gap(
    moto: MotoServer, estate: Estate, tmp_path: Path, mode: str, attempts: int
) -> None:
    def throttle(call: Call) -> Fault | None:
        return (
            Fault(400, "ThrottlingException", "Rate exceeded")
            if call.service == "dynamodb"
            else None
        )

    with FaultProxy(moto.url, throttle) as proxy:
        result, snapshot = _collect(
            proxy.url,
            tmp_path,
            "--region",
            "eu-west-1",
            "--services",
            "dynamodb,kms",
            "--retry-mode",
            mode,
            "--max-attempts",
            str(attempts),
        )
    assert result.code == 0, result.stderr
    assert proxy.count("dynamodb", "ListTables") == attempts
    assert snapshot is not None
    sources = _sources(snapshot)
    account = "123456789012"  # moto's account for the base credentials
    assert sources[f"{account}/dynamodb/eu-west-1"] == {
        "kind": "aws",
        "scope": f"{account}/dynamodb/eu-west-1",
        "status": "failed",
        "detail": f"throttled: ThrottlingException on ListTables after {attempts} attempts",
    }
    assert sources[f"{account}/kms/eu-west-1"]["status"] == "complete"
    assert f"{account}/dynamodb/eu-west-1 failed: throttled" in result.stderr


def test_throttling_that_clears_within_the_attempts_loses_nothing(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    refused = {"left": 2}

    def throttle_twice(call: Call) -> Fault | None:
        if (call.service, call.operation) == ("dynamodb", "ListTables") and refused["left"]:
            refused["left"] -= 1
            return Fault(400, "ThrottlingException")
        return None

    with FaultProxy(moto.url, throttle_twice) as proxy:
        result, snapshot = _collect(
            proxy.url,
            tmp_path,
            "--region",
            "eu-west-1",
            "--services",
            "dynamodb",
            "--role-arn",
            role_arn(ACCOUNTS[0]),
        )
    assert result.code == 0, result.stderr
    assert proxy.count("dynamodb", "ListTables") == 3
    assert snapshot is not None
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}
    assert sorted(r["name"] for r in snapshot["resources"]) == ["bad-table", "good-table"]


def test_access_denied_for_one_service_is_recorded_and_shown_by_the_scan(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    def deny_kms(call: Call) -> Fault | None:
        return (
            Fault(400, "AccessDeniedException", "not authorized") if call.service == "kms" else None
        )

    with FaultProxy(moto.url, deny_kms) as proxy:
        result = run_cli(
            "scan", "--collect", "aws", "--endpoint-url", proxy.url, "--region", "eu-west-1",
            "--role-arn", role_arn(ACCOUNTS[0]), "--services", "kms,logs,backup",
            "--save-snapshot", tmp_path / "snapshot.json", "--report-dir", tmp_path / "reports",
            "--format", "table", "--fail-on", "none",
            env={**aws_env(), "COLUMNS": "200"}, timeout=300,
        )  # fmt: skip
    assert result.code == 0, result.stderr
    sources = _sources(json.loads((tmp_path / "snapshot.json").read_text()))
    scope = f"{ACCOUNTS[0]}/kms/eu-west-1"
    assert sources[scope]["status"] == "denied"
    assert sources[scope]["detail"] == "AccessDeniedException on ListKeys"
    others = {s["status"] for name, s in sources.items() if name != scope}
    assert others == {"complete"}
    assert f"Incomplete collection: aws {scope} was denied" in result.stdout
    report = json.loads((tmp_path / "reports" / "opa-comply.json").read_text())
    collection = report["summary"]["collection"]
    assert collection["complete"] is False
    assert [(g["scope"], g["status"]) for g in collection["incomplete_sources"]] == [
        (scope, "denied")
    ]
    html = (tmp_path / "reports" / "opa-comply.html").read_text()
    assert f"<code>{scope}</code></td><td>denied</td><td>AccessDeniedException on ListKeys" in html
    kinds = {f["resource"].split(":")[2] for f in report["findings"]}
    assert "kms" not in kinds
    # (Services that ask KMS who manages a key, such as secretsmanager, would be partial.)
    assert {"logs", "backup"} <= kinds


def test_one_denied_call_per_bucket_makes_the_source_partial(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    def deny_policies(call: Call) -> Fault | None:
        return (
            Fault(403, "AccessDenied")
            if (call.service, call.operation) == ("s3", "GET ?policy")
            else None
        )

    with FaultProxy(moto.url, deny_policies) as proxy:
        result, snapshot = _collect(
            proxy.url,
            tmp_path,
            "--region",
            "eu-west-1",
            "--services",
            "s3",
            "--role-arn",
            role_arn(ACCOUNTS[0]),
        )
    assert result.code == 0, result.stderr
    assert snapshot is not None
    [source] = snapshot["sources"]
    assert source["status"] == "partial"
    assert source["detail"].startswith("AccessDenied on GetBucketPolicy for bucket ")
    buckets = snapshot["resources"]
    assert len(buckets) == 3
    # The unread attribute is left out, so checks say indeterminate instead of guessing.
    assert all("policy" not in b["attributes"] and "versioning" in b["attributes"] for b in buckets)


def test_a_role_that_cannot_be_assumed_leaves_the_other_accounts(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    def refuse_second_account(call: Call) -> Fault | None:
        if call.operation == "AssumeRole" and proxy.calls[call] > 1:  # the first is the 111 role
            return Fault(403, "AccessDenied", "not allowed to assume")
        return None

    with FaultProxy(moto.url, refuse_second_account) as proxy:
        result, snapshot = _collect(
            proxy.url, tmp_path, "--region", "eu-west-1", "--services", "iam", *ROLE_ARGS
        )
    assert result.code == 0, result.stderr
    assert snapshot is not None
    sources = _sources(snapshot)
    assert sources[f"{ACCOUNTS[1]}/sts"]["status"] == "denied"
    assert sources[f"{ACCOUNTS[1]}/sts"]["detail"].startswith(
        f"cannot assume {role_arn(ACCOUNTS[1])}: AccessDenied"
    )
    assert sources[f"{ACCOUNTS[0]}/iam/global"]["status"] == "complete"
    assert {r["account"] for r in snapshot["resources"]} == {ACCOUNTS[0]}


def test_a_region_the_account_has_not_enabled_is_a_gap(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    result, snapshot = _collect(
        moto.url, tmp_path, "--region", "eu-west-1", "--region", "ap-east-1", "--services", "kms",
        "--role-arn", role_arn(ACCOUNTS[0]),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert snapshot is not None
    sources = _sources(snapshot)
    assert sources[f"{ACCOUNTS[0]}/*/ap-east-1"] == {
        "kind": "aws",
        "scope": f"{ACCOUNTS[0]}/*/ap-east-1",
        "status": "failed",
        "detail": "region not enabled for this account (opt-in status: not-opted-in)",
    }
    assert sources[f"{ACCOUNTS[0]}/kms/eu-west-1"]["status"] == "complete"


def test_refused_credentials_are_exit_3_and_write_nothing(moto: MotoServer, tmp_path: Path) -> None:
    def refuse(call: Call) -> Fault | None:
        return (
            Fault(403, "InvalidClientTokenId", "The security token is invalid")
            if call.service == "sts"
            else None
        )

    with FaultProxy(moto.url, refuse) as proxy:
        result, snapshot = _collect(proxy.url, tmp_path, "--region", "eu-west-1")
    assert_one_line_error(result, 3, "AWS refused the credentials (InvalidClientTokenId)")
    assert snapshot is None


def test_missing_credentials_are_exit_3(moto: MotoServer, tmp_path: Path) -> None:
    env = {
        k: v for k, v in aws_env().items() if not k.startswith("AWS_ACCESS") and "SECRET" not in k
    }
    result, _ = _collect(
        moto.url, tmp_path, "--region", "eu-west-1", env={**env, "AWS_ACCESS_KEY_ID": ""}
    )
    assert_one_line_error(result, 3, "no AWS credentials found")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--services", "rds,mainframe"), "--services: unknown service 'mainframe'"),
        (("--region", "eu_west"), "--region eu_west: not an AWS region name"),
        (("--region", "eu-wast-9"), "--region eu-wast-9: not an AWS region (known: "),
        (
            ("--role-arn", "arn:aws:iam::12:role/x"),
            "--role-arn arn:aws:iam::12:role/x: account id must be 12 digits",
        ),
        (("--role-arn", "audit"), "--role-arn audit: not an IAM role ARN"),
        (("--profile", "nope"), "--profile nope: no such AWS profile"),
        (("--services", " , "), "--services: name at least one service"),
        (("--endpoint-url", "notaurl"), "--endpoint-url notaurl: expected an http(s):// URL"),
        (("--all-regions", "--region", "eu-west-1"), "--all-regions and --region: give one"),
        (
            (
                "--role-arn",
                role_arn(ACCOUNTS[0]),
                "--role-arn",
                f"arn:aws:iam::{ACCOUNTS[0]}:role/other",
            ),
            f"account {ACCOUNTS[0]} is already collected through {role_arn(ACCOUNTS[0])}",
        ),
    ],
)
def test_bad_collect_options_are_exit_2(
    moto: MotoServer, tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    result, snapshot = _collect(moto.url, tmp_path, *args)
    assert_one_line_error(result, 2, fragment)
    assert snapshot is None


def test_config_aws_section_is_used_and_checked(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        "aws:\n"
        "  regions: [us-east-1]\n"
        f"  role_arns: [{role_arn(ACCOUNTS[1])}]\n"
        "  services: [backup]\n"
        "  tag_keys:\n    owner: [Team]\n"
    )
    result, snapshot = _collect(moto.url, tmp_path, "--config", str(config))
    assert result.code == 0, result.stderr
    assert snapshot is not None
    assert sorted((r["account"], r["region"], r["name"]) for r in snapshot["resources"]) == [
        (ACCOUNTS[1], "us-east-1", "bad-vault"),
        (ACCOUNTS[1], "us-east-1", "good-vault"),
    ]
    assert {r["owner"] for r in snapshot["resources"]} == {None}  # Owner is not a configured key
    config.write_text("aws:\n  region: [us-east-1]\n")
    bad, _ = _collect(moto.url, tmp_path, "--config", str(config))
    assert_one_line_error(
        bad, 2, "opa-comply.yaml: aws: Additional properties are not allowed ('region'"
    )


def test_every_call_is_allowed_by_the_least_privilege_policy(
    moto: MotoServer, estate: Estate
) -> None:
    calls, snapshot = aws_scan.calls_of(
        moto.url, services=ESTATE_SERVICES, regions=REGIONS, role_arns=ROLE_ARNS
    )
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}
    aws_scan.assert_least_privilege(calls, ESTATE_SERVICES)


def test_progress_is_a_live_bar_on_a_terminal_and_lines_in_ci(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    args = (
        "--region",
        "eu-west-1",
        "--services",
        "kms,backup",
        "--role-arn",
        role_arn(ACCOUNTS[0]),
    )
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "compliance_opa", "collect", "aws", "--endpoint-url", moto.url,
         "--output", str(tmp_path / "tty.json"), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary,
        env={**os.environ, **aws_env(), "TERM": "xterm", "COLUMNS": "120"}, cwd=REPO,
    )  # fmt: skip
    os.close(secondary)
    terminal = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            terminal += chunk
        elif process.poll() is not None:
            break
    os.close(primary)
    assert process.wait(timeout=30) == 0
    text = terminal.decode("utf-8", "replace")
    assert "collecting" in text  # the live bar, drawn with cursor movement
    assert "\x1b[" in text
    assert "collected 4 resources from 1 accounts" in text
    # Without a terminal: no bar, only the summary line (and gap lines, when there are gaps).
    result, _ = _collect(moto.url, tmp_path, *args)
    assert result.code == 0
    assert result.stderr.splitlines() == [
        f"opa-comply: collected 4 resources from 1 accounts into {tmp_path / 'snapshot.json'}"
    ]
    quiet, _ = _collect(moto.url, tmp_path, *args, "--quiet")
    assert quiet.code == 0
    assert quiet.stderr == ""


def test_a_service_error_is_a_failed_source_with_its_message(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    def break_redshift(call: Call) -> Fault | None:
        if call.service == "redshift":
            return Fault(400, "InvalidClusterState", "cluster is being modified")
        return None

    with FaultProxy(moto.url, break_redshift) as proxy:
        result, snapshot = _collect(
            proxy.url, tmp_path, "--region", "us-east-1", "--services", "redshift,backup",
            "--role-arn", role_arn(ACCOUNTS[1]),
        )  # fmt: skip
    assert result.code == 0, result.stderr
    assert snapshot is not None
    sources = _sources(snapshot)
    assert sources[f"{ACCOUNTS[1]}/redshift/us-east-1"]["status"] == "failed"
    assert sources[f"{ACCOUNTS[1]}/redshift/us-east-1"]["detail"] == (
        "InvalidClusterState on DescribeClusters: cluster is being modified"
    )
    assert sources[f"{ACCOUNTS[1]}/backup/us-east-1"]["status"] == "complete"
    assert {r["type"] for r in snapshot["resources"]} == {"aws_backup_vault"}


def test_all_regions_means_every_enabled_region(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=moto.url, **_base_keys())
    listed = ec2.describe_regions(AllRegions=True)["Regions"]
    enabled = {r["RegionName"] for r in listed if r["OptInStatus"] != "not-opted-in"}
    assert {r["RegionName"] for r in listed} - enabled  # some are not enabled
    result, snapshot = _collect(
        moto.url,
        tmp_path,
        "--all-regions",
        "--services",
        "backup",
        "--role-arn",
        role_arn(ACCOUNTS[0]),
    )
    assert result.code == 0, result.stderr
    assert snapshot is not None
    scopes = {s["scope"] for s in snapshot["sources"]}
    assert scopes == {f"{ACCOUNTS[0]}/backup/{region}" for region in enabled}
    assert {r["region"] for r in snapshot["resources"]} == set(REGIONS)


def _base_keys() -> dict[str, str]:
    return {
        "aws_access_key_id": BASE_ENV["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": BASE_ENV["AWS_SECRET_ACCESS_KEY"],
    }


def test_an_unreadable_key_leaves_encryption_unknown_not_guessed(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    def deny_describe_key(call: Call) -> Fault | None:
        if (call.service, call.operation) == ("kms", "DescribeKey"):
            return Fault(400, "AccessDeniedException")
        return None

    with FaultProxy(moto.url, deny_describe_key) as proxy:
        result, snapshot = _collect(
            proxy.url, tmp_path, "--region", "eu-west-1", "--services", "dynamodb",
            "--role-arn", role_arn(ACCOUNTS[0]),
        )  # fmt: skip
    assert result.code == 0, result.stderr
    assert snapshot is not None
    [source] = snapshot["sources"]
    assert source["status"] == "partial"
    assert source["detail"] == "AccessDeniedException on DescribeKey for table good-table"
    tables = {r["name"]: r["attributes"] for r in snapshot["resources"]}
    assert "server_side_encryption" not in tables["good-table"]
    assert tables["bad-table"]["server_side_encryption"] is None  # no key to ask about


def test_repeated_regions_and_roles_collect_each_resource_once(
    moto: MotoServer, estate: Estate, tmp_path: Path
) -> None:
    result, snapshot = _collect(
        moto.url, tmp_path, "--region", "eu-west-1", "--region", "eu-west-1",
        "--services", "logs,iam", "--role-arn", role_arn(ACCOUNTS[0]),
        "--role-arn", role_arn(ACCOUNTS[0]),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert snapshot is not None
    addresses = [r["address"] for r in snapshot["resources"]]
    assert len(addresses) == len(set(addresses)) > 0
    assert sorted(s["scope"] for s in snapshot["sources"]) == [
        f"{ACCOUNTS[0]}/iam/global",
        f"{ACCOUNTS[0]}/logs/eu-west-1",
    ]


def test_listings_follow_every_page(moto: MotoServer, estate: Estate, tmp_path: Path) -> None:
    # moto answers DescribeLogGroups 50 at a time, as AWS does.
    logs = session_for(moto.url, ACCOUNTS[0]).client(
        "logs", region_name="eu-central-1", endpoint_url=moto.url
    )
    for index in range(120):
        logs.create_log_group(logGroupName=f"paged-{index:03d}")
    assert "nextToken" in logs.describe_log_groups()
    result, snapshot = _collect(
        moto.url, tmp_path, "--region", "eu-central-1", "--services", "logs",
        "--role-arn", role_arn(ACCOUNTS[0]),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert snapshot is not None
    assert sorted(r["name"] for r in snapshot["resources"]) == [
        f"paged-{i:03d}" for i in range(120)
    ]
