"""A user-run OPA through --opa-url: tokens, TLS, and every failure mode as exit 3."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.conftest import (
    COMPLIANT,
    POLICIES,
    REPO,
    VIOLATING,
    OpaServer,
    assert_one_line_error,
    run_cli,
    start_opa,
    stop_opa,
)

FIXTURES = REPO / "tests" / "fixtures" / "opa"
TOKEN = "test-token-0c6f"


@pytest.fixture
def server_with(request: pytest.FixtureRequest) -> Iterator[OpaServer]:
    paths, extra, scheme = request.param
    server = start_opa(*paths, extra=extra, scheme=scheme)
    yield server
    stop_opa(server)


def test_remote_scan_matches_the_sidecar_scan(opa_server: OpaServer) -> None:
    remote = run_cli("scan", *VIOLATING, "--opa-url", opa_server.url, "--format", "json")
    local = run_cli("scan", *VIOLATING, "--format", "json")
    assert remote.code == local.code == 1
    remote_report, local_report = remote.json(), local.json()
    assert remote_report["opa"]["url"] == opa_server.url
    assert remote_report["opa"]["version"] == "1.22.2"
    # The digest covers the policy texts OPA loaded, not their paths, so both agree.
    assert remote_report["opa"]["policy_digest"] == local_report["opa"]["policy_digest"]
    assert remote_report["findings"] == local_report["findings"]


def test_policy_digest_changes_with_the_policies(tmp_path: Path) -> None:
    changed = tmp_path / "policies"
    changed.mkdir()
    for source in POLICIES.rglob("*"):
        target = changed / source.relative_to(POLICIES)
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    (changed / "extra.rego").write_text("package extra\n\nx := 1\n")
    base = run_cli("scan", COMPLIANT, "--format", "json").json()["opa"]["policy_digest"]
    other = run_cli("scan", COMPLIANT, "--policies", changed, "--format", "json")
    assert other.code == 0, other.stderr
    assert other.json()["opa"]["policy_digest"] != base


@pytest.mark.parametrize(
    "server_with",
    [((POLICIES, FIXTURES / "authz"), ("--authentication=token", "--authorization=basic"), "http")],
    indirect=True,
)
def test_bearer_token_from_environment(server_with: OpaServer) -> None:
    ok = run_cli("scan", COMPLIANT, "--opa-url", server_with.url, env={"OPA_TOKEN": TOKEN})
    assert ok.code == 0, ok.stderr
    wrong = run_cli("scan", COMPLIANT, "--opa-url", server_with.url, env={"OPA_TOKEN": "nope"})
    assert_one_line_error(wrong, 3, "HTTP 401")
    assert TOKEN not in wrong.stderr
    missing = run_cli("scan", COMPLIANT, "--opa-url", server_with.url)
    assert_one_line_error(missing, 3, "HTTP 401")
    # A token read from a file often ends in a newline: it is dropped, not sent.
    newline = run_cli(
        "scan", COMPLIANT, "--opa-url", server_with.url, env={"OPA_TOKEN": TOKEN + "\n"}
    )
    assert newline.code == 0, newline.stderr


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[OpaServer, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    server = start_opa(
        POLICIES,
        extra=(f"--tls-cert-file={cert_file}", f"--tls-private-key-file={key_file}"),
        scheme="https",
    )
    yield server, ca_file
    stop_opa(server)


def test_tls_with_ca_bundle(tls_server: tuple[OpaServer, Path]) -> None:
    server, ca_file = tls_server
    ok = run_cli("scan", COMPLIANT, "--opa-url", server.url, "--opa-ca-bundle", ca_file)
    assert ok.code == 0, ok.stderr
    via_env = run_cli(
        "scan", COMPLIANT, "--opa-url", server.url, env={"OPA_CA_BUNDLE": str(ca_file)}
    )
    assert via_env.code == 0, via_env.stderr
    untrusted = run_cli("scan", COMPLIANT, "--opa-url", server.url)
    assert_one_line_error(untrusted, 3, "TLS error")


def test_missing_ca_bundle_file_exits_2(tmp_path: Path) -> None:
    result = run_cli(
        "scan", COMPLIANT, "--opa-url", "https://127.0.0.1:9", "--opa-ca-bundle", tmp_path / "x"
    )
    assert_one_line_error(result, 2, "CA bundle file not found")


@pytest.mark.parametrize("server_with", [((FIXTURES / "authz",), (), "http")], indirect=True)
def test_opa_without_our_policies_is_an_error_not_a_clean_scan(server_with: OpaServer) -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", server_with.url)
    assert_one_line_error(result, 3, "returned no result for data.scan.report")


@pytest.mark.parametrize(
    "server_with", [((FIXTURES / "builtin_error",), (), "http")], indirect=True
)
def test_builtin_error_is_an_error(server_with: OpaServer) -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", server_with.url)
    assert_one_line_error(result, 3, "HTTP 500", "time.parse_rfc3339_ns")


@pytest.mark.parametrize("server_with", [((FIXTURES / "slow",), (), "http")], indirect=True)
def test_slow_opa_times_out(server_with: OpaServer) -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", server_with.url, "--opa-timeout", "0.5")
    assert_one_line_error(result, 3, "no answer within 0.5s")


def test_non_opa_http_server_is_an_error(tmp_path: Path) -> None:
    # OPA's health endpoint is not a data API: a 404 from a wrong path is exit 3.
    server = start_opa(POLICIES)
    try:
        result = run_cli("scan", COMPLIANT, "--opa-url", f"{server.url}/not-opa")
        assert_one_line_error(result, 3, "HTTP 404")
    finally:
        stop_opa(server)
