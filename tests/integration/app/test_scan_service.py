"""The scan service called directly (no subprocess), against the real OPA binary: what a
program embedding opa-comply, or the compliance service, gets."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from compliance_opa.app import scan
from compliance_opa.app.alerts import list_alerts
from compliance_opa.app.events import Recorded
from compliance_opa.app.outputs import Display
from compliance_opa.app.policies import list_checks
from compliance_opa.app.reports import ReportRequest, render_stored
from compliance_opa.app.scan import ScanKind, ScanRequest
from compliance_opa.domain.findings import Severity, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine.connect import EngineSettings
from compliance_opa.errors import EngineError, InputError
from compliance_opa.reports import RENDERERS
from tests.conftest import COMPLIANT, EXAMPLES, VIOLATING
from tests.receivers import HttpReceiver

ORDERS = "arn:aws:rds:eu-west-1:123456789012:db:orders"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "terraform-plans"
ENGINE = EngineSettings()  # the managed sidecar on the bundled policies


@pytest.fixture(autouse=True)
def _state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The evidence ledger's default place; never the user's own.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-home"))


def request(kind: ScanKind = ScanKind.SCAN, **given: object) -> ScanRequest:
    environ = {"HOOK_KEY": "webhook-signing-secret"}  # secrets come from here, never os.environ
    return ScanRequest(kind=kind, engine=ENGINE, environ=environ, **given)  # type: ignore[arg-type]


def failing(report: ScanReport) -> set[tuple[str, str]]:
    return {(f.check.check_id, f.resource) for f in report.findings if f.status is Status.FAIL}


def test_a_scan_judges_the_inputs_and_gates_on_severity() -> None:
    events = Recorded()
    outcome = scan.run(request(inputs=tuple(VIOLATING), fail_on=Severity.HIGH), events)
    assert ("AWS-RDS-001", ORDERS) in failing(outcome.report)
    assert outcome.breached is True
    assert outcome.report.scan_id == ""  # nothing named a state store: nothing recorded
    assert [i.path for i in outcome.report.inputs] == [str(p) for p in VIOLATING]
    assert events.notes == []
    assert events.warnings == []


def test_a_compliant_input_does_not_gate() -> None:
    outcome = scan.run(request(inputs=(COMPLIANT,), fail_on=Severity.LOW))
    assert failing(outcome.report) == set()
    assert outcome.breached is False


def test_the_service_shows_the_chosen_format_on_the_given_stream() -> None:
    shown = io.StringIO()
    outcome = scan.run(request(inputs=(COMPLIANT,), display=Display(RENDERERS["json"], shown)))
    document = json.loads(shown.getvalue())
    assert document["opa"]["version"] == outcome.report.opa_version


def test_plan_refuses_a_snapshot_before_evaluating() -> None:
    with pytest.raises(InputError, match="not a Terraform plan"):
        scan.run(request(ScanKind.PLAN, inputs=(VIOLATING[0],)))


def test_plan_judges_a_terraform_plan_by_its_addresses() -> None:
    plan = (
        FIXTURES / "bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json"
    )
    outcome = scan.run(request(ScanKind.PLAN, inputs=(plan,), fail_on=None))
    assert outcome.breached is False  # fail_on None: nothing gates
    assert outcome.report.findings
    assert all(f.resource.startswith("aws_") for f in outcome.report.findings)
    assert [i.path for i in outcome.report.inputs] == [str(plan)]


def drift_config(folder: Path, hook: str) -> Path:
    config = folder / "opa-comply.yaml"
    settings = {
        "drift": {"scope": "production"},
        "alerts": {
            "channels": {"siem": {"type": "webhook", "url": hook, "secret_env": "HOOK_KEY"}},
            "rules": [{"name": "all", "channels": ["siem"]}],
            "delivery": {"backoff_seconds": 0.1, "max_wait_seconds": 5},
        },
    }
    config.write_text(yaml.safe_dump(settings))
    return config


def test_drift_records_alerts_once_and_keeps_evidence(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with HttpReceiver() as hook:
        config = drift_config(tmp_path, f"{hook.url}/hook")
        drift = request(ScanKind.DRIFT, inputs=(VIOLATING[0],), config=config, state=str(state))
        first_events = Recorded()
        first = scan.run(drift, first_events)
        assert first.report.drift is not None
        assert first.report.drift.previous_scan is None
        opened = {r.json["finding"]["dedup_key"] for r in hook.requests}
        assert len(opened) == len(first.report.drift.newly_failing) > 0
        assert any(n.startswith("evidence record 1 appended to ") for n in first_events.notes)
        assert any(n.startswith("alerts: ") for n in first_events.notes)

        second = scan.run(drift, Recorded())
        assert second.report.drift is not None
        assert second.report.drift.previous_scan == first.report.scan_id
        assert second.report.drift.new == ()
        assert second.breached is False
        assert len(hook.requests) == len(opened)  # nothing sent twice
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT complete FROM scans ORDER BY started_at").fetchall() == [
            (1,),
            (1,),
        ]


class _FullStream(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_scan_whose_outputs_fail_stays_incomplete_and_still_alerts(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with HttpReceiver() as hook:
        config = drift_config(tmp_path, f"{hook.url}/hook")
        broken = request(
            ScanKind.DRIFT,
            inputs=(VIOLATING[0],),
            config=config,
            state=str(state),
            display=Display(RENDERERS["json"], _FullStream()),
        )
        with pytest.raises(EngineError, match="cannot write to standard output"):
            scan.run(broken, Recorded())
        assert hook.requests  # the queued alerts went out all the same
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT complete FROM scans").fetchall() == [(0,)]
    # The next run compares with the scan before it: its failures are new again.
    again = scan.run(
        request(ScanKind.DRIFT, inputs=(VIOLATING[0],), config=config, state=str(state)),
        Recorded(),
    )
    assert again.report.drift is not None
    assert again.report.drift.previous_scan is None


def test_a_scan_that_cannot_be_completed_still_sends_its_alerts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(store: object, scan_id: str) -> None:
        raise EngineError("state store locked")

    # The store refuses the last step (marking the scan complete) as a locked one would.
    monkeypatch.setattr(scan, "complete", locked)
    with HttpReceiver() as hook:
        config = drift_config(tmp_path, f"{hook.url}/hook")
        events = Recorded()
        drift = request(
            ScanKind.DRIFT, inputs=(VIOLATING[0],), config=config, state=str(state_of(tmp_path))
        )
        with pytest.raises(EngineError, match="state store locked"):
            scan.run(drift, events)
        assert hook.requests
    assert any(n.startswith("alerts: ") for n in events.notes)
    with sqlite3.connect(state_of(tmp_path)) as db:
        assert db.execute("SELECT complete FROM scans").fetchall() == [(0,)]


def state_of(folder: Path) -> Path:
    return folder / "state.db"


def test_a_dry_run_records_nothing_and_says_what_it_would_send(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    config = drift_config(tmp_path, "http://127.0.0.1:9/never")
    events = Recorded()
    scan.run(
        request(
            ScanKind.DRIFT, inputs=(VIOLATING[0],), config=config, state=str(state), dry_run=True
        ),
        events,
    )
    assert any(n.startswith("would send trigger to siem: ") for n in events.notes)
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM scans").fetchone() == (0,)
    assert list_alerts([], str(state), None) == []


def test_a_recorded_scan_reports_again_as_it_was(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    recorded = scan.run(request(inputs=tuple(VIOLATING), state=str(state), scope="ci"))
    shown = io.StringIO()
    again = render_stored(
        ReportRequest(state=str(state), display=Display(RENDERERS["sarif"], shown)), Recorded()
    )
    assert again.scan_id == recorded.report.scan_id
    assert failing(again) == failing(recorded.report)
    assert shown.getvalue() == RENDERERS["sarif"](recorded.report)


def test_the_policy_catalogue_lists_every_check() -> None:
    checks = list_checks(ENGINE)
    on_disk = list((EXAMPLES.parent / "policies" / "checks").rglob("*.rego"))
    assert len(checks) == len(on_disk) > 0
    assert len(list_checks(ENGINE, ["hipaa"])) < len(checks)
