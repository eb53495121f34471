"""Suggested changes (compliance_opa/domain/suggestions.py) and how the reports show them.

Every suggestion belongs to a real check with no automatic fix; every Terraform one is
well-formed HCL for each of its check's resource types, whether the finding is a plan
address or a collected ARN; hostile names come out escaped: in HCL strings, in Markdown
fenced blocks that nothing inside can close, in HTML <pre><code>, in the PR comment
(which keeps to its budget) and in JSON. The SQL suggestions run on a real PostgreSQL in
tests/integration/test_suggestions_sql.py, the HTML in a browser in
tests/integration/test_suggestions_html.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from compliance_opa.domain.findings import Check, Finding, Severity, Status
from compliance_opa.domain.suggestions import (
    AUTOMATIC_FIX_CHECKS,
    SQL,
    SUGGESTED_CHECKS,
    TERRAFORM,
    advice_for,
    automatic_fix_command,
    suggestion_for,
    suggestion_kind,
)
from compliance_opa.reports import html, json_report, markdown, pr_comment
from tests.report_builder import report

REPO = Path(__file__).resolve().parents[3]
# Resources a suggestion may add beside the finding's own (split or companion resources).
COMPANIONS = {
    "aws_vpc_security_group_ingress_rule",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_redshift_parameter_group",
    "aws_config_configuration_recorder_status",
    "aws_ebs_snapshot_copy",
    "aws_db_snapshot_copy",
}
HOSTILE = 'ev"il\\`${x}%{y}</script><img src=x>```` @admin var.evil'
HOSTILE_NAME = HOSTILE.replace("/", "")  # one segment of an ARN: what names a resource
HCL_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@cache
def checks() -> dict[str, Check]:
    """Every check's metadata, read from the Rego files' METADATA."""
    found: dict[str, Check] = {}
    for path in sorted((REPO / "policies" / "checks").rglob("*.rego")):
        block = re.search(r"# METADATA\n((?:#.*\n)+)", path.read_text())
        if block is None:
            continue
        text = "\n".join(line[2:] for line in block.group(1).splitlines())
        meta = yaml.safe_load(text)
        custom = meta["custom"]
        found[custom["id"]] = Check(
            check_id=custom["id"],
            title=meta["title"],
            description="",
            severity=Severity(custom["severity"]),
            resource_types=tuple(custom["resource_types"]),
            controls={},
            remediation=custom["remediation"],
        )
    return found


def failing(check: Check, resource: str, resource_type: str, message: str = "bad") -> Finding:
    return Finding(check, resource, resource_type, Status.FAIL, message, (), 50)


def arn_for(resource_type: str, name: str) -> str:
    return f"arn:aws:service:eu-west-1:123456789012:{resource_type}/{name}"


def pg_address(resource_type: str, *names: str) -> str:
    server = "postgresql://db.internal:5432"
    if resource_type == "postgresql_role":
        return f"{server}?role={names[0]}"
    if resource_type == "postgresql_server":
        return server
    return server + "".join(f"/{n}" for n in names)


def test_the_check_list_is_read() -> None:
    assert len(checks()) == 248


def test_every_suggestion_is_for_an_existing_check_without_an_automatic_fix() -> None:
    assert set(checks()) >= SUGGESTED_CHECKS, SUGGESTED_CHECKS - set(checks())
    assert not SUGGESTED_CHECKS & AUTOMATIC_FIX_CHECKS
    assert set(checks()) >= AUTOMATIC_FIX_CHECKS, AUTOMATIC_FIX_CHECKS - set(checks())


def test_there_are_forty_or_more_suggestions_covering_the_severe_checks() -> None:
    assert len(SUGGESTED_CHECKS) >= 40
    kinds = {suggestion_kind(c) for c in SUGGESTED_CHECKS}
    assert kinds == {TERRAFORM, SQL}
    severe = [c for c in SUGGESTED_CHECKS if checks()[c].severity.rank >= Severity.HIGH.rank]
    assert len(severe) >= 30


def test_a_check_with_an_automatic_fix_points_to_its_command() -> None:
    check = checks()["AWS-S3-001"]
    advised = advice_for(failing(check, "arn:aws:s3:::b", "aws_s3_bucket"))
    assert advised is not None
    assert advised.suggestion is None
    assert advised.automatic == "opa-comply remediate plan --check AWS-S3-001"
    assert automatic_fix_command("AWS-RDS-002") is None


def test_only_failing_findings_get_advice() -> None:
    check = checks()["AWS-RDS-002"]
    for status in (Status.INDETERMINATE, Status.WAIVED):
        finding = replace(failing(check, "aws_db_instance.main", "aws_db_instance"), status=status)
        assert advice_for(finding) is None
    assert advice_for(failing(checks()["AWS-RDS-003"], "aws_db_instance.x", "x")) is None


# --- HCL ----------------------------------------------------------------------------


def assert_hcl(text: str) -> list[tuple[str, str, str]]:
    """Structural HCL: strings closed with only valid escapes and no live template
    sequence, comments to the line's end, braces and brackets balanced; returns the
    (block kind, type, label) of each top-level block."""
    depth: list[str] = []
    blocks: list[tuple[str, str, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        assert line.isprintable(), (number, line)
        code = []
        i = 0
        while i < len(line):
            c = line[i]
            if c == "#":
                break
            if c == '"':
                end = _string_end(line, i, number)
                code.append('""')
                i = end + 1
                continue
            code.append(c)
            i += 1
        stripped = "".join(code)
        if not depth and stripped.strip():
            header = re.fullmatch(r'\s*(resource|data|variable) (""(?: "")*) \{(\})?\s*', stripped)
            assert header, (number, line)
            names = re.findall(r'"((?:[^"\\]|\\.)*)"', line.split("#")[0])
            if header.group(1) == "variable":
                blocks.append(("variable", "", names[0]))
            else:
                blocks.append((header.group(1), names[0], names[1]))
        for c in stripped:
            if c in "{[(":
                depth.append(c)
            elif c in "}])":
                assert depth, (number, line)
                assert depth.pop() == {"}": "{", "]": "[", ")": "("}[c], (number, line)
        inner = stripped.strip()
        if depth and "=" in inner and not inner.startswith(("}", "]")):
            name = inner.split("=", 1)[0].strip()
            assert HCL_IDENTIFIER.fullmatch(name), (number, line)
    assert not depth, text
    return blocks


def _string_end(line: str, start: int, number: int) -> int:
    i = start + 1
    while i < len(line):
        c = line[i]
        if c == "\\":
            escape = line[i + 1 : i + 2]
            if escape == "u":
                assert re.fullmatch(r"[0-9a-fA-F]{4}", line[i + 2 : i + 6]), (number, line)
                i += 6
            elif escape == "U":
                assert re.fullmatch(r"[0-9a-fA-F]{8}", line[i + 2 : i + 10]), (number, line)
                i += 10
            else:
                assert escape in ('"', "\\", "n", "r", "t"), (number, line)
                i += 2
            continue
        if c in "$%" and line[i + 1 : i + 2] == "{":
            pytest.fail(f"live template sequence in a string, line {number}: {line}")
        if c in "$%" and line[i + 1 : i + 3] == c + "{":
            i += 3  # an escaped $${ or %%{
            continue
        if c == '"':
            return i
        i += 1
    pytest.fail(f"string not closed on line {number}: {line}")


def terraform_findings() -> list[tuple[str, Finding]]:
    cases = []
    for check_id in sorted(SUGGESTED_CHECKS):
        if suggestion_kind(check_id) != TERRAFORM:
            continue
        check = checks()[check_id]
        for resource_type in check.resource_types:
            for address in (
                f"{resource_type}.main",
                f'module.app.module.db["eu"].{resource_type}.main[0]',
                arn_for(resource_type, "main-1"),
                arn_for(resource_type, HOSTILE),
            ):
                cases.append((check_id, failing(check, address, resource_type)))
    return cases


TERRAFORM_CASES = terraform_findings()


@pytest.mark.parametrize(("check_id", "finding"), TERRAFORM_CASES, ids=lambda v: str(v)[:60])
def test_terraform_suggestions_are_well_formed_hcl(check_id: str, finding: Finding) -> None:
    made = suggestion_for(finding)
    if made is None:  # a type the check covers but the template has no change for
        return
    assert made.kind == TERRAFORM
    blocks = assert_hcl(made.text)
    assert blocks, made.text
    for kind, resource_type, label in blocks:
        if kind == "resource":
            assert resource_type in {finding.resource_type, *COMPANIONS}, made.text
            assert HCL_IDENTIFIER.fullmatch(label), label
    declared = {label for kind, _, label in blocks if kind == "variable"}
    code = "\n".join(
        re.sub(r'"(?:[^"\\]|\\.)*"', '""', line).split("#")[0] for line in made.text.split("\n")
    )
    assert set(re.findall(r"\bvar\.([a-z_]+)", code)) == declared, made.text
    first = made.text.split("\n")[0]
    assert first.startswith("# Finding on "), first
    assert "\n" not in made.text.split("\n")[0]


def test_every_terraform_suggestion_covers_one_of_its_resource_types() -> None:
    made = {c for c, f in TERRAFORM_CASES if suggestion_for(f) is not None}
    wanted = {c for c in SUGGESTED_CHECKS if suggestion_kind(c) == TERRAFORM}
    assert made == wanted, wanted - made


def test_plan_addresses_refer_to_the_resource_and_collected_ones_name_it() -> None:
    check = checks()["AWS-S3-008"]
    planned = suggestion_for(failing(check, "module.web.aws_s3_bucket.site[1]", "aws_s3_bucket"))
    assert planned is not None
    assert "  bucket = aws_s3_bucket.site[1].id" in planned.text
    assert "# In the configuration of module.web" in planned.text
    collected = suggestion_for(failing(check, "arn:aws:s3:::acme-site", "aws_s3_bucket"))
    assert collected is not None
    assert '  bucket = "acme-site"' in collected.text
    assert 'resource "aws_s3_bucket_ownership_controls" "acme-site" {' in collected.text


def test_hostile_names_are_hcl_strings_and_labels_identifiers() -> None:
    check = checks()["AWS-S3-008"]
    made = suggestion_for(failing(check, f"arn:aws:s3:::{HOSTILE_NAME}\n\u202e", "aws_s3_bucket"))
    assert made is not None
    assert_hcl(made.text)
    escaped = 'ev\\"il\\\\`$${x}%%{y}<script><img src=x>```` @admin var.evil\\n\\u202e'
    assert f'  bucket = "{escaped}"' in made.text
    assert made.text.startswith('# Finding on "arn:aws:s3:::ev\\"il\\\\`$${x}%%{y}<script>')
    [label] = re.findall(r'"aws_s3_bucket_ownership_controls" "([^"]*)"', made.text)
    assert HCL_IDENTIFIER.fullmatch(label)


def test_security_group_rules_admit_the_ports_of_the_message_from_a_named_cidr() -> None:
    check = checks()["AWS-EC2-001"]
    message = 'security group "web" allows the internet to database port(s) 3306, 5432'
    made = suggestion_for(failing(check, "aws_security_group.db", "aws_security_group", message))
    assert made is not None
    assert_hcl(made.text)
    assert made.text.count('resource "aws_vpc_security_group_ingress_rule"') == 2
    assert "from_port         = 3306" in made.text
    assert "to_port           = 5432" in made.text
    assert "cidr_ipv4         = var.database_client_cidr" in made.text
    assert "security_group_id = aws_security_group.db.id" in made.text
    assert "0.0.0.0/0" not in made.text.replace("admits 0.0.0.0/0", "")


def test_redshift_parameter_group_names_are_valid_whatever_the_label() -> None:
    check = checks()["AWS-RS-006"]
    made = suggestion_for(
        failing(check, arn_for("cluster", "9--Bad__Name--"), "aws_redshift_cluster")
    )
    assert made is not None
    [name] = re.findall(r'name   = "([^"]*)"', made.text)
    assert re.fullmatch(r"[a-z](?:-?[a-z0-9])*", name), name


# --- SQL (its execution: tests/integration/test_suggestions_sql.py) ------------------


def test_sql_names_are_quoted_identifiers() -> None:
    role = checks()["PG-ROLE-001"]
    made = suggestion_for(failing(role, pg_address("postgresql_role", 'a"b'), "postgresql_role"))
    assert made is not None
    assert made.kind == SQL
    assert made.text.endswith('ALTER ROLE "a""b" NOSUPERUSER;')
    unprintable = suggestion_for(
        failing(role, pg_address("postgresql_role", 'x\n"\\\u202e'), "postgresql_role")
    )
    assert unprintable is not None
    assert unprintable.text.endswith('ALTER ROLE U&"x\\000A""\\\\\\202E" NOSUPERUSER;')


def test_ambiguous_postgres_addresses_get_no_suggestion() -> None:
    table = checks()["PG-TBL-001"]
    fine = pg_address("postgresql_table", "shop", "public", "patients")
    assert suggestion_for(failing(table, fine, "postgresql_table")) is not None
    ambiguous = pg_address("postgresql_table", "shop", "a/b", "patients")
    assert suggestion_for(failing(table, ambiguous, "postgresql_table")) is None
    server = checks()["PG-SRV-001"]
    assert suggestion_for(failing(server, fine, "postgresql_server")) is None


# --- rendering ----------------------------------------------------------------------


def hostile_report() -> tuple[list[Finding], object]:
    rds = checks()["AWS-RDS-002"]
    role = checks()["PG-ROLE-001"]
    s3 = checks()["AWS-S3-001"]
    findings = [
        failing(rds, arn_for("db", HOSTILE), "aws_db_instance"),
        failing(role, pg_address("postgresql_role", HOSTILE), "postgresql_role"),
        failing(s3, f"arn:aws:s3:::{HOSTILE}", "aws_s3_bucket"),
    ]
    built = report(
        {f.check.check_id: [f.resource] for f in findings}, findings, checks=[rds, role, s3]
    )
    return findings, built


def _fences(text: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert not [t for t in tokens if t.type == "html_block" and "<details>" not in t.content
                and "</details>" not in t.content]  # fmt: skip
    return [(t.info, t.content) for t in tokens if t.type == "fence"]


@pytest.mark.parametrize("renderer", [markdown.render, pr_comment.render])
def test_markdown_shows_each_suggestion_in_a_fence_nothing_inside_closes(renderer: object) -> None:
    findings, built = hostile_report()
    text = renderer(built)  # type: ignore[operator]
    expected = [suggestion_for(f) for f in findings[:2]]
    fences = _fences(text)
    assert sorted(fences) == sorted(
        (markdown.LANGUAGES[s.kind], s.text + "\n") for s in expected if s
    )
    assert "Automatic fix available: `opa-comply remediate plan --check AWS-S3-001`" in text
    assert "<script>" not in text.replace(fences[0][1], "").replace(fences[1][1], "")


def test_fenced_blocks_outlast_any_run_of_backticks() -> None:
    block = markdown.fenced("a ``````` b\n```\n\x1b[2J", "hcl")
    assert block.startswith("````````hcl\n")
    assert block.endswith("\n````````")
    assert "\\x1b[2J" in block


def test_html_shows_suggestions_escaped_in_pre_code() -> None:
    findings, built = hostile_report()
    page = html.render(built)  # type: ignore[arg-type]
    blocks = _pre_codes(page)
    expected = [s.text for s in (suggestion_for(f) for f in findings[:2]) if s]
    assert sorted(blocks) == sorted(expected)
    assert "</script><img" not in page
    assert "Automatic fix available: <code>opa-comply remediate plan --check AWS-S3-001</code>" in (
        page
    )


class _PreCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.blocks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and ("class", "suggestion") in attrs:
            self.inside = True
            self.blocks.append("")
        elif self.inside and not (tag == "code" and self.blocks[-1] == ""):
            pytest.fail(f"markup inside a suggestion: <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.blocks[-1] += data


def _pre_codes(page: str) -> list[str]:
    parser = _PreCode()
    parser.feed(page)
    return parser.blocks


def test_json_carries_the_suggestion_only_on_findings_that_have_one() -> None:
    findings, built = hostile_report()
    document = json.loads(json_report.render(built))  # type: ignore[arg-type]
    by_check = {f["check_id"]: f for f in document["findings"]}
    rds = suggestion_for(findings[0])
    assert rds is not None
    assert by_check["AWS-RDS-002"]["suggestion"] == {"kind": "terraform", "text": rds.text}
    assert by_check["PG-ROLE-001"]["suggestion"]["kind"] == "sql"
    assert "suggestion" not in by_check["AWS-S3-001"]


def test_the_pr_comment_keeps_suggestions_within_its_budget() -> None:
    check = checks()["AWS-EC2-001"]
    message = "allows the internet to database port(s) " + ", ".join(
        str(p) for p in range(1000, 1010)
    )
    findings = [
        failing(check, f"aws_security_group.group_{i}", "aws_security_group", message)
        for i in range(200)
    ]
    built = report({check.check_id: [f.resource for f in findings]}, findings, checks=[check])
    text = pr_comment.render(built)
    shown = len(_fences(text))
    assert 0 < shown < 200
    assert f"{200 - shown} more suggested changes or automatic fixes not shown" in text
    shown_text = sum(len(body) for _, body in _fences(text))
    assert shown_text <= pr_comment.SUGGESTIONS_BUDGET
    assert len(text) < 65_536


def test_reports_without_advice_show_no_suggestion_section() -> None:
    check = checks()["AWS-RDS-003"]
    finding = failing(check, "aws_db_instance.x", "aws_db_instance")
    built = report({check.check_id: [finding.resource]}, [finding], checks=[check])
    assert "Suggested changes" not in markdown.render(built)
    assert "Suggested changes" not in pr_comment.render(built)
    assert "suggestion" not in json.loads(json_report.render(built))["findings"][0]
    assert 'class="suggestion"' not in html.render(built)


def test_a_plan_address_of_an_older_type_name_keeps_its_type() -> None:
    check = checks()["AWS-ELB-002"]
    made = suggestion_for(failing(check, "module.edge.aws_alb_listener.web", "aws_lb_listener"))
    assert made is not None
    assert 'resource "aws_alb_listener" "web" {' in made.text
    other = suggestion_for(failing(check, "kubernetes_x.web", "aws_lb_listener"))
    assert other is not None
    assert 'resource "aws_lb_listener" "kubernetes_x_web" {' in other.text
