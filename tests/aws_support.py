"""Real HTTP on loopback for AWS tests: a moto server, and a proxy in front of it that
answers chosen calls with AWS errors (throttling, AccessDenied, refused credentials).

botocore's Stubber answers inside the client and skips the retry handler, so the
retry behaviour is only visible against a server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tests.conftest import free_port

# Static credentials for the base session; roles assumed from it get moto's own.
BASE_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIAOPACOMPLYTEST0001",
    "AWS_SECRET_ACCESS_KEY": "base-secret-key-never-in-a-snapshot",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@dataclass
class MotoServer:
    url: str
    process: subprocess.Popen[bytes]

    def reset(self) -> None:
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()


def start_moto(ready_timeout: float = 60, env: Mapping[str, str] | None = None) -> MotoServer:
    """A moto server; `env` adds settings it reads at start (MOTO_...)."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=log,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"moto exited: {log.read()[-2000:]!r}")
        try:
            requests.get(f"{url}/moto-api/", timeout=1)
            return MotoServer(url, process)
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("moto server did not start")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Call:
    service: str  # the signing name: kms, s3, sts, ...
    region: str
    operation: str  # API operation, or for S3 the method and sub-resource ("GET ?policy")


@dataclass(frozen=True)
class Fault:
    status: int
    code: str
    message: str = "injected by the test proxy"


# Decides, per call, whether the proxy answers with a fault instead of moto.
FaultRule = Callable[[Call], Fault | None]


@dataclass
class FaultProxy:
    """Forwards to moto; answers a call with an AWS error when the rule says so."""

    upstream: str
    rule: FaultRule = lambda call: None
    calls: Counter[Call] = field(default_factory=Counter)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FaultProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_request(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                call = _identify(self.command, self.path, dict(self.headers), body)
                proxy.calls[call] += 1
                fault = proxy.rule(call)
                if fault is not None:
                    self._answer(fault.status, *_error_body(call, fault))
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream = requests.request(
                    self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=60
                )
                self._answer(
                    upstream.status_code,
                    upstream.headers.get("Content-Type", "text/xml"),
                    upstream.content,
                    upstream.headers,
                )

            def _answer(
                self,
                status: int,
                content_type: str,
                body: bytes,
                headers: Any = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    if name.lower().startswith("x-amz"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_request

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def count(self, service: str, operation: str) -> int:
        return sum(
            n for c, n in self.calls.items() if (c.service, c.operation) == (service, operation)
        )


def _identify(method: str, path: str, headers: dict[str, str], body: bytes) -> Call:
    lowered = {k.lower(): v for k, v in headers.items()}
    scope = _SCOPE.search(lowered.get("authorization", ""))
    region, service = scope.groups() if scope else ("", "")
    target = lowered.get("x-amz-target")
    if target:  # JSON protocols: "TrentService.ListKeys"
        return Call(service, region, target.rsplit(".", 1)[-1])
    query = parse_qs(urlsplit(path).query, keep_blank_values=True)
    form = parse_qs(body.decode("utf-8", "replace")) if method == "POST" else {}
    action = (query.get("Action") or form.get("Action") or [""])[0]
    if action:  # query protocols: STS, EC2, IAM, RDS, Redshift
        return Call(service, region, action)
    subresource = "&".join(sorted(k for k in query if k.islower() or k == "tagging"))
    return Call(service, region, f"{method} ?{subresource}" if subresource else method)


def _error_body(call: Call, fault: Fault) -> tuple[str, bytes]:
    if call.service in {
        "kms",
        "dynamodb",
        "logs",
        "secretsmanager",
        "sagemaker",
        "backup",
        "cloudtrail",
    }:
        body = {"__type": fault.code, "message": fault.message}
        return "application/x-amz-json-1.1", json.dumps(body).encode()
    if call.service == "ec2":
        xml = (
            f"<Response><Errors><Error><Code>{fault.code}</Code>"
            f"<Message>{fault.message}</Message></Error></Errors></Response>"
        )
        return "text/xml", xml.encode()
    if call.service == "s3":
        return (
            "application/xml",
            f"<Error><Code>{fault.code}</Code><Message>{fault.message}</Message></Error>".encode(),
        )
    xml = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault.code}</Code>"
        f"<Message>{fault.message}</Message></Error></ErrorResponse>"
    )
    return "text/xml", xml.encode()


def aws_env(**extra: str) -> dict[str, str]:
    return {**BASE_ENV, **extra}


def serve_moto(env: Mapping[str, str] | None = None) -> Iterator[MotoServer]:
    server = start_moto(env=env)
    try:
        yield server
    finally:
        stop_process(server.process)


# Where an IAM action is not named after the boto3 operation that needs it.
IAM_ACTION_NAMES = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    # S3 Control signs as s3 too; tests of it name its calls s3control.
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    # CloudWatch signs as monitoring.
    ("monitoring", "DescribeAlarms"): "cloudwatch:DescribeAlarms",
    ("monitoring", "DescribeAlarmsForMetric"): "cloudwatch:DescribeAlarmsForMetric",
    # API Gateway (REST and v2) authorizes reads of its management API as apigateway:GET.
    **{
        ("apigateway", operation): "apigateway:GET"
        for operation in (
            "GetApis",
            "GetDomainNames",
            "GetMethod",
            "GetResources",
            "GetRestApis",
            "GetRoutes",
            "GetStages",
        )
    },
}
# Calls the audited role needs no permission for: identity, and assuming the role itself
# (a permission of the caller, documented in the README).
NO_ROLE_PERMISSION = {"sts:GetCallerIdentity", "sts:AssumeRole"}


def least_privilege_gaps(
    calls: set[tuple[str, str]], services: Iterable[str]
) -> tuple[set[str], set[str]]:
    """(Actions the calls needed that the services do not declare, declared actions no call
    used) for a collection of `services` that made `calls` (service, operation)."""
    from collectors.aws.services import RUN_ACTIONS, SERVICES

    used = {IAM_ACTION_NAMES.get(call, f"{call[0]}:{call[1]}") for call in calls}
    used -= NO_ROLE_PERMISSION
    declared = {*RUN_ACTIONS, *(a for name in services for a in SERVICES[name].actions)}
    return used - declared, declared - used
