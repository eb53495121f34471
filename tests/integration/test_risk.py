"""Risk scores: the documented formula, exposure read from attributes, order in reports."""

from __future__ import annotations

from typing import Any

import pytest

from compliance_opa.domain.findings import Severity
from compliance_opa.domain.risk import ResourceFacts, exposure, facts_of, risk_score
from tests.conftest import EXAMPLES, run_cli


def facts(**kwargs: Any) -> ResourceFacts:
    return ResourceFacts(address="a", type="aws_db_instance", **kwargs)


@pytest.mark.parametrize(
    ("severity", "kwargs", "expected"),
    [
        ("critical", {"data_classes": ("phi",), "exposure": "public"}, 100),
        ("critical", {"data_classes": ("pii", "phi"), "exposure": "public"}, 100),  # max class
        ("high", {"data_classes": ("pii",)}, 60),
        ("high", {}, 45),
        ("medium", {"exposure": "internet"}, 45),
        ("low", {"environment": "development"}, 8),  # 7.5 rounds up
        ("medium", {"data_classes": ("pii",), "environment": "dev"}, 23),  # 22.5 rounds up
        ("high", {"data_classes": ("pci",), "environment": "Staging"}, 52),
        ("high", {"environment": "unheard-of"}, 45),  # unknown counts as production
        ("info", {"data_classes": ("public",)}, 5),
    ],
)
def test_formula(severity: str, kwargs: dict[str, Any], expected: int) -> None:
    assert risk_score(severity, facts(**kwargs)) == expected


def test_unknown_resource_is_judged_by_severity_alone() -> None:
    assert risk_score("critical", None) == 60


def resource(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"address": "x", "type": kind, "attributes": attributes}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (resource("aws_db_instance", publicly_accessible=True), "public"),
        (resource("aws_db_instance", publicly_accessible=False), None),
        (resource("aws_db_snapshot", shared_accounts=["all"]), "public"),
        (resource("aws_db_snapshot", shared_accounts=["222222222222"]), None),
        (
            resource(
                "aws_s3_bucket",
                policy={"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}}]},
            ),
            "public",
        ),
        (
            resource(
                "aws_s3_bucket",
                policy={
                    "Statement": {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}},
                    }
                },
            ),
            None,
        ),
        (resource("aws_security_group", ingress=[{"cidr_blocks": ["10.0.0.0/8"]}]), None),
        (resource("aws_security_group", ingress=[{"ipv6_cidr_blocks": ["::/0"]}]), "internet"),
        (resource("aws_sagemaker_notebook_instance", direct_internet_access="Enabled"), "internet"),
        (resource("postgresql_hba_rule", connection_type="hostssl", address="0.0.0.0"), "internet"),
        (resource("postgresql_hba_rule", connection_type="local", address=None), None),
        (resource("postgresql_table", columns=[]), None),
    ],
)
def test_exposure(item: dict[str, Any], expected: str | None) -> None:
    assert exposure(item) == expected


def test_facts_carry_routing_fields() -> None:
    got = facts_of(
        {
            "address": "arn:x",
            "type": "aws_db_instance",
            "owner": "payments",
            "environment": "production",
            "data_classes": ["pii"],
            "tags": {"Team": "payments"},
            "source": "111/rds/eu-west-1",
            "attributes": {"publicly_accessible": True},
        }
    )
    assert (got.owner, got.environment, got.data_classes, got.exposure, got.source) == (
        "payments",
        "production",
        ("pii",),
        "public",
        "111/rds/eu-west-1",
    )


def test_reports_order_findings_by_risk(tmp_path: Any) -> None:
    result = run_cli(
        "scan", EXAMPLES / "aws-production.json", "--format", "json", "--fail-on", "none",
        "--no-state",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    risks = [f["risk"] for f in result.json()["findings"]]
    assert risks == sorted(risks, reverse=True)
    assert len(set(risks)) > 3  # the example spans several risk levels
    severities = {f["severity"] for f in result.json()["findings"]}
    assert Severity.CRITICAL.value in severities
