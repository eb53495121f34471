"""Hostile request bodies against a real `opa-comply serve`: every answer is the shaped
error, never a traceback (in the body or the server's log), and the server keeps serving.
Two cases failed before their fix: an integer past 64 bits in a resource (500, its digest
used orjson) and any unexpected exception (logged with its traceback by uvicorn)."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from compliance_opa.service.http import SecurityHeaders
from tests.conftest import EXAMPLES
from tests.serve_support import RunningService, running_service

LIMIT = 64 * 1024
RESOURCE = json.loads((EXAMPLES / "aws-production.json").read_text())["resources"][0]


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    folder = tmp_path_factory.mktemp("serve-hostile")
    serve = {"max_body_bytes": LIMIT, "rate_limit": {"per_second": 1000, "burst": 1000}}
    with running_service(folder, serve=serve) as service:
        yield service


def raw_post(
    svc: RunningService, body: bytes, content_type: str = "application/json", **headers: str
) -> requests.Response:
    sent = {**svc.auth("validator"), "Content-Type": content_type, **headers}
    return requests.post(svc.url + "/v1/validate", data=body, headers=sent, timeout=30)


def assert_shaped(answer: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert set(document) == {"error"}
    error: dict[str, Any] = document["error"]
    assert set(error) == {"status", "code", "message"}
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "\n" not in error["message"]
    assert "Traceback" not in answer.text
    return error


def assert_still_serving(svc: RunningService) -> None:
    answer = raw_post(svc, json.dumps({"resources": [RESOURCE]}).encode())
    assert answer.status_code == 200, answer.text
    assert "Traceback" not in svc.log_text()


BAD_BODIES: list[tuple[str, bytes, int, str]] = [
    ("empty", b"", 400, "bad_request"),
    ("malformed", b'{"resources": [', 400, "bad_request"),
    ("not json", b"hello", 400, "bad_request"),
    ("not utf-8", b'{"resources": ["\xff\xfe"]}', 400, "bad_request"),
    ("utf-16 bom", "{}".encode("utf-16"), 400, "bad_request"),
    ("duplicate keys", b'{"resources": [], "resources": []}', 400, "bad_request"),
    ("duplicate nested", b'{"resources": [{"address": "a", "address": "b"}]}', 400,
     "bad_request"),
    ("deep arrays", b"[" * 10_000 + b"]" * 10_000, 400, "bad_request"),
    ("deep objects", b'{"a":' * 5_000 + b"1" + b"}" * 5_000, 400, "bad_request"),
    ("NaN", b'{"resources": [{"x": NaN}]}', 400, "bad_request"),
    ("Infinity", b'{"resources": [{"x": Infinity}]}', 400, "bad_request"),
    ("-Infinity", b'{"resources": [{"x": -Infinity}]}', 400, "bad_request"),
    ("huge float", b'{"resources": [{"x": 1e999}]}', 400, "bad_request"),
    ("lone surrogate", b'{"resources": [{"x": "\\ud800"}]}', 400, "bad_request"),
    ("lone surrogate key", b'{"resources": [{"\\udfff": 1}]}', 400, "bad_request"),
    ("array", b"[]", 422, "invalid"),
    ("string", b'"resources"', 422, "invalid"),
    ("null", b"null", 422, "invalid"),
    ("unknown property", b'{"resource": []}', 422, "invalid"),
    ("resources not a list", b'{"resources": {}}', 422, "invalid"),
    ("resource not an object", b'{"resources": [1]}', 422, "invalid"),
    ("terraform without type", b'{"terraform_resources": [{}]}', 422, "invalid"),
    ("terraform bad type", b'{"terraform_resources": [{"type": "<script>"}]}', 422, "invalid"),
    ("terraform extra", b'{"terraform_resources": [{"type": "a", "x": 1}]}', 422, "invalid"),
    ("terraform values", b'{"terraform_resources": [{"type": "a", "values": []}]}', 422,
     "invalid"),
    ("framework unknown", b'{"resources": [], "frameworks": ["iso"]}', 422, "invalid"),
    ("framework twice", b'{"resources": [], "frameworks": ["gdpr", "gdpr"]}', 422, "invalid"),
    ("nothing to judge", b"{}", 400, "bad_request"),
    ("resource misses fields", b'{"resources": [{}]}', 400, "bad_request"),
    ("resource bad address", b'{"resources": [{"address": 1, "type": "aws_s3_bucket"}]}', 400,
     "bad_request"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "body", "status", "code"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
def test_bad_bodies_get_shaped_errors(
    svc: RunningService, name: str, body: bytes, status: int, code: str
) -> None:
    error = assert_shaped(raw_post(svc, body), status, code)
    assert "<script>" not in error["message"]


def test_the_server_serves_on_after_every_bad_body(svc: RunningService) -> None:
    for _, body, _, _ in BAD_BODIES:
        raw_post(svc, body)
    assert_still_serving(svc)
    log = svc.log_text()
    assert "Traceback" not in log
    assert "unexpected" not in log  # nothing reached the last-resort handler


def test_big_integers_are_judged_not_a_500(svc: RunningService) -> None:
    big = 123456789012345678901234567890
    resource = {**RESOURCE, "attributes": {**RESOURCE["attributes"], "big": big}}
    answer = raw_post(svc, json.dumps({"resources": [resource]}).encode())
    assert answer.status_code == 200, answer.text
    terraform = {"terraform_resources": [{"type": "aws_s3_bucket", "values": {"bucket": big}}]}
    answer = raw_post(svc, json.dumps(terraform).encode())
    assert answer.status_code == 200, answer.text
    assert "Traceback" not in svc.log_text()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"]
)
def test_a_wrong_content_type_is_415(svc: RunningService, content_type: str) -> None:
    body = json.dumps({"resources": [RESOURCE]}).encode()
    assert_shaped(raw_post(svc, body, content_type), 415, "unsupported_media_type")


def test_json_with_a_charset_parameter_is_accepted(svc: RunningService) -> None:
    body = json.dumps({"resources": [RESOURCE]}).encode()
    assert raw_post(svc, body, "Application/JSON; charset=utf-8").status_code == 200


def test_a_body_over_the_cap_is_413_with_or_without_content_length(svc: RunningService) -> None:
    padding = "x" * (LIMIT + 10)
    body = json.dumps({"resources": [{**RESOURCE, "pad": padding}]}).encode()
    error = assert_shaped(raw_post(svc, body), 413, "body_too_large")
    assert f"{LIMIT:,}" in error["message"]

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    # A generator body is sent chunked: no Content-Length to refuse it by.
    answer = raw_post(svc, chunks())  # type: ignore[arg-type]
    assert_shaped(answer, 413, "body_too_large")
    # Exactly at the cap is not refused for its size.
    at_cap = b" " * (LIMIT - 2) + b"{}"
    assert_shaped(raw_post(svc, at_cap), 400, "bad_request")
    assert_still_serving(svc)


def test_an_endless_chunked_body_is_cut_off(svc: RunningService) -> None:
    """A client that streams forever is answered 413 once past the cap, not read to the end."""
    url = urlsplit(svc.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    try:
        connection.putrequest("POST", "/v1/validate")
        for name, value in {**svc.auth("validator"), "Content-Type": "application/json",
                            "Transfer-Encoding": "chunked"}.items():  # fmt: skip
            connection.putheader(name, value)
        connection.endheaders()
        started = time.monotonic()
        chunk = b"x" * 8192
        answered = None
        for _ in range(1000):  # 8 MiB at most
            try:
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                break  # the server closed the connection after answering
        answered = connection.getresponse()
        assert answered.status == 413
        assert json.loads(answered.read())["error"]["code"] == "body_too_large"
        assert time.monotonic() - started < 20
    finally:
        connection.close()
    assert_still_serving(svc)


def test_a_content_length_that_is_not_a_number_is_refused(svc: RunningService) -> None:
    url = urlsplit(svc.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        connection.putrequest("POST", "/v1/validate", skip_accept_encoding=True)
        connection.putheader("Authorization", svc.auth("validator")["Authorization"])
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", "12abc")
        connection.endheaders(b"{}")
        answer = connection.getresponse()
        assert answer.status == 400
        answer.read()
    finally:
        connection.close()
    assert_still_serving(svc)


def test_a_token_over_its_burst_gets_429_and_others_do_not(tmp_path: Path) -> None:
    # One token back every 10 s: on a loaded machine the first three requests may take
    # seconds, and a faster refill would let the fourth through.
    serve = {"rate_limit": {"per_second": 0.1, "burst": 3}}
    body = {"terraform_resources": [{"type": "aws_s3_bucket", "values": {}}]}
    with running_service(tmp_path, serve=serve) as svc:
        for _ in range(3):
            answer = requests.post(svc.url + "/v1/validate", json=body,
                                   headers=svc.auth("validator"), timeout=30)  # fmt: skip
            assert answer.status_code == 200, answer.text
        limited = requests.post(svc.url + "/v1/validate", json=body,
                                headers=svc.auth("validator"), timeout=30)  # fmt: skip
        error = assert_shaped(limited, 429, "rate_limited")
        assert "validator" in error["message"]
        retry = int(limited.headers["Retry-After"])
        assert 1 <= retry <= 10
        # Plans count against the same bucket.
        plans = requests.post(svc.url + "/v1/plans", json={}, headers=svc.auth("validator"),
                              timeout=30)  # fmt: skip
        assert plans.status_code == 429
        # Another token has its own bucket.
        other = requests.post(svc.url + "/v1/validate", json=body, headers=svc.auth("all"),
                              timeout=30)  # fmt: skip
        assert other.status_code == 200, other.text
        # After Retry-After the first token may go again.
        time.sleep(retry)
        again = requests.post(svc.url + "/v1/validate", json=body,
                              headers=svc.auth("validator"), timeout=30)  # fmt: skip
        assert again.status_code == 200, again.text
        assert "Traceback" not in svc.log_text()


def test_an_unexpected_exception_is_a_shaped_500_logged_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The last stop for an exception no handler knows: before the fix Starlette re-raised
    it for uvicorn, which logged its traceback."""

    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("secret detail /etc/x")

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/v1/validate", "headers": []}
    with caplog.at_level(logging.ERROR, logger="opa_comply.serve"):
        asyncio.run(SecurityHeaders(broken)(scope, receive, send))
    start, body = sent[0], sent[1]
    assert start["status"] == 500
    assert (b"x-frame-options", b"DENY") in start["headers"]
    assert json.loads(body["body"]) == {
        "error": {
            "status": 500,
            "code": "internal",
            "message": "internal error (logged by the service)",
        }
    }
    assert [r.getMessage() for r in caplog.records] == [
        "POST /v1/validate: unexpected RuntimeError"
    ]
    assert "secret detail" not in caplog.text
