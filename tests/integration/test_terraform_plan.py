# ruff: noqa: E501 - plan data and strategies read best one item per line
"""Terraform plans: the adapter, unknown and sensitive values, baselines, the PR comment,
and every real-world plan from public test suites (tests/fixtures/terraform-plans)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory
from compliance_opa.inventory.schema import validate_document
from compliance_opa.inventory.terraform.plan import adapt_plan, is_plan
from tests.conftest import REPO, assert_one_line_error, run_cli, write_json
from tests.plan_builder import DEEP, SENSITIVE_KEY, SENSITIVE_PASSWORD, plan, resource_change

REAL_PLANS = sorted((REPO / "tests" / "fixtures" / "terraform-plans").glob("*.json"))
CORRUPT = {"infracost__infracost__cmd__infracost__testdata__plan_with_terraform_wrapper.json"}

EXPECTED_FAILURES = {
    ("AWS-KMS-001", "aws_kms_key.main"),  # replaced: judged on the new key
    ("AWS-RDS-003", f"{DEEP}.aws_db_instance.main[0]"),  # an AWS-managed key (sensitive)
    ("AWS-EC2-002", 'module.edge["eu"].aws_security_group.web'),  # for_each module instance
}
EXPECTED_INDETERMINATE = {
    ("AWS-KMS-002", "aws_kms_key.main", ("policy",)),
    ("AWS-S3-002", "aws_s3_bucket.logs", ("server_side_encryption",)),  # key known after apply
    ("AWS-S3-006", "aws_s3_bucket.logs", ("bucket",)),  # the name the policy must cover
    ("AWS-RDS-001", f"{DEEP}.aws_db_instance.main[1]", ("storage_encrypted",)),
    ("AWS-RDS-003", f"{DEEP}.aws_db_instance.main[1]", ("kms_key_id",)),
}


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return write_json(tmp_path / "plan.json", plan())


def _judge(path: Path, *args: str | Path) -> dict[str, Any]:
    result = run_cli("plan", path, "--format", "json", "--fail-on", "none", *args)
    assert result.code == 0, result.stderr
    report: dict[str, Any] = result.json()
    return report


def test_the_plan_is_judged_exactly(plan_file: Path) -> None:
    report = _judge(plan_file)
    failures = {(f["check_id"], f["resource"]) for f in report["findings"] if f["status"] == "fail"}
    assert failures == EXPECTED_FAILURES
    undecided = {
        (f["check_id"], f["resource"], tuple(f["unresolved_paths"]))
        for f in report["findings"]
        if f["status"] == "indeterminate"
    }
    assert undecided == EXPECTED_INDETERMINATE
    assert report["summary"]["collection"]["complete"] is True


def test_addresses_skips_and_folds(plan_file: Path) -> None:
    inventory = load_inventory(plan_file)
    resources = {r["address"]: r for r in inventory.resources}
    assert set(resources) == {
        "aws_s3_bucket.logs",
        f"{DEEP}.aws_db_instance.main[0]",
        f"{DEEP}.aws_db_instance.main[1]",
        'module.edge["eu"].aws_security_group.web',
        "aws_kms_key.main",
        "aws_cloudwatch_log_group.keep",
    }  # no deleted bucket, no data source, split resources folded
    bucket = resources["aws_s3_bucket.logs"]["attributes"]
    assert bucket["versioning"] == {"status": "Enabled"}
    assert bucket["public_access_block"]["restrict_public_buckets"] is True
    assert bucket["policy"]["Statement"][0]["Effect"] == "Deny"
    assert bucket["logging"]["target_bucket"] == "corp-audit"
    assert "server_side_encryption.kms_master_key_id" in resources["aws_s3_bucket.logs"]["unknown"]
    database = resources[f"{DEEP}.aws_db_instance.main[0]"]
    assert database["attributes"]["parameter_group"]["parameters"] == {"rds.force_ssl": "1"}
    assert database["sensitive"] == ["kms_key_id", "password"]
    assert database["region"] == "eu-west-1"
    [source] = inventory.document["sources"]
    assert source["kind"] == "terraform_plan"
    assert "7 split resources folded in" in source["detail"]


def test_sensitive_values_are_never_printed(plan_file: Path, tmp_path: Path) -> None:
    outputs = [
        run_cli(
            "plan", plan_file, "--format", fmt, "--fail-on", "none", "--report-dir", tmp_path / fmt
        )
        for fmt in ("table", "json", "sarif", "junit", "markdown", "html", "pr-comment")
    ]
    assert all(o.code == 0 for o in outputs)
    texts = [o.stdout + o.stderr for o in outputs]
    texts += [p.read_text() for p in tmp_path.rglob("opa-comply*")]
    assert len(texts) > 10
    for secret in (SENSITIVE_PASSWORD, SENSITIVE_KEY, "rds-sensitive-0042"):
        assert [t for t in texts if secret in t] == []
    assert any("(sensitive value)" in t for t in texts)  # the finding is there, redacted


def test_unknowns_never_pass_and_are_listed_in_every_report(
    plan_file: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "plan", plan_file, "--fail-on", "none", "--report-dir", tmp_path, "--format", "json"
    )
    assert result.code == 0
    sarif = json.loads((tmp_path / "opa-comply.sarif").read_text())
    levels = {
        (r["ruleId"], r["level"])
        for r in sarif["runs"][0]["results"]
        if "main[1]" in r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    }
    assert ("AWS-RDS-001", "none") in levels  # listed, and never as a pass
    assert "AWS-RDS-001" in (tmp_path / "opa-comply.md").read_text()
    assert "storage_encrypted" in (tmp_path / "opa-comply.pr-comment.md").read_text()


def test_baseline_gates_only_new_failures(plan_file: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    first = run_cli(
        "plan", plan_file, "--format", "json", "--output", baseline, "--fail-on", "none"
    )
    assert first.code == 0
    again = run_cli("plan", plan_file, "--baseline", baseline, "--format", "json")
    assert again.code == 0, again.stderr  # the same failures: nothing new
    # Reordered plan: the same fingerprints.
    document = plan()
    document["resource_changes"].reverse()
    reordered = write_json(tmp_path / "reordered.json", document)
    same = run_cli("plan", reordered, "--baseline", baseline, "--format", "json")
    assert same.code == 0
    assert same.json()["baseline"]["new"] == []
    # Fix the KMS key, open a database to the internet: one resolved, one new.
    for change in document["resource_changes"]:
        if change["address"] == "aws_kms_key.main":
            change["change"]["after"]["enable_key_rotation"] = True
        if change["address"].endswith("main[0]"):
            change["change"]["after"]["publicly_accessible"] = True
    changed = write_json(tmp_path / "changed.json", document)
    result = run_cli("plan", changed, "--baseline", baseline, "--format", "json")
    assert result.code == 1
    compared = result.json()["baseline"]
    by_print = {f["fingerprint"]: f for f in result.json()["findings"]}
    assert [(by_print[p]["check_id"]) for p in compared["new"]] == ["AWS-RDS-002"]
    assert [(r["check_id"], r["resource"]) for r in compared["resolved"]] == [
        ("AWS-KMS-001", "aws_kms_key.main")
    ]
    comment = run_cli(
        "plan", changed, "--baseline", baseline, "--format", "pr-comment", "--fail-on", "none"
    )
    assert "1 new failing finding" in comment.stdout
    assert "### Resolved since the baseline" in comment.stdout


def test_the_pr_comment_renders_as_github_markdown(plan_file: Path) -> None:
    result = run_cli("plan", plan_file, "--format", "pr-comment", "--fail-on", "none")
    assert result.code == 0
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert html.count("<table>") == 5  # frameworks, three module groups, indeterminate
    assert "<h4><code>module.edge[&quot;eu&quot;]</code></h4>" in html
    assert "<h4><code>(root module)</code></h4>" in html
    assert f"<h4><code>{DEEP}</code></h4>" in html
    assert "<details><summary>Remediation</summary>" in html
    assert "| GDPR | n/a |" in result.stdout  # no baseline: nothing to compare with
    rows = [line for line in result.stdout.splitlines() if line.startswith("| AWS-")]
    assert all(line.count("|") == 4 for line in rows)  # no cell broke its row


@pytest.mark.parametrize("path", REAL_PLANS, ids=lambda p: p.name[:60])
def test_every_real_world_plan_is_judged_or_refused_cleanly(path: Path) -> None:
    result = run_cli("plan", path, "--format", "json", "--fail-on", "none")
    assert "Traceback" not in result.stderr
    if path.name in CORRUPT:
        assert_one_line_error(result, 2, "CI wrapper output, not plan JSON")
        return
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["scan"]["inputs"][0]["path"] == str(path)


def test_utf16_and_bom_plans_read_like_utf8(plan_file: Path, tmp_path: Path) -> None:
    text = plan_file.read_text()
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # with BOM, as PowerShell
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    expected = {(f["check_id"], f["resource"], f["status"]) for f in _judge(plan_file)["findings"]}
    for variant in (utf16, bom):
        found = {(f["check_id"], f["resource"], f["status"]) for f in _judge(variant)["findings"]}
        assert found == expected


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"format_version": "1.2", "resource_changes": [', "invalid JSON at line 1"),
        (
            b'{"format_version": "2.0", "resource_changes": []}',
            "format_version '2.0' is not supported",
        ),
        (
            b'{"format_version": "1.2", "resource_changes": [7]}',
            "$.resource_changes[0]: not a resource change",
        ),
        (
            b'{"format_version": "1.2", "resource_changes": {}}',
            "expected a list of resource changes",
        ),
        (b'{"format_version": "1.2"}', "needs resource_changes or planned_values"),
        (b"[command]/home/runner/terraform show -json\n{}", "CI wrapper output"),
        (b'{"hello": "world"}', "schema violation"),
    ],
)
def test_broken_plans_are_exit_2(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    result = run_cli("plan", path)
    assert_one_line_error(result, 2, fragment)


def test_plan_refuses_a_snapshot(tmp_path: Path) -> None:
    result = run_cli("plan", REPO / "examples" / "aws-production.json")
    assert_one_line_error(result, 2, "not a Terraform plan (use `scan` for snapshots)")


def test_scan_recognises_a_plan_by_its_content(plan_file: Path) -> None:
    result = run_cli(
        "scan", plan_file, REPO / "examples" / "postgres-orders.json", "--format", "json"
    )
    assert result.code == 1
    kinds = {i["path"] for i in result.json()["scan"]["inputs"]}
    assert str(plan_file) in kinds


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
_types = st.sampled_from(
    ["aws_s3_bucket", "aws_s3_bucket_versioning", "aws_db_instance", "aws_security_group",
     "aws_security_group_rule", "aws_db_parameter_group", "aws_kms_key", "null_resource"]
)  # fmt: skip
_change = st.fixed_dictionaries(
    {
        "address": st.text(min_size=1, max_size=12),
        "mode": st.sampled_from(["managed", "data", 3]),
        "type": _types,
        "module_address": st.one_of(st.none(), st.text(max_size=10)),
        "change": st.fixed_dictionaries(
            {
                "actions": st.sampled_from([["create"], ["delete"], ["delete", "create"], ["no-op"], 5]),
                "after": st.one_of(st.none(), st.dictionaries(st.sampled_from(
                    ["bucket", "versioning", "versioning_configuration", "policy", "ingress", "parameter",
                     "parameter_group_name", "storage_encrypted", "security_group_id", "tags", "name"]
                ), _json, max_size=5)),
                "after_unknown": _json,
                "after_sensitive": _json,
            }
        ),
    }
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(_change, max_size=6),
    st.one_of(st.none(), _json),
    st.sampled_from(["0.1", "1.0", "1.2", "9.9", 4]),
)
def test_random_plans_never_crash_the_adapter(
    changes: list[Any], configuration: Any, version: Any
) -> None:
    document = {
        "format_version": version,
        "resource_changes": changes,
        "configuration": configuration,
    }
    assert is_plan(document)
    try:
        snapshot = adapt_plan(document, Path("random.json"), b"{}")
    except InputError:
        return  # refused with a clear message: fine
    validate_document("random.json", snapshot)  # anything accepted is a valid inventory


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    return [_replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_real_plans_never_crash_the_adapter(data: st.DataObject) -> None:
    document = plan()
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(_paths(document)[1:]))
        document = _replaced(document, target, data.draw(_json))
    if not is_plan(document):
        return
    try:
        snapshot = adapt_plan(document, Path("mutated.json"), b"{}")
    except InputError:
        return
    validate_document("mutated.json", snapshot)


def _mini_plan(
    changes: list[dict[str, Any]], resources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": resources or []}},
    }


def _ref(address: str, attribute: str, *references: str) -> dict[str, Any]:
    kind, name = address.split(".")[:2]
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "expressions": {attribute: {"references": list(references)}}}  # fmt: skip


def _outcomes(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["check_id"], f["resource"], f["status"]) for f in report["findings"]}


def test_split_settings_decide_over_the_buckets_own_unknowns(tmp_path: Path) -> None:
    # Provider v4/v5: the bucket's own versioning/logging are computed, unknown at plan time.
    own_unknown = {"id": True, "versioning": True, "logging": True, "policy": True}
    document = _mini_plan(
        [
            resource_change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"}, ["create"], own_unknown),
            resource_change("aws_s3_bucket_versioning.b", "aws_s3_bucket_versioning",
                    {"versioning_configuration": [{"status": "Suspended"}]}, ["create"], {"bucket": True}),
            resource_change("aws_s3_bucket_logging.b", "aws_s3_bucket_logging",
                    {"target_bucket": "", "target_prefix": "x"}, ["create"], {"bucket": True}),
        ],
        [_ref("aws_s3_bucket_versioning.b", "bucket", "aws_s3_bucket.b.id"),
         _ref("aws_s3_bucket_logging.b", "bucket", "aws_s3_bucket.b.id")],
    )  # fmt: skip
    found = _outcomes(_judge(write_json(tmp_path / "p.json", document)))
    assert ("AWS-S3-004", "aws_s3_bucket.b", "fail") in found
    assert ("AWS-S3-005", "aws_s3_bucket.b", "fail") in found


def test_folding_follows_explicit_keys_and_never_a_data_source(tmp_path: Path) -> None:
    document = _mini_plan(
        [
            resource_change("aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": "logs"}, ["create"]),
            resource_change("aws_s3_bucket.b[0]", "aws_s3_bucket", {"bucket": "b0"}, ["create"]),
            resource_change("aws_s3_bucket.b[1]", "aws_s3_bucket", {"bucket": "b1"}, ["create"]),
            resource_change("aws_s3_bucket_versioning.v[1]", "aws_s3_bucket_versioning",
                    {"versioning_configuration": [{"status": "Enabled"}]}, ["create"], {"bucket": True}),
            resource_change("aws_s3_bucket_versioning.existing", "aws_s3_bucket_versioning",
                    {"versioning_configuration": [{"status": "Enabled"}]}, ["create"], {"bucket": True}),
        ],
        [_ref("aws_s3_bucket_versioning.v", "bucket", "aws_s3_bucket.b[0].id", "aws_s3_bucket.b"),
         _ref("aws_s3_bucket_versioning.existing", "bucket", "data.aws_s3_bucket.logs.id")],
    )  # fmt: skip
    buckets = {
        r["address"]: r for r in load_inventory(write_json(tmp_path / "p.json", document)).resources
    }
    assert buckets["aws_s3_bucket.b[0]"]["attributes"]["versioning"] == {"status": "Enabled"}
    assert buckets["aws_s3_bucket.b[1]"]["attributes"]["versioning"] is None
    assert buckets["aws_s3_bucket.logs"]["attributes"]["versioning"] is None


def test_a_new_rule_opening_ssh_fails_although_its_id_is_unknown(tmp_path: Path) -> None:
    document = _mini_plan(
        [
            resource_change("aws_security_group.web", "aws_security_group",
                    {"name": "web", "ingress": [], "egress": []}, ["create"], {"id": True}),
            resource_change("aws_security_group_rule.ssh", "aws_security_group_rule",
                    {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22,
                     "cidr_blocks": ["0.0.0.0/0"]}, ["create"],
                    {"id": True, "security_group_id": True, "source_security_group_id": True}),
        ],
        [_ref("aws_security_group_rule.ssh", "security_group_id", "aws_security_group.web.id")],
    )  # fmt: skip
    found = _outcomes(_judge(write_json(tmp_path / "p.json", document)))
    assert ("AWS-EC2-002", "aws_security_group.web", "fail") in found


def test_sensitive_values_of_folded_resources_are_not_printed(tmp_path: Path) -> None:
    secret = "S3cr3tParamValue-77"
    document = _mini_plan(
        [
            resource_change("aws_db_instance.db", "aws_db_instance",
                    {"engine": "postgres", "parameter_group_name": "pg", "storage_encrypted": True},
                    ["create"]),
            resource_change("aws_db_parameter_group.pg", "aws_db_parameter_group",
                    {"name": "pg", "family": "postgres16",
                     "parameter": [{"name": "rds.force_ssl", "value": secret}]},
                    ["create"], sensitive={"parameter": True}),
        ],
        [_ref("aws_db_instance.db", "parameter_group_name", "aws_db_parameter_group.pg.name")],
    )  # fmt: skip
    plan_path = write_json(tmp_path / "p.json", document)
    outputs = [
        run_cli("plan", plan_path, "--format", f, "--fail-on", "none")
        for f in ("json", "table", "pr-comment")
    ]
    assert [o for o in outputs if secret in o.stdout + o.stderr] == []
    assert any("(sensitive value)" in o.stdout for o in outputs)


def test_provider_default_tags_select_tag_scoped_checks(tmp_path: Path) -> None:
    after = {"engine": "postgres", "multi_az": False, "tags": None,
             "tags_all": {"Environment": "production"}}  # fmt: skip
    document = _mini_plan(
        [resource_change("aws_db_instance.db", "aws_db_instance", after, ["create"])]
    )
    found = _outcomes(_judge(write_json(tmp_path / "p.json", document)))
    assert ("AWS-RDS-008", "aws_db_instance.db", "fail") in found


def test_baseline_neither_resolves_an_indeterminate_nor_ignores_a_changed_failure(
    plan_file: Path, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    assert (
        run_cli(
            "plan", plan_file, "--format", "json", "--output", baseline, "--fail-on", "none"
        ).code
        == 0
    )
    document = plan()
    for change in document["resource_changes"]:
        if change["address"] == "aws_kms_key.main":  # rotation becomes known only after apply
            change["change"]["after"]["enable_key_rotation"] = None
            change["change"]["after_unknown"]["enable_key_rotation"] = True
        if change["address"].startswith("module.edge"):  # the open rule opens more
            change["change"]["after"]["ingress"][0]["to_port"] = 3389
    result = run_cli(
        "plan",
        write_json(tmp_path / "p.json", document),
        "--baseline",
        baseline,
        "--format",
        "json",
    )
    compared = result.json()["baseline"]
    assert compared["resolved"] == []  # the KMS failure is indeterminate now, not fixed
    assert len(compared["changed"]) == 1  # same check and group, wider ports
    assert result.code == 1


def test_a_pipe_in_an_address_keeps_the_comment_table_whole(tmp_path: Path) -> None:
    ingress = [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]
    address = 'module.m["a.module.x"].aws_security_group.web["a|b"]'
    document = _mini_plan([
        resource_change(address, "aws_security_group", {"name": "web", "ingress": ingress, "egress": []},
                ["create"], module='module.m["a.module.x"]'),
    ])  # fmt: skip
    result = run_cli(
        "plan",
        write_json(tmp_path / "p.json", document),
        "--format",
        "pr-comment",
        "--fail-on",
        "none",
    )
    html = MarkdownIt("commonmark").enable("table").render(result.stdout.replace("\\|", "&#124;"))
    assert "<h4><code>module.m[&quot;a.module.x&quot;]</code></h4>" in html
    [row] = [line for line in result.stdout.splitlines() if line.startswith("| high | AWS-EC2-002")]
    assert row.replace("\\|", "").count("|") == 5
