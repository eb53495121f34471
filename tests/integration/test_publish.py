"""Publishing reports to S3: moto in server mode over loopback HTTP, a KMS key made in
moto, real uploads and presigned links fetched with requests.

moto serves a presigned GET without checking its signature or its expiry (a link with
X-Amz-Expires edited, or one past its expiry, is still served), so fetching a link only
proves it names the right object on the right endpoint. The signature is therefore
checked here as S3 would, by an independent SigV4 implementation; expiry enforcement
itself cannot be tested without AWS and is not faked.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import boto3
import jsonschema
import pytest
import requests

from compliance_opa.errors import EngineError, ExitCode, InputError
from compliance_opa.reports.publish import (
    MAX_EXPIRES_SECONDS,
    PUBLISH_SCHEMA,
    Published,
    PublishOptions,
    S3Target,
    content_type,
    parse_target,
    publish_options,
    publish_reports,
    validate,
)
from tests.aws_support import BASE_ENV, Call, Fault, FaultProxy, MotoServer, serve_moto
from tests.conftest import free_port

REGION = "eu-west-1"
SECRET = BASE_ENV["AWS_SECRET_ACCESS_KEY"]
REPORTS = {
    "html": ("opa-comply.html", b"<!doctype html><title>r</title>\xc3\xa9"),
    "json": ("opa-comply.json", b'{"findings": []}\n'),
    "sarif": ("opa-comply.sarif", b'{"version": "2.1.0", "runs": []}'),
}


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in BASE_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def estate(moto: MotoServer) -> dict[str, str]:
    """A bucket in eu-west-1 and a customer KMS key, made once for the module."""
    session = boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"], aws_secret_access_key=SECRET
    )
    s3 = session.client("s3", region_name=REGION, endpoint_url=moto.url)
    s3.create_bucket(
        Bucket="opa-comply-reports", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    kms = session.client("kms", region_name=REGION, endpoint_url=moto.url)
    key_id: str = kms.create_key(Description="reports")["KeyMetadata"]["KeyId"]
    return {"bucket": "opa-comply-reports", "key_id": key_id}


@pytest.fixture
def reports(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name, (file_name, body) in REPORTS.items():
        files[name] = tmp_path / file_name
        files[name].write_bytes(body)
    return files


@pytest.fixture(scope="module")
def published(
    moto: MotoServer, estate: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> list[Published]:
    folder = tmp_path_factory.mktemp("reports")
    files = {}
    for name, (file_name, body) in REPORTS.items():
        files[name] = folder / file_name
        files[name].write_bytes(body)
    options = PublishOptions(
        kms_key_id=estate["key_id"], expires_seconds=3600, endpoint_url=moto.url
    )
    with pytest.MonkeyPatch.context() as patch:  # the autouse fixture is function-scoped
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        return publish_reports(
            files, f"s3://{estate['bucket']}/compliance/prod/", options, folder="scan-1234"
        )


def _s3(moto: MotoServer) -> Any:
    return boto3.client("s3", region_name=REGION, endpoint_url=moto.url)


def _expect(error: pytest.ExceptionInfo[Exception], *fragments: str) -> str:
    message = str(error.value)
    assert "\n" not in message
    assert SECRET not in message
    assert BASE_ENV["AWS_ACCESS_KEY_ID"] not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_each_file_is_stored_under_the_folder_with_sse_kms_and_its_content_type(
    moto: MotoServer, estate: dict[str, str], published: list[Published]
) -> None:
    assert [p.name for p in published] == ["html", "json", "sarif"]
    s3 = _s3(moto)
    for item, (name, (file_name, _)) in zip(published, REPORTS.items(), strict=True):
        assert item.key == f"compliance/prod/scan-1234/{file_name}"
        head = s3.head_object(Bucket=estate["bucket"], Key=item.key)
        assert head["ServerSideEncryption"] == "aws:kms"
        assert estate["key_id"] in head["SSEKMSKeyId"]
        assert head["ContentType"] == item.content_type == content_type(file_name)
        disposition = "inline" if name == "html" else "attachment"
        assert head["ContentDisposition"] == f"{disposition}; filename*=UTF-8''{file_name}"


def test_each_link_returns_the_exact_bytes(published: list[Published]) -> None:
    for item in published:
        assert urlsplit(item.url).hostname == "127.0.0.1"
        answer = requests.get(item.url, timeout=10)
        assert answer.status_code == 200
        assert answer.content == REPORTS[item.name][1]
        assert answer.headers["Content-Type"] == item.content_type


def test_links_are_sigv4_signed_for_the_requested_lifetime(published: list[Published]) -> None:
    for item in published:
        query = dict(parse_qsl(urlsplit(item.url).query))
        assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
        assert query["X-Amz-Expires"] == "3600"
        assert query["X-Amz-Credential"].split("/")[2:] == [REGION, "s3", "aws4_request"]
        signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert abs(item.expires_at - (signed_at + timedelta(seconds=3600))) < timedelta(seconds=5)
        assert query["X-Amz-Signature"] == _sigv4_query_signature(item.url, SECRET)
        # The lifetime is part of what is signed: a lengthened link no longer verifies.
        longer = item.url.replace("X-Amz-Expires=3600", "X-Amz-Expires=604800")
        assert dict(parse_qsl(urlsplit(longer).query))["X-Amz-Signature"] != (
            _sigv4_query_signature(longer, SECRET)
        )


def test_without_a_key_id_the_aws_managed_key_is_used(
    moto: MotoServer, estate: dict[str, str], reports: dict[str, Path]
) -> None:
    options = PublishOptions(endpoint_url=moto.url, expires_seconds=60)
    (item,) = publish_reports(
        {"json": reports["json"]}, f"s3://{estate['bucket']}", options, folder="scan-5"
    )
    assert item.key == "scan-5/opa-comply.json"
    head = _s3(moto).head_object(Bucket=estate["bucket"], Key=item.key)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert "SSEKMSKeyId" not in head  # S3 picks aws/s3; moto names no key for it


def test_the_link_is_signed_for_the_buckets_region_not_the_configured_one(
    moto: MotoServer, estate: dict[str, str], reports: dict[str, Path]
) -> None:
    options = PublishOptions(region="us-west-2", endpoint_url=moto.url)
    (item,) = publish_reports(
        {"json": reports["json"]}, f"s3://{estate['bucket']}/r", options, folder="scan-6"
    )
    query = dict(parse_qsl(urlsplit(item.url).query))
    assert query["X-Amz-Credential"].split("/")[2] == REGION
    assert query["X-Amz-Expires"] == str(24 * 3600)


@pytest.mark.parametrize("seconds", [0, -5, MAX_EXPIRES_SECONDS + 1, 10**9])
def test_a_lifetime_outside_sigv4_limits_is_refused(seconds: int) -> None:
    with pytest.raises(InputError) as error:
        validate("s3://bucket-a", PublishOptions(expires_seconds=seconds))
    assert error.value.exit_code == ExitCode.BAD_INPUT
    _expect(error, str(seconds), "1..604800", "7 days")


def test_604801_seconds_is_refused_before_anything_is_uploaded(
    estate: dict[str, str], reports: dict[str, Path]
) -> None:
    options = PublishOptions(expires_seconds=604801, endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InputError) as error:
        publish_reports(reports, f"s3://{estate['bucket']}", options, folder="scan-7")
    assert error.value.exit_code == ExitCode.BAD_INPUT
    _expect(error, "604801", "604800")


@pytest.mark.parametrize(
    "target",
    [
        "bucket-a",
        "https://bucket-a/x",
        "s3:/bucket-a",
        "s3://",
        "s3://ab",
        "s3://Bucket-A",
        "s3://bucket_a",
        "s3://-bucket",
        "s3://bucket..a",
        "s3://192.168.5.4",
        "s3://xn--bucket",
        "s3://bucket-s3alias",
        "s3://" + "a" * 64,
        "s3://bucket-a/x//y",
        "s3://bucket-a/../y",
        "s3://bucket-a/x\ny",
    ],
)
def test_bad_targets_are_refused_naming_the_value(target: str) -> None:
    with pytest.raises(InputError) as error:
        parse_target(target)
    assert error.value.exit_code == ExitCode.BAD_INPUT
    _expect(error, "publish target", target if target.isprintable() else repr(target))


@pytest.mark.parametrize(
    ("target", "parsed"),
    [
        ("s3://bucket-a", S3Target("bucket-a", "")),
        ("s3://bucket-a/", S3Target("bucket-a", "")),
        ("s3://my.reports-1/a/b/", S3Target("my.reports-1", "a/b")),
    ],
)
def test_good_targets_are_parsed(target: str, parsed: S3Target) -> None:
    assert parse_target(target) == parsed


@pytest.mark.parametrize("folder", ["", "..", "a/b", "../up", "scan id"])
def test_a_folder_must_be_one_plain_path_segment(folder: str, reports: dict[str, Path]) -> None:
    with pytest.raises(InputError) as error:
        publish_reports(reports, "s3://bucket-a", PublishOptions(), folder=folder)
    _expect(error, "publish folder")


def test_a_missing_bucket_is_one_line_no_such_bucket_and_nothing_is_uploaded(
    moto: MotoServer, reports: dict[str, Path]
) -> None:
    with FaultProxy(moto.url) as proxy:
        with pytest.raises(EngineError) as error:
            publish_reports(
                reports,
                "s3://no-such-reports-bucket/p",
                PublishOptions(endpoint_url=proxy.url),
                folder="scan-8",
            )
        assert proxy.count("s3", "PUT") == 0
    assert error.value.exit_code == ExitCode.ENGINE
    _expect(error, "s3://no-such-reports-bucket/p", "NoSuchBucket")


@pytest.mark.parametrize(
    "fault",
    [
        Fault(403, "AccessDenied", "Access Denied"),
        Fault(400, "KMS.NotFoundException", "Invalid keyId"),
    ],
)
def test_aws_refusals_name_the_bucket_and_the_code(
    moto: MotoServer, estate: dict[str, str], reports: dict[str, Path], fault: Fault
) -> None:
    def refuse_put(call: Call) -> Fault | None:
        return fault if (call.service, call.operation) == ("s3", "PUT") else None

    with FaultProxy(moto.url, refuse_put) as proxy, pytest.raises(EngineError) as error:
        publish_reports(
            reports,
            f"s3://{estate['bucket']}",
            PublishOptions(kms_key_id="alias/reports", endpoint_url=proxy.url),
            folder="scan-9",
        )
    _expect(error, f"s3://{estate['bucket']}", fault.code, "PutObject")


def test_an_unreachable_endpoint_is_one_line(
    estate: dict[str, str], reports: dict[str, Path]
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(EngineError) as error:
        publish_reports(
            reports, f"s3://{estate['bucket']}", PublishOptions(endpoint_url=closed), folder="s"
        )
    _expect(error, f"s3://{estate['bucket']}", "unreachable")


def test_missing_credentials_are_one_line(
    monkeypatch: pytest.MonkeyPatch, reports: dict[str, Path]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(EngineError) as error:
        publish_reports(
            reports, "s3://bucket-a", PublishOptions(endpoint_url="http://127.0.0.1:9"), folder="s"
        )
    assert error.value.exit_code == ExitCode.ENGINE
    _expect(error, "no AWS credentials")


@pytest.mark.parametrize(
    "endpoint", ["http://s3.example.com", "http://10.0.0.5:9000", "ftp://127.0.0.1"]
)
def test_plain_http_is_refused_off_loopback(endpoint: str) -> None:
    with pytest.raises(InputError) as error:
        validate("s3://bucket-a", PublishOptions(endpoint_url=endpoint))
    _expect(error, endpoint)


def test_plain_http_from_the_environment_is_refused_too(
    monkeypatch: pytest.MonkeyPatch, reports: dict[str, Path]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://s3.example.com")
    with pytest.raises(InputError) as error:
        publish_reports(reports, "s3://bucket-a", PublishOptions(), folder="s")
    _expect(error, "http://s3.example.com", "loopback")


def test_an_endpoint_with_a_password_is_refused_without_echoing_it() -> None:
    with pytest.raises(InputError) as error:
        validate("s3://bucket-a", PublishOptions(endpoint_url="https://u:hunter2@s3.local"))
    assert "hunter2" not in _expect(error, "endpoint_url")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("r.html", "text/html; charset=utf-8"),
        ("r.json", "application/json"),
        ("r.sarif", "application/sarif+json"),
        ("r.junit.xml", "application/xml"),
        ("r.pr-comment.md", "text/markdown"),
        ("r.csv", "text/csv"),
        ("r.bin", "application/octet-stream"),
    ],
)
def test_content_types(name: str, kind: str) -> None:
    assert content_type(name) == kind


def test_the_config_section_schema() -> None:
    validator = jsonschema.Draft7Validator(PUBLISH_SCHEMA)
    endpoint = "https://s3.eu-west-1.amazonaws.com"
    section: dict[str, object] = {
        "target": "s3://bucket-a/p",
        "kms_key_id": "alias/reports",
        "expires_seconds": 3600,
        "region": "eu-west-1",
        "endpoint_url": endpoint,
    }
    assert not list(validator.iter_errors(section))
    for bad in ({"bucket": "x"}, {"expires_seconds": 604801}, {"expires_seconds": 0}):
        assert list(validator.iter_errors(bad)), bad
    target, options = publish_options(section, profile="audit", expires_seconds=None)
    assert target == "s3://bucket-a/p"
    assert options == PublishOptions("alias/reports", 3600, "audit", "eu-west-1", endpoint)
    assert publish_options({}) == (None, PublishOptions())


def _sigv4_query_signature(url: str, secret: str) -> str:
    """The X-Amz-Signature S3 expects for a presigned GET, computed from the SigV4 spec
    (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "X-Amz-Signature"]
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query)
    )
    params = dict(query)
    canonical_request = "\n".join(
        ["GET", parts.path, canonical_query, f"host:{parts.netloc}\n", "host", "UNSIGNED-PAYLOAD"]
    )
    scope = params["X-Amz-Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            params["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = f"AWS4{secret}".encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
