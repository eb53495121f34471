"""`opa-comply evidence audit-logs`: its options and config section refused with one line
and exit 2 before anything is read, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--from", "2026-13-01"], ["--from 2026-13-01", "expected a date"]),
        (["--to", "2026-11-30T18:00:00"], ["--to", "give the time zone"]),
        (["--from", "2026-12-01", "--to", "2026-11-01"], ["--to must be after --from"]),
        (["--cloudtrail-public-key", "nothex=key.pem"], ["FINGERPRINT=FILE"]),
        (["--log-format", "xml"], ["--log-format xml", "csvlog"]),
        ([], ["no audit logs to read"]),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], fragments: list[str]
) -> None:
    output = tmp_path / "summary.json"
    result = run_cli("evidence", "audit-logs", "--output", output, *args)
    assert_one_line_error(result, 2, *fragments)
    assert not output.exists()


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ("audit_logs:\n  postgres:\n    format: xml\n", "audit_logs.postgres.format"),
        (
            "audit_logs:\n  cloudtrail:\n    locations: [http://x]\n",
            "audit_logs.cloudtrail.locations.0",
        ),
        ("audit_logs:\n  period_days: 0\n", "audit_logs.period_days"),
        (
            "audit_logs:\n  cloudtrail:\n    sensitive_events: {stops: [Stop Logging]}\n",
            "audit_logs.cloudtrail.sensitive_events.stops.0",
        ),
        ("audit_logs:\n  unknown: 1\n", "audit_logs"),
    ],
)
def test_a_bad_config_section_is_one_line_and_exit_2(
    tmp_path: Path, section: str, fragment: str
) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(section)
    output = tmp_path / "summary.json"
    result = run_cli("evidence", "audit-logs", "--output", output, "--config", config)
    assert_one_line_error(result, 2, str(config), fragment)
    assert not output.exists()


def test_drift_can_collect_audit_logs() -> None:
    """The config's drift.collect accepts the audit logs as a source."""
    from compliance_opa.collect.registry import names

    assert "audit_logs" in names()
