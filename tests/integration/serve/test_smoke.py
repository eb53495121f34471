"""The service starts, answers its health, refuses a request without a token and judges
a resource; SIGTERM stops it (exit 0) with its OPA."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.conftest import child_pids, pid_alive
from tests.serve_support import running_service, stop


def test_serves_validates_and_stops_with_its_opa(tmp_path: Path) -> None:
    with running_service(tmp_path) as svc:
        assert requests.get(svc.url + "/healthz", timeout=5).json() == {"status": "live"}
        assert requests.get(svc.url + "/healthz/ready", timeout=5).json()["ready"] is True
        refused = requests.post(svc.url + "/v1/validate", json={}, timeout=5)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
        answer = requests.post(
            svc.url + "/v1/validate",
            json={"terraform_resources": [{"type": "aws_s3_bucket", "values": {"bucket": "b"}}]},
            headers=svc.auth("validator"),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["status"] == "NON_COMPLIANT"
        opa = [p for p in child_pids(svc.process.pid)]
        assert opa, "the managed OPA runs as a child of the service"
        assert stop(svc.process) == 0, svc.log_text()
        assert not any(pid_alive(p) for p in opa)
        assert "Traceback" not in svc.log_text()
