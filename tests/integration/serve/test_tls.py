"""`opa-comply serve` over HTTPS with a certificate from a test CA; the start-up errors
(bad or missing key, port in use, no token) are one line with their exit code."""

from __future__ import annotations

import socket
from pathlib import Path

import requests
import trustme

from tests.conftest import CliResult, assert_one_line_error, run_cli
from tests.serve_support import TOKENS, running_service, service_config

BODY = {"terraform_resources": [{"type": "aws_s3_bucket", "values": {"bucket": "b"}}]}


def certificate(folder: Path) -> tuple[trustme.CA, Path, Path]:
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = folder / "cert.pem", folder / "key.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    for pem in leaf.cert_chain_pems[1:]:
        pem.write_to_path(str(cert), append=True)
    leaf.private_key_pem.write_to_path(str(key))
    return ca, cert, key


def test_serves_https_verified_by_the_ca(tmp_path: Path) -> None:
    ca, cert, key = certificate(tmp_path)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    args = ("--tls-cert", str(cert), "--tls-key", str(key))
    with running_service(tmp_path, *args) as svc:
        assert svc.url.startswith("https://127.0.0.1:")
        health = requests.get(svc.url + "/healthz", verify=str(bundle), timeout=10)
        assert health.json() == {"status": "live"}
        answer = requests.post(svc.url + "/v1/validate", json=BODY, headers=svc.auth("validator"),
                               verify=str(bundle), timeout=30)  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["status"] == "NON_COMPLIANT"
        # Without the CA the certificate is not trusted; plain HTTP is not served.
        try:
            requests.get(svc.url + "/healthz", timeout=10)
            raise AssertionError("an untrusted certificate was accepted")
        except requests.exceptions.SSLError:
            pass
        plain = svc.url.replace("https://", "http://")
        try:
            refused = requests.get(plain + "/healthz", timeout=10)
            assert refused.status_code == 400 or refused.status_code >= 400
        except requests.ConnectionError:
            pass
    assert "Traceback" not in svc.log_text()


def serve(tmp_path: Path, *args: str | Path) -> CliResult:
    config = service_config(tmp_path / "serve.yaml")
    return run_cli("serve", "--config", config, "--port", "0", "--state",
                   tmp_path / "state.db", *args, timeout=60)  # fmt: skip


def test_a_bad_or_missing_key_is_a_one_line_error(tmp_path: Path) -> None:
    _, cert, key = certificate(tmp_path)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    other_key = tmp_path / "other.pem"
    trustme.CA().issue_cert("127.0.0.1").private_key_pem.write_to_path(str(other_key))
    cases = [
        (("--tls-cert", cert, "--tls-key", garbage), "unusable"),
        (("--tls-cert", cert, "--tls-key", other_key), "unusable"),  # not the cert's key
        (("--tls-cert", cert, "--tls-key", tmp_path / "missing.pem"), "missing.pem"),
        (("--tls-cert", tmp_path / "nocert.pem", "--tls-key", key), "nocert.pem"),
        (("--tls-cert", cert), "--tls-key"),
        (("--tls-key", key), "--tls-cert"),
    ]
    for args, fragment in cases:
        result = serve(tmp_path, *args)
        assert_one_line_error(result, 2, fragment)
    # The private key's text never reaches the message.
    result = serve(tmp_path, "--tls-cert", cert, "--tls-key", garbage)
    assert "not a key" not in result.stderr


def test_a_port_in_use_is_a_one_line_error_exit_3(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        config = service_config(tmp_path / "serve.yaml")
        result = run_cli("serve", "--config", config, "--port", str(port), "--state",
                         tmp_path / "state.db", timeout=60)  # fmt: skip
        assert_one_line_error(result, 3, str(port))


def test_no_token_configured_is_a_one_line_error_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "empty.yaml"
    config.write_text("serve:\n  max_batch: 10\n", encoding="utf-8")
    result = run_cli("serve", "--config", config, "--port", "0", "--state",
                     tmp_path / "state.db", timeout=60)  # fmt: skip
    assert_one_line_error(result, 2, "serve.tokens", "no token configured")
    result = run_cli("serve", "--port", "0", "--state", tmp_path / "state.db", timeout=60)
    assert_one_line_error(result, 2, "no token configured")
    # A token's own value never shows in any message.
    assert all(token not in result.stderr for token, _ in TOKENS.values())
