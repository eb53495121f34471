# ruff: noqa: E501 - plan data reads best one change per line
"""scripts/plan_coverage.py without OPA: what is counted, what is folded into a parent,
what is out of scope, and bad input. The real-OPA run is in
tests/integration/test_plan_coverage.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.errors import ComplianceError, InputError
from scripts import plan_coverage
from scripts.plan_coverage import (
    OUT_OF_SCOPE,
    Coverage,
    counted_resources,
    is_aws,
    main,
    read_plan_input,
)
from tests.conftest import EXAMPLES, REPO, write_json
from tests.plan_builder import resource_change

SG_RULE_REFS = {
    "security_group_id": {"references": ["aws_security_group.web.id", "aws_security_group.web"]}
}


def small_plan() -> dict[str, Any]:
    """Known types: judged, folded, unmatched split, out of scope, unknown to the adapter,
    and changes that are not counted (deletion, no-op, data source, another provider)."""
    changes = [
        resource_change("aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": "corp-logs"}, ["create"]),
        # folded into the bucket by its (known) name
        resource_change("aws_s3_bucket_versioning.logs", "aws_s3_bucket_versioning",
                        {"bucket": "corp-logs", "versioning_configuration": [{"status": "Enabled"}]}, ["create"]),
        # its bucket is not in the plan: nothing to fold into
        resource_change("aws_s3_bucket_public_access_block.orphan", "aws_s3_bucket_public_access_block",
                        {"bucket": "elsewhere", "block_public_acls": True}, ["create"]),
        resource_change("aws_security_group.web", "aws_security_group",
                        {"name": "web", "description": "web", "vpc_id": "vpc-1", "ingress": [], "egress": []},
                        ["create"], {"id": True, "arn": True}),
        # folded into the group through the configuration's reference (its id is unknown)
        resource_change("aws_security_group_rule.ssh", "aws_security_group_rule",
                        {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22,
                         "cidr_blocks": ["10.0.0.0/8"], "security_group_id": None}, ["create"],
                        {"security_group_id": True}),
        resource_change("aws_security_group.db", "aws_security_group",
                        {"name": "db", "description": "db", "vpc_id": "vpc-1", "ingress": [], "egress": []},
                        ["update"]),
        resource_change("aws_kms_key.main", "aws_kms_key",
                        {"description": "main", "enable_key_rotation": True, "is_enabled": True,
                         "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                         "multi_region": False, "policy": None},
                        ["delete", "create"], {"arn": True, "key_id": True, "policy": True}),
        resource_change("aws_db_instance.main", "aws_db_instance",
                        {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.m6g.large",
                         "storage_encrypted": True, "parameter_group_name": "tls-params"}, ["create"]),
        # used by the database: folded into it
        resource_change("aws_db_parameter_group.tls", "aws_db_parameter_group",
                        {"name": "tls-params", "family": "postgres16",
                         "parameter": [{"name": "rds.force_ssl", "value": "1"}]}, ["create"]),
        # used by nothing: the adapter has nothing to fold it into
        resource_change("aws_db_parameter_group.unused", "aws_db_parameter_group",
                        {"name": "unused", "family": "postgres16", "parameter": []}, ["create"]),
        resource_change("aws_route_table_association.a", "aws_route_table_association",
                        {"subnet_id": "subnet-1", "route_table_id": "rtb-1"}, ["create"]),
        resource_change("aws_kms_alias.main", "aws_kms_alias", {"name": "alias/main"}, ["create"]),
        # a type the adapter does not know at all
        resource_change("aws_made_up_widget.x", "aws_made_up_widget", {"size": 3}, ["create"]),
        # not counted: deleted, unchanged, read, another provider
        resource_change("aws_s3_bucket.old", "aws_s3_bucket", None, ["delete"]),
        resource_change("aws_s3_bucket.kept", "aws_s3_bucket", {"bucket": "kept"}, ["no-op"]),
        resource_change("data.aws_iam_policy_document.p", "aws_iam_policy_document", {"json": "{}"},
                        ["read"], mode="data"),
        {**resource_change("random_id.suffix", "random_id", {"byte_length": 4}, ["create"]),
         "provider_name": "registry.terraform.io/hashicorp/random"},
    ]  # fmt: skip
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": changes,
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_security_group_rule.ssh",
                        "mode": "managed",
                        "type": "aws_security_group_rule",
                        "name": "ssh",
                        "expressions": SG_RULE_REFS,
                    },
                ]
            }
        },
    }


# What the bundled checks evaluate of small_plan() (the integration test asserts it with OPA).
EVALUATED = {
    "aws_s3_bucket.logs",
    "aws_s3_bucket.kept",
    "aws_security_group.web",
    "aws_security_group.db",
    "aws_kms_key.main",
    "aws_db_instance.main",
}

EXPECTED_TYPES = [
    {"type": "aws_db_instance", "resources": 1, "judged": 1, "folded": 0, "status": "judged"},
    {"type": "aws_db_parameter_group", "resources": 2, "judged": 1, "folded": 1, "status": "partly judged"},
    {"type": "aws_kms_key", "resources": 1, "judged": 1, "folded": 0, "status": "judged"},
    {"type": "aws_made_up_widget", "resources": 1, "judged": 0, "folded": 0, "status": "uncovered"},
    {"type": "aws_s3_bucket", "resources": 1, "judged": 1, "folded": 0, "status": "judged"},
    {"type": "aws_s3_bucket_public_access_block", "resources": 1, "judged": 0, "folded": 0, "status": "uncovered"},
    {"type": "aws_s3_bucket_versioning", "resources": 1, "judged": 1, "folded": 1, "status": "judged"},
    {"type": "aws_security_group", "resources": 2, "judged": 2, "folded": 0, "status": "judged"},
    {"type": "aws_security_group_rule", "resources": 1, "judged": 1, "folded": 1, "status": "judged"},
]  # fmt: skip


def expected_report(path: Path) -> dict[str, Any]:
    """The whole report for small_plan() at ``path``."""
    return {
        "plans": [
            {"path": str(path), "resources": 13, "out_of_scope": 2, "judged": 8, "share": 0.7273}
        ],
        "refused": [],
        "resources": 13,
        "out_of_scope": 2,
        "in_scope": 11,
        "judged": 8,
        "folded": 3,
        "share": 0.7273,
        "types": EXPECTED_TYPES,
        "uncovered_types": [
            "aws_made_up_widget",
            "aws_s3_bucket_public_access_block",
        ],
        "partly_judged_types": ["aws_db_parameter_group"],
        "out_of_scope_types": [
            {"type": "aws_kms_alias", "resources": 1, "reason": OUT_OF_SCOPE["aws_kms_alias"]},
            {
                "type": "aws_route_table_association",
                "resources": 1,
                "reason": OUT_OF_SCOPE["aws_route_table_association"],
            },
        ],
        "out_of_scope_but_judged": [],
    }


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    return write_json(tmp_path / "plan.json", small_plan())


def test_exact_figures_of_a_small_plan(plan_path: Path) -> None:
    coverage = Coverage()
    coverage.add(read_plan_input(plan_path), EVALUATED)
    assert coverage.as_json() == expected_report(plan_path)


def test_split_resources_are_folded_as_the_adapter_folds_them(plan_path: Path) -> None:
    plan = read_plan_input(plan_path)
    assert plan.parents == {
        "aws_s3_bucket_versioning.logs": ["aws_s3_bucket.logs"],
        "aws_security_group_rule.ssh": ["aws_security_group.web"],
        "aws_db_parameter_group.tls": ["aws_db_instance.main"],
    }
    assert [c.address for c in plan.counted] == [
        c["address"] for c in small_plan()["resource_changes"][:13]
    ]


def test_a_split_resource_is_judged_only_when_its_parent_is(plan_path: Path) -> None:
    coverage = Coverage()
    coverage.add(read_plan_input(plan_path), EVALUATED - {"aws_security_group.web"})
    report = coverage.as_json()
    by_type = {t["type"]: t for t in report["types"]}
    assert by_type["aws_security_group"]["judged"] == 1
    assert by_type["aws_security_group_rule"]["status"] == "uncovered"
    assert report["judged"] == 6
    assert report["folded"] == 2


def test_out_of_scope_is_never_covered_even_when_evaluated(plan_path: Path) -> None:
    coverage = Coverage()
    coverage.add(read_plan_input(plan_path), EVALUATED | {"aws_kms_alias.main"})
    report = coverage.as_json()
    assert report["judged"] == 8
    assert report["in_scope"] == 11
    assert report["out_of_scope_but_judged"] == ["aws_kms_alias"]
    assert "aws_kms_alias" not in {t["type"] for t in report["types"]}


def test_nothing_evaluated_leaves_every_in_scope_type_uncovered(plan_path: Path) -> None:
    coverage = Coverage()
    coverage.add(read_plan_input(plan_path), set())
    report = coverage.as_json()
    assert (report["judged"], report["share"]) == (0, 0.0)
    assert report["uncovered_types"] == [t["type"] for t in EXPECTED_TYPES]


def test_a_plan_with_nothing_in_scope_has_no_share(tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "p.json",
        {
            "format_version": "1.2",
            "resource_changes": [
                resource_change("aws_route.r", "aws_route", {"route_table_id": "rtb-1"}, ["create"])
            ],
        },
    )
    coverage = Coverage()
    coverage.add(read_plan_input(path), set())
    report = coverage.as_json()
    assert (report["resources"], report["in_scope"], report["share"]) == (1, 0, None)
    assert "n/a" in plan_coverage.render_table(report)


def test_planned_values_only_are_read_as_created(tmp_path: Path) -> None:
    document = {
        "format_version": "0.1",
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket",
                     "provider_name": "aws", "values": {"bucket": "a"}},
                    {"address": "null_resource.n", "mode": "managed", "type": "null_resource",
                     "provider_name": "null", "values": {}},
                ],
                "child_modules": [
                    {"address": "module.m", "resources": [
                        {"address": "module.m.aws_route.r", "mode": "managed", "type": "aws_route",
                         "provider_name": "aws", "values": {}},
                    ]},
                ],
            }
        },
    }  # fmt: skip
    assert [(c.address, c.type) for c in counted_resources(document)] == [
        ("aws_s3_bucket.a", "aws_s3_bucket"),
        ("module.m.aws_route.r", "aws_route"),
    ]


@pytest.mark.parametrize(
    ("provider", "kind", "expected"),
    [
        ("registry.terraform.io/hashicorp/aws", "aws_s3_bucket", True),
        ("aws", "aws_s3_bucket", True),
        ("aws.secondary", "aws_s3_bucket", True),  # format 0.1 with a provider alias
        ("registry.terraform.io/hashicorp/awscc", "awscc_s3_bucket", False),
        ("registry.terraform.io/hashicorp/random", "random_id", False),
        (None, "aws_s3_bucket", True),  # no provider name: by the type
        (None, "google_storage_bucket", False),
    ],
)
def test_aws_provider(provider: str | None, kind: str, expected: bool) -> None:
    assert is_aws(provider, kind) is expected


def test_every_out_of_scope_entry_has_a_reason() -> None:
    assert len(OUT_OF_SCOPE) >= 10
    for name, reason in OUT_OF_SCOPE.items():
        assert re.fullmatch(r"aws_[a-z0-9_]+", name), name
        assert len(reason.split()) >= 5, f"{name}: say why it carries no compliance setting"


def test_the_documented_list_is_the_scripts_list() -> None:
    doc = (REPO / "docs" / "plan-coverage.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(aws_[a-z0-9_]+)` \|", doc, re.MULTILINE)
    assert listed == sorted(OUT_OF_SCOPE)


def _error(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("plan_coverage.py: error: ")
    return lines[0]


def test_an_inventory_snapshot_is_not_a_plan(capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = EXAMPLES / "aws-production.json"
    assert snapshot.is_file()
    assert "not a Terraform plan" in _error(capsys, snapshot)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "invalid JSON"),
        ('{"hello": "world"}', "$"),
        ('{"format_version": "1.2"}', "needs resource_changes or planned_values"),
        ('{"format_version": "1.2", "resource_changes": {}}', "expected a list"),
        ("[command]/usr/bin/terraform show -json\n{}", "CI wrapper output"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert fragment in _error(capsys, path)


def test_a_missing_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "no such file" in _error(capsys, tmp_path / "absent.json")


def test_a_good_plan_does_not_hide_a_bad_one(
    plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert str(bad) in _error(capsys, plan_path, bad)  # refused before OPA is started


def test_a_fold_the_script_does_not_know_stops_it(
    plan_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plan_coverage, "folded_into", lambda document, path: {})
    with pytest.raises(ComplianceError, match="the adapter folded 3 split resources") as caught:
        read_plan_input(plan_path)
    assert not isinstance(caught.value, InputError)  # not a plan to skip: a script to fix
    assert main([str(plan_path), "--skip-unreadable"]) == 3
    assert "bring folded_into() up to date" in capsys.readouterr().err


def test_the_table_names_the_figures_and_the_uncovered(plan_path: Path) -> None:
    coverage = Coverage()
    coverage.add(read_plan_input(plan_path), EVALUATED)
    table = plan_coverage.render_table(coverage.as_json())
    assert "judged by at least one check: 8 of 11 = 72.7% (3 of them split" in table
    assert "uncovered types: aws_made_up_widget, aws_s3_bucket_public_access_block\n" in table
    assert f"  aws_kms_alias: {OUT_OF_SCOPE['aws_kms_alias']}\n" in table
    assert re.search(r"^aws_security_group_rule +1 +1 +1  judged$", table, re.MULTILINE)
    assert json.dumps(coverage.as_json())  # the JSON form is serialisable as it is
