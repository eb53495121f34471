# ruff: noqa: E501 - plan fixtures read best one change per line
"""Hostile Terraform plans: sensitivity and unknown trees of odd shapes, malformed
resource changes, repeated addresses. Whatever shape a plan takes, a value it marks
sensitive never reaches an output, and nothing in it is dropped or judged silently:
a plan we cannot read is refused (exit 2) with the JSON path into the user's file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.inventory.load import load_inventory
from compliance_opa.reports import FILE_NAMES
from tests.conftest import COMPLIANT, assert_one_line_error, load_example, run_cli, write_json
from tests.plan_builder import resource_change

# An AWS-managed key: AWS-RDS-003 fails on it and its message quotes the key.
SECRET_KEY = "arn:aws:kms:eu-west-1:111111111111:alias/aws/rds-hostile-secret-5e1"
SECRET_PASSWORD = "hostile-password-never-printed-9d3"


def _mini_plan(changes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"format_version": "1.2", "resource_changes": changes, **extra}


def _database(**change: Any) -> dict[str, Any]:
    """A database whose key fails AWS-RDS-003; ``change`` replaces fields of its change."""
    after = {
        "engine": "postgres",
        "storage_encrypted": True,
        "kms_key_id": SECRET_KEY,
        "password": SECRET_PASSWORD,
        "publicly_accessible": False,
        "tags": {"DataClassification": "pii"},  # classified: AWS-RDS-003 applies
    }
    entry = resource_change("aws_db_instance.db", "aws_db_instance", after, ["create"])
    entry["change"].update(change)
    return entry


def _every_output(plan_path: Path, report_dir: Path) -> tuple[Any, list[str]]:
    result = run_cli(
        "plan", plan_path, "--format", "json", "--fail-on", "none", "--report-dir", report_dir
    )
    written = sorted(report_dir.glob("*")) if report_dir.exists() else []
    return result, [result.stdout, result.stderr, *(p.read_text() for p in written)]


# --- item 2: sensitive and unknown values whatever the shape of their tree -----------


def test_a_wholly_sensitive_resource_never_reaches_any_output(tmp_path: Path) -> None:
    """`after_sensitive: true`: every attribute of the resource is sensitive."""
    plan_path = write_json(tmp_path / "plan.json", _mini_plan([_database(after_sensitive=True)]))
    result, texts = _every_output(plan_path, tmp_path / "reports")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(FILE_NAMES.values())
    for secret in (SECRET_KEY, SECRET_PASSWORD, "rds-hostile-secret-5e1"):
        assert [t[:200] for t in texts if secret in t] == []
    [finding] = [f for f in result.json()["findings"] if f["check_id"] == "AWS-RDS-003"]
    assert finding["status"] == "fail"  # judged on the real value, printed redacted
    assert "(sensitive value)" in finding["message"]


def test_a_wholly_sensitive_planned_value_never_reaches_any_output(tmp_path: Path) -> None:
    """A plan without resource_changes: `sensitive_values: true` in planned_values."""
    database = _database()
    values = {
        "address": "aws_db_instance.db",
        "mode": "managed",
        "type": "aws_db_instance",
        "name": "db",
        "values": database["change"]["after"],
        "sensitive_values": True,
    }
    document = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [values]}}}
    result, texts = _every_output(write_json(tmp_path / "plan.json", document), tmp_path / "out")
    assert result.code == 0, result.stderr
    assert [t[:200] for t in texts if "rds-hostile-secret-5e1" in t] == []
    assert any(f["check_id"] == "AWS-RDS-003" for f in result.json()["findings"])


@pytest.mark.parametrize(
    ("tree", "where"),
    [
        ([True], "$.resource_changes[0].change.after_sensitive"),
        ("yes", "$.resource_changes[0].change.after_sensitive"),
        (1, "$.resource_changes[0].change.after_sensitive"),
        ({"kms_key_id": "true"}, "$.resource_changes[0].change.after_sensitive.kms_key_id"),
        ({"kms_key_id": 1}, "$.resource_changes[0].change.after_sensitive.kms_key_id"),
        ({"kms_key_id": None}, "$.resource_changes[0].change.after_sensitive.kms_key_id"),
        # A list where the value is text: which part is sensitive cannot be told.
        ({"kms_key_id": [True]}, "$.resource_changes[0].change.after_sensitive.kms_key_id"),
    ],
    ids=["list", "string", "number", "leaf-string", "leaf-number", "leaf-null", "leaf-list"],
)
def test_an_unreadable_sensitivity_tree_refuses_the_plan(
    tmp_path: Path, tree: Any, where: str
) -> None:
    plan_path = write_json(tmp_path / "plan.json", _mini_plan([_database(after_sensitive=tree)]))
    result, texts = _every_output(plan_path, tmp_path / "reports")
    assert_one_line_error(result, 2, str(plan_path), where)
    assert [t[:200] for t in texts if "rds-hostile-secret-5e1" in t] == []
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_a_sensitive_map_key_with_a_dot_marks_the_whole_map(tmp_path: Path) -> None:
    """A dotted path cannot name the tag `cost.center`: the whole map is sensitive."""
    database = _database(after_sensitive={"tags": {"cost.center": True}})
    database["change"]["after"]["tags"] = {"cost.center": SECRET_PASSWORD}
    inventory = load_inventory(write_json(tmp_path / "plan.json", _mini_plan([database])))
    assert SECRET_PASSWORD in inventory.sensitive()["aws_db_instance.db"]


def test_a_block_list_marked_as_an_object_refuses_the_plan(tmp_path: Path) -> None:
    """The value is a list of rules, its tree an object: which rule is sensitive is unknown."""
    group = resource_change(
        "aws_security_group.web", "aws_security_group",
        {"name": "web", "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22,
                                     "cidr_blocks": ["0.0.0.0/0"], "description": SECRET_PASSWORD}]},
        ["create"], sensitive={"ingress": {"description": True}},
    )  # fmt: skip
    result = run_cli("plan", write_json(tmp_path / "plan.json", _mini_plan([group])))
    assert_one_line_error(result, 2, "$.resource_changes[0].change.after_sensitive.ingress")


def test_a_wholly_unknown_resource_is_never_judged_known(tmp_path: Path) -> None:
    """`after_unknown: true`: nothing in `after` is known yet, so nothing passes or fails."""
    plan_path = write_json(tmp_path / "plan.json", _mini_plan([_database(after_unknown=True)]))
    result = run_cli("plan", plan_path, "--format", "json", "--fail-on", "none")
    assert result.code == 0, result.stderr
    database = [f for f in result.json()["findings"] if f["resource"] == "aws_db_instance.db"]
    assert database, "every check of the database is indeterminate"
    assert {f["status"] for f in database} == {"indeterminate"}
    assert any(f["check_id"] == "AWS-RDS-001" for f in database)  # storage_encrypted: unknown


@pytest.mark.parametrize("unknown", [True, {"type": True}], ids=["whole", "direction"])
def test_a_rule_of_unknown_direction_never_passes_the_other_direction(
    tmp_path: Path, unknown: Any
) -> None:
    """A folded rule whose direction is unknown may open SSH to the world: the group's
    ingress is indeterminate, not clean."""
    rule = {
        "type": "egress",
        "protocol": "tcp",
        "from_port": 22,
        "to_port": 22,
        "cidr_blocks": ["0.0.0.0/0"],
        "security_group_id": "sg-1",
    }
    changes = [
        resource_change("aws_security_group.web", "aws_security_group",
                        {"name": "web", "id": "sg-1", "ingress": [], "egress": []}, ["create"]),
        resource_change("aws_security_group_rule.r", "aws_security_group_rule", rule, ["create"], unknown),
    ]  # fmt: skip
    plan_path = write_json(tmp_path / "plan.json", _mini_plan(changes))
    result = run_cli("plan", plan_path, "--format", "json", "--fail-on", "none")
    assert result.code == 0, result.stderr
    ssh = [f["status"] for f in result.json()["findings"] if f["check_id"] == "AWS-EC2-002"]
    assert ssh == ["indeterminate"]


@pytest.mark.parametrize(
    ("tree", "where"),
    [
        ("yes", "$.resource_changes[0].change.after_unknown"),
        ([True], "$.resource_changes[0].change.after_unknown"),
        (0, "$.resource_changes[0].change.after_unknown"),
        (
            {"storage_encrypted": "yes"},
            "$.resource_changes[0].change.after_unknown.storage_encrypted",
        ),
    ],
    ids=["string", "list", "number", "leaf-string"],
)
def test_an_unreadable_unknown_tree_refuses_the_plan(tmp_path: Path, tree: Any, where: str) -> None:
    plan_path = write_json(tmp_path / "plan.json", _mini_plan([_database(after_unknown=tree)]))
    assert_one_line_error(run_cli("plan", plan_path), 2, str(plan_path), where)


# --- item 3: malformed changes are refused, never dropped ----------------------------


def _bucket(**fields: Any) -> dict[str, Any]:
    entry = resource_change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"}, ["create"])
    change = fields.pop("change", {})
    entry.update(fields)
    entry["change"].update(change)
    return entry


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        (_bucket(change={"after": [{"bucket": "b"}]}), "$.resource_changes[0].change.after"),
        (_bucket(change={"after": "b"}), "$.resource_changes[0].change.after"),
        (_bucket(change={"after": None}), "$.resource_changes[0].change.after"),
        (_bucket(type=3), "$.resource_changes[0].type"),
        (_bucket(type=""), "$.resource_changes[0].type"),
        (_bucket(address=["aws_s3_bucket.b"]), "$.resource_changes[0].address"),
        (_bucket(mode=1), "$.resource_changes[0].mode"),
        (_bucket(mode="manged"), "$.resource_changes[0].mode"),
        (_bucket(module_address=7), "$.resource_changes[0].module_address"),
        (_bucket(change={"actions": "create"}), "$.resource_changes[0].change.actions"),
        (_bucket(change={"actions": []}), "$.resource_changes[0].change.actions"),
        (_bucket(change={"actions": [None]}), "$.resource_changes[0].change.actions"),
    ],
    ids=["after-list", "after-string", "after-null-on-create", "type-number", "type-empty",
         "address-list", "mode-number", "mode-typo", "module-number", "actions-string",
         "actions-empty", "actions-null"],
)  # fmt: skip
def test_a_malformed_change_is_refused_not_dropped(
    tmp_path: Path, entry: dict[str, Any], where: str
) -> None:
    plan_path = write_json(tmp_path / "plan.json", _mini_plan([entry]))
    assert_one_line_error(run_cli("plan", plan_path), 2, str(plan_path), where)


@pytest.mark.parametrize(
    ("planned", "where"),
    [
        ([], "$.planned_values"),
        ({"root_module": []}, "$.planned_values.root_module"),
        ({"root_module": {"resources": {"a": 1}}}, "$.planned_values.root_module.resources"),
        ({"root_module": {"resources": [7]}}, "$.planned_values.root_module.resources[0]"),
        ({"root_module": {"child_modules": [{"resources": [
            {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "values": [1]}]}]}},
         "$.planned_values.root_module.child_modules[0].resources[0].values"),
    ],
    ids=["list", "root-list", "resources-object", "resource-number", "values-list"],
)  # fmt: skip
def test_malformed_planned_values_are_refused(tmp_path: Path, planned: Any, where: str) -> None:
    document = {"format_version": "1.2", "planned_values": planned}
    plan_path = write_json(tmp_path / "plan.json", document)
    assert_one_line_error(run_cli("plan", plan_path), 2, str(plan_path), where)


_FLAGS = {"bucket": "b", "block_public_acls": True, "block_public_policy": True,
          "ignore_public_acls": True, "restrict_public_buckets": True}  # fmt: skip
_RULE = {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22,
         "cidr_blocks": ["0.0.0.0/0"], "security_group_id": "sg-1"}  # fmt: skip
_VPC_RULE = {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0",
             "security_group_id": "sg-1"}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "after", "where"),
    [
        ("aws_s3_bucket_public_access_block", {**_FLAGS, "block_public_acls": "false"}, ".block_public_acls"),
        ("aws_s3_bucket_public_access_block", {**_FLAGS, "restrict_public_buckets": 0}, ".restrict_public_buckets"),
        ("aws_security_group_rule", {**_RULE, "cidr_blocks": "0.0.0.0/0"}, ".cidr_blocks"),
        ("aws_security_group_rule", {**_RULE, "cidr_blocks": [["0.0.0.0/0"]]}, ".cidr_blocks[0]"),
        ("aws_security_group_rule", {**_RULE, "from_port": "22"}, ".from_port"),
        ("aws_security_group_rule", {**_RULE, "self": "false"}, ".self"),
        ("aws_vpc_security_group_ingress_rule", {**_VPC_RULE, "cidr_ipv4": ["0.0.0.0/0"]}, ".cidr_ipv4"),
        ("aws_s3_bucket_versioning", {"bucket": "b", "versioning_configuration": "Enabled"}, ".versioning_configuration"),
        ("aws_s3_bucket_server_side_encryption_configuration", {"bucket": "b", "rule": {"bucket_key_enabled": True}}, ".rule"),
        ("aws_db_parameter_group", {"name": "pg", "parameter": {"name": "rds.force_ssl", "value": "1"}}, ".parameter"),
        ("aws_backup_vault_lock_configuration", {"backup_vault_name": "v", "min_retention_days": "35"}, ".min_retention_days"),
    ],
    ids=["flag-string", "flag-number", "cidrs-string", "cidrs-nested", "port-string", "self-string",
         "cidr-ipv4-list", "versioning-string", "sse-rule-object", "parameters-object", "lock-days-string"],
)  # fmt: skip
def test_a_split_resource_of_the_wrong_shape_is_refused(
    tmp_path: Path, kind: str, after: dict[str, Any], where: str
) -> None:
    """What is folded into a bucket, group or database is read as Terraform writes it; a
    string "false" or a lone CIDR text must not read as blocked or closed."""
    document = _mini_plan([resource_change(f"{kind}.x", kind, after, ["create"])])
    plan_path = write_json(tmp_path / "plan.json", document)
    result = run_cli("plan", plan_path)
    assert_one_line_error(result, 2, str(plan_path), f"$.resource_changes[0].change.after{where}")


def test_deletions_and_other_providers_are_still_skipped(tmp_path: Path) -> None:
    """Only what the plan leaves in place is judged; a deposed object shares its address."""
    changes = [
        resource_change("aws_s3_bucket.gone", "aws_s3_bucket", None, ["delete"]),
        {**resource_change("aws_s3_bucket.b", "aws_s3_bucket", None, ["delete"]), "deposed": "00000001"},
        resource_change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"}, ["create"]),
        resource_change("null_resource.x", "null_resource", {"triggers": None}, ["create"]),
        resource_change("data.aws_caller_identity.me", "aws_caller_identity", {"id": "1"}, ["read"], mode="data"),
        resource_change("aws_s3_bucket.kept", "aws_s3_bucket", None, ["forget"]),
    ]  # fmt: skip
    result = run_cli("plan", write_json(tmp_path / "plan.json", _mini_plan(changes)), "--format", "json", "--fail-on", "none")  # fmt: skip
    assert result.code == 0, result.stderr
    assert {f["resource"] for f in result.json()["findings"]} == {"aws_s3_bucket.b"}


def test_a_repeated_address_is_named_where_the_plan_has_it(tmp_path: Path) -> None:
    changes = [
        resource_change("aws_s3_bucket.a", "aws_s3_bucket", {"bucket": "a"}, ["create"]),
        resource_change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"}, ["create"]),
        resource_change("aws_s3_bucket.a", "aws_s3_bucket", {"bucket": "a2"}, ["create"]),
    ]
    plan_path = write_json(tmp_path / "plan.json", _mini_plan(changes))
    result = run_cli("plan", plan_path)
    assert_one_line_error(
        result, 2, str(plan_path), "$.resource_changes[2].address", "$.resource_changes[0]"
    )
    assert "$.resources[" not in result.stderr


def test_an_address_repeated_across_inputs_is_named_where_the_plan_has_it(
    tmp_path: Path,
) -> None:
    snapshot = load_example(COMPLIANT)
    address = snapshot["resources"][0]["address"]
    changes = [
        resource_change("aws_s3_bucket.a", "aws_s3_bucket", {"bucket": "a"}, ["create"]),
        resource_change(address, "aws_s3_bucket", {"bucket": "a2"}, ["create"]),
    ]
    plan_path = write_json(tmp_path / "plan.json", _mini_plan(changes))
    result = run_cli("scan", COMPLIANT, plan_path)
    assert_one_line_error(
        result, 2, str(plan_path), "$.resource_changes[1].address", json.dumps(address)[1:-1]
    )
    assert "$.resources[" not in result.stderr


# --- item 17: a plan's time ---------------------------------------------------------


def test_a_plan_made_in_the_future_is_refused(tmp_path: Path) -> None:
    document = _mini_plan([_bucket()], timestamp="9999-12-31T23:59:59Z")
    plan_path = write_json(tmp_path / "plan.json", document)
    assert_one_line_error(run_cli("plan", plan_path), 2, str(plan_path), "$.timestamp", "future")


def test_a_plan_a_little_ahead_of_this_clock_is_judged(tmp_path: Path) -> None:
    """Clock skew between the machine that planned and this one is allowed."""
    ahead = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = _mini_plan([_bucket()], timestamp=ahead)
    result = run_cli("plan", write_json(tmp_path / "plan.json", document), "--format", "json", "--fail-on", "none")  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.json()["scan"]["inputs"][0]["collected_at"] == ahead
