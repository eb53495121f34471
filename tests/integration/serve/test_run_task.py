"""The HCP Terraform run task end to end: a real `opa-comply serve` on loopback, a real
OPA, real plans from tests/fixtures/terraform-plans, and tests/tfc_double.py playing the
platform from its published documentation (it checks every field we send)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By

from compliance_opa.service.auth import COOKIE
from tests.browser_support import headless_chromium
from tests.conftest import free_port
from tests.serve_support import TOKENS, RunningService, running_service
from tests.tfc_double import TfcDouble, sign

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "terraform-plans"
# 6 critical and 3 high failing findings (security groups open to everything: a database
# port, all traffic, an admin port): failed at fail_on high.
FAILING_PLAN = PLANS / (
    "bridgecrewio__checkov__tests__common__runner_registry__"
    "plan_with_for_each_for_enrichment__tf_plan.json"
)
# One medium failing finding: passed at fail_on high, with its outcome shown.
PASSING_PLAN = PLANS / "terraform-compliance__cli__tests__functional__test_issue-132__plan.out.json"
# 163 kB: over the max_plan_bytes the tests configure.
LARGE_PLAN = PLANS / "bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json"
KEY = "run-task-hmac-key-for-tests-5f0c2a"
PUBLIC = "https://compliance.example.com"
MAX_PLAN_BYTES = 100_000
RUN_TASK: dict[str, Any] = {
    "fail_on": "high",
    "max_plan_bytes": MAX_PLAN_BYTES,
    "allowed_hosts": ["127.0.0.1"],
    "insecure_hosts": ["127.0.0.1"],
    "attempts": 3,
    "backoff_seconds": 0.2,
    "deadline_seconds": 60,
}


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    folder = tmp_path_factory.mktemp("run-task")
    with running_service(
        folder,
        serve={"public_url": PUBLIC, "run_task": RUN_TASK},
        env={"OPA_COMPLY_RUN_TASK_KEY": KEY},
    ) as running:
        yield running


def _history(svc: RunningService) -> list[dict[str, Any]]:
    answer = requests.get(svc.url + "/v1/run-tasks", headers=svc.auth("runtask"), timeout=10)
    assert answer.status_code == 200, answer.text
    tasks: list[dict[str, Any]] = answer.json()["run_tasks"]
    return tasks


def _task(
    svc: RunningService, run_id: str, until: tuple[str, ...] = ("passed", "failed")
) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [t for t in _history(svc) if t["run_id"] == run_id]
        if found and found[0]["status"] in until:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} not {until} in history: {_history(svc)}")


def test_failing_plan_is_a_failed_result_with_outcomes(svc: RunningService) -> None:
    with TfcDouble(FAILING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload()
        answer = tfc.send(svc.url, payload, KEY)
        assert answer.status_code == 200, answer.text
        task_id = answer.json()["task_id"]
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
        patches = tfc.patches_of(payload["task_result_id"])
        assert [p.status for p in patches] == ["running", "failed"]  # progress first
        assert final.status == "failed"
        assert final.attributes["url"] == f"{PUBLIC}/run-tasks/{task_id}"
        assert "9 failing findings (6 critical, 3 high)" in final.attributes["message"]
        assert "9 at or above high; failed" in final.attributes["message"]
        outcomes = final.outcomes
        assert outcomes
        assert all(o["tags"]["Status"] == [{"label": "Failed", "level": "error"}] for o in outcomes)
        severities = {o["tags"]["Severity"][0]["label"] for o in outcomes}
        assert severities == {"Critical", "High"}
        assert all("Remediation:" in o["body"] and "Resources:" in o["body"] for o in outcomes)
        # The plan came through the archivist's redirect; the token went to the API only.
        assert tfc.plan_requests
        assert tfc.archivist_requests
        assert all("authorization" not in h for h in tfc.archivist_requests)
    record = _task(svc, payload["run_id"])
    assert record["status"] == "failed"
    assert record["verdict"] == "failed"
    assert record["counts"]["critical"] == 6
    assert record["counts"]["high"] == 3
    assert record["attempts"] == 3  # progress, fetch, callback
    assert record["last_error"] == ""


def test_passing_plan_is_passed_and_lists_the_finding_under_fail_on(svc: RunningService) -> None:
    with TfcDouble(PASSING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload()
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
    assert final.status == "passed"
    assert "1 failing finding (1 medium)" in final.attributes["message"]
    assert "0 at or above high; passed" in final.attributes["message"]
    [outcome] = final.outcomes
    assert outcome["tags"]["Status"] == [{"label": "Failed", "level": "warning"}]
    assert outcome["tags"]["Severity"] == [{"label": "Medium", "level": "warning"}]
    assert _task(svc, payload["run_id"])["status"] == "passed"


def test_verification_request_is_answered_and_calls_nobody(svc: RunningService) -> None:
    with TfcDouble() as tfc:
        payload = tfc.verification_payload()
        answer = tfc.send(svc.url, payload, KEY)
        assert answer.status_code == 200
        time.sleep(1.0)  # a callback, if one were made, would have come by now
        assert tfc.patches == []
        assert tfc.plan_requests == []
        assert tfc.violations == []
    assert not [t for t in _history(svc) if t["run_id"] == payload["run_id"]]


@pytest.mark.parametrize(
    "signature",
    ["", "0" * 128, sign("another-key", b"{}"), "not hex at all \u00e9"],
    ids=["missing", "zeros", "other-key-other-body", "not-hex"],
)
def test_bad_signature_is_refused_and_nothing_is_fetched(
    svc: RunningService, signature: str
) -> None:
    with TfcDouble(FAILING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload()
        if signature == "":
            body = b'{"payload_version": 1}'
            answer = requests.post(
                svc.url + "/v1/run-tasks/terraform",
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=10,
            )
        else:
            answer = tfc.send(svc.url, payload, KEY, signature=signature)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthorized"
        time.sleep(0.5)
        assert tfc.plan_requests == []
        assert tfc.patches == []
    assert not [t for t in _history(svc) if t["run_id"] == payload["run_id"]]


def test_signed_body_changed_in_transit_is_refused(svc: RunningService) -> None:
    with TfcDouble() as tfc:
        payload = tfc.payload()
        signature = sign(KEY, b'{"payload_version": 1}')
        assert tfc.send(svc.url, payload, KEY, signature=signature).status_code == 401


def test_payload_not_matching_the_documented_fields_is_422(svc: RunningService) -> None:
    with TfcDouble() as tfc:
        for bad in (
            tfc.payload(payload_version=2),
            tfc.payload(stage="sometime"),
            {k: v for k, v in tfc.payload().items() if k != "task_result_callback_url"},
            tfc.payload(is_speculative="yes"),
        ):
            answer = tfc.send(svc.url, bad, KEY)
            assert answer.status_code == 422, answer.text
            assert answer.json()["error"]["code"] == "invalid"
        not_json = b"{not json"
        answer = requests.post(
            svc.url + "/v1/run-tasks/terraform",
            data=not_json,
            headers={
                "Content-Type": "application/json",
                "X-TFC-Task-Signature": sign(KEY, not_json),
            },
            timeout=10,
        )
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == "bad_request"
        assert tfc.plan_requests == []
        assert tfc.patches == []


def test_plan_too_large_is_a_failed_result_saying_so(svc: RunningService) -> None:
    assert LARGE_PLAN.stat().st_size > MAX_PLAN_BYTES
    with TfcDouble(LARGE_PLAN.read_bytes()) as tfc:
        payload = tfc.payload()
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
    assert final.status == "failed"
    assert "larger than max_plan_bytes (100,000 bytes)" in final.attributes["message"]
    record = _task(svc, payload["run_id"])
    assert record["status"] == "failed"
    assert "larger than max_plan_bytes" in record["message"]


def test_platform_answering_500_then_200_is_retried(svc: RunningService) -> None:
    with TfcDouble(FAILING_PLAN.read_bytes()) as tfc:
        tfc.plan_script.extend([500, 429])
        tfc.callback_script.extend([502])  # the progress PATCH (one try), kept going
        tfc.callback_script.extend([503])  # the result's first try, retried
        payload = tfc.payload()
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
        assert len(tfc.plan_requests) == 3
    assert final.status == "failed"
    record = _task(svc, payload["run_id"])
    assert record["status"] == "failed"
    assert record["verdict"] == "failed"
    # progress 502, fetch 500, 429, ok, callback 503, ok
    assert record["attempts"] == 6
    page = requests.get(
        f"{svc.url}/run-tasks/{record['task_id']}", headers=svc.auth("reader"), timeout=10
    )
    assert page.status_code == 200
    assert "answered 500" in page.text
    assert "answered 429" in page.text
    assert "answered 503" in page.text


def test_unreachable_callback_is_retried_with_backoff_and_shown_failed(svc: RunningService) -> None:
    closed = free_port()
    with TfcDouble(PASSING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload(
            task_result_callback_url=f"http://127.0.0.1:{closed}/api/v2/task-results/x/callback"
        )
        started = time.monotonic()
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        record = _task(svc, payload["run_id"])
        took = time.monotonic() - started
    assert record["status"] == "failed"
    assert record["verdict"] == "passed"  # judged, just not delivered
    assert "result not delivered" in record["last_error"]
    assert "cannot connect" in record["last_error"]
    assert record["attempts"] == 1 + 1 + 3  # progress once, fetch, callback thrice
    assert took >= 0.2 + 0.4  # backoff between the callback's attempts
    listing = requests.get(svc.url + "/run-tasks", headers=svc.auth("reader"), timeout=10)
    assert listing.status_code == 200
    assert payload["run_id"] in listing.text
    assert "result not delivered" in listing.text


def test_plan_url_outside_allowed_hosts_is_never_fetched(svc: RunningService) -> None:
    with TfcDouble() as tfc:
        payload = tfc.payload(plan_json_api_url="http://169.254.169.254/latest/meta-data/")
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
    assert final.status == "failed"
    assert "not in allowed_hosts" in final.attributes["message"]


def test_access_token_never_in_log_store_or_pages(svc: RunningService) -> None:
    with TfcDouble(FAILING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload()
        answer = tfc.send(svc.url, payload, KEY)
        task_id = answer.json()["task_id"]
        tfc.wait_for_final(payload["task_result_id"])
        token = tfc.access_token
    _task(svc, payload["run_id"])
    pages = [
        requests.get(svc.url + path, headers=svc.auth("all"), timeout=10).text
        for path in ("/run-tasks", f"/run-tasks/{task_id}", "/v1/run-tasks")
    ]
    assert all(token not in text for text in pages)
    assert payload["run_id"] in pages[1]
    assert token not in svc.log_text()
    state = svc.config.parent / "state.db"
    stored = b"".join(p.read_bytes() for p in state.parent.glob("state.db*"))
    assert state.exists()
    assert token.encode() not in stored
    assert payload["run_id"].encode() in stored


def test_history_needs_the_run_task_scope_and_pages_send_browsers_to_login(
    svc: RunningService,
) -> None:
    assert requests.get(svc.url + "/v1/run-tasks", timeout=10).status_code == 401
    refused = requests.get(svc.url + "/v1/run-tasks", headers=svc.auth("validator"), timeout=10)
    assert refused.status_code == 403
    browser = requests.get(
        svc.url + "/run-tasks", headers={"Accept": "text/html"}, allow_redirects=False, timeout=10
    )
    assert browser.status_code == 303
    assert browser.headers["location"] == "/login"
    api = requests.get(svc.url + "/run-tasks", headers={"Accept": "application/json"}, timeout=10)
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "unauthorized"
    missing = requests.get(
        svc.url + "/run-tasks/" + "0" * 32, headers=svc.auth("reader"), timeout=10
    )
    assert missing.status_code == 404


def test_advisory_passes_a_failing_plan_and_says_so(tmp_path: Path) -> None:
    settings = {**RUN_TASK, "enforcement": "advisory", "progress": False}
    with (
        running_service(
            tmp_path, serve={"run_task": settings}, env={"OPA_COMPLY_RUN_TASK_KEY": KEY}
        ) as svc,
        TfcDouble(FAILING_PLAN.read_bytes()) as tfc,
    ):
        payload = tfc.payload(task_result_enforcement_level="advisory")
        assert tfc.send(svc.url, payload, KEY).status_code == 200
        final = tfc.wait_for_final(payload["task_result_id"])
        assert tfc.violations == []
        assert [p.status for p in tfc.patches_of(payload["task_result_id"])] == ["passed"]
        assert "url" not in final.attributes  # no public_url configured
        assert all("url" not in o for o in final.outcomes)
    assert final.status == "passed"
    assert "advisory: passed (would have failed)" in final.attributes["message"]
    assert len(final.outcomes) >= 2


def test_without_a_key_the_endpoint_is_503_and_serve_warns(tmp_path: Path) -> None:
    with running_service(tmp_path, env={"OPA_COMPLY_RUN_TASK_KEY": ""}) as svc, TfcDouble() as tfc:
        answer = tfc.send(svc.url, tfc.payload(), "")
        assert answer.status_code == 503
        assert answer.json()["error"] == {
            "status": 503,
            "code": "unavailable",
            "message": "run task not configured",
        }
        assert "run task is not configured (OPA_COMPLY_RUN_TASK_KEY is not set)" in svc.log_text()
        assert tfc.plan_requests == []


EVIL = "<img src=x onerror=\"document.title='pwned'\">"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


def test_pages_in_chromium_show_the_task_and_keep_payload_text_as_text(
    svc: RunningService, browser: webdriver.Chrome
) -> None:
    with TfcDouble(FAILING_PLAN.read_bytes()) as tfc:
        payload = tfc.payload(
            workspace_name=EVIL, run_id=f"run-{EVIL}", run_app_url="javascript:alert(1)"
        )
        answer = tfc.send(svc.url, payload, KEY)
        task_id = answer.json()["task_id"]
        tfc.wait_for_final(payload["task_result_id"])
    _task(svc, payload["run_id"])
    browser.get(svc.url + "/healthz")
    browser.add_cookie({"name": COOKIE, "value": TOKENS["reader"][0], "path": "/"})
    browser.get(svc.url + "/run-tasks")
    row = browser.find_element(By.CSS_SELECTOR, f'tr.run-task[data-task-id="{task_id}"]')
    assert EVIL in row.text
    assert "javascript:" not in browser.page_source.replace(EVIL, "")
    row.find_element(By.TAG_NAME, "a").click()
    assert browser.current_url == f"{svc.url}/run-tasks/{task_id}"
    assert browser.find_element(By.CSS_SELECTOR, "dd.verdict").text == "failed"
    outcomes = browser.find_elements(By.CSS_SELECTOR, "section.outcome")
    assert len(outcomes) >= 2
    assert browser.find_elements(By.CSS_SELECTOR, "table.findings tr.finding")
    cells = browser.find_elements(By.CSS_SELECTOR, "table.attempts-log td")
    assert [c.text for c in cells][1::3] == ["progress", "fetch", "callback"]
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    assert browser.title.startswith(f"Run task run-{EVIL}")  # the markup stayed text
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    # /favicon.ico is base.html's (no icon is served yet): not this page's error.
    errors = [e for e in log if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]
    assert errors == []
