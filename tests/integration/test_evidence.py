"""The evidence ledger: append, sign, verify and every kind of tampering, on a local
folder (two processes at once too) and on S3 with Object Lock through moto over HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import rfc8785
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from typer.testing import CliRunner

from compliance_opa.cli.evidence import evidence_app
from compliance_opa.errors import EngineError, InputError
from compliance_opa.evidence import (
    EVIDENCE_SCHEMA,
    Artifact,
    Ed25519Signer,
    Ed25519Verifier,
    HmacSigner,
    HmacVerifier,
    LocalLedger,
    Signer,
    Verifier,
    append,
    check,
    load_evidence_section,
    open_ledger,
    retention_days,
    signer_from_config,
    verifier_from_config,
    verify,
)
from compliance_opa.evidence.s3 import S3Ledger
from tests.aws_support import BASE_ENV, MotoServer, serve_moto
from tests.conftest import REPO, free_port
from tests.evidence_support import (
    ARTIFACT_NAMES,
    HMAC_KEY,
    build,
    ed25519_keys,
    entry,
    lines,
    load,
    overwrite,
    rewrite_record,
)

KEY_ID = "ledger-key"
KEY_ENV = "OPA_COMPLY_TEST_EVIDENCE_KEY"


# --- signed ledgers that verify -----------------------------------------------------------

SignerPair = Callable[[Path], tuple[Signer, Verifier]]


def _hmac(tmp: Path) -> tuple[Signer, Verifier]:
    return HmacSigner(HMAC_KEY, KEY_ID), HmacVerifier(HMAC_KEY, KEY_ID)


def _ed25519(tmp: Path) -> tuple[Signer, Verifier]:
    private, public = ed25519_keys(tmp)
    return Ed25519Signer(private, KEY_ID), Ed25519Verifier(public, KEY_ID)


@pytest.mark.parametrize("pair", [_hmac, _ed25519], ids=["hmac", "ed25519"])
def test_five_signed_records_verify_and_follow_the_format(tmp_path: Path, pair: SignerPair) -> None:
    signer, verifier = pair(tmp_path)
    ledger = build(tmp_path / "ledger", 5, signer)

    result = check(ledger, verifier)
    assert lines(result.problems) == []
    assert (result.records, result.signatures, result.artifacts) == (5, 5, 10)

    records = sorted((tmp_path / "ledger" / "records").iterdir())
    assert [p.name for p in records] == [f"00000{n}.json" for n in range(1, 6)]
    previous = "0" * 64
    for n, path in enumerate(records, start=1):
        data = path.read_bytes()
        record = json.loads(data)
        assert data == rfc8785.dumps(record)  # stored as RFC 8785 canonical JSON
        assert record["version"] == "1"
        assert record["sequence"] == n
        assert record["previous_hash"] == previous
        hashed = {k: v for k, v in record.items() if k not in ("record_hash", "signature")}
        assert record["record_hash"] == hashlib.sha256(rfc8785.dumps(hashed)).hexdigest()
        assert datetime.fromisoformat(record["recorded_at"]).tzinfo is not None
        assert record["scan_id"] == f"scan-{n:04d}"
        assert [a["name"] for a in record["artifacts"]] == list(ARTIFACT_NAMES)
        signature = record["signature"]
        assert (signature["alg"], signature["key_id"]) == (signer.alg, KEY_ID)
        value = base64.b64decode(signature["value"])
        message = record["record_hash"].encode("ascii")
        if signer.alg == "hmac-sha256":
            assert value == hmac.new(HMAC_KEY, message, hashlib.sha256).digest()
        else:
            public = serialization.load_pem_public_key((tmp_path / "ledger.pub.pem").read_bytes())
            assert isinstance(public, Ed25519PublicKey)
            public.verify(value, message)  # raises when it does not verify
        for artifact, kept in zip(entry(n).artifacts, record["artifacts"], strict=True):
            copy = tmp_path / "ledger" / "artifacts" / record["scan_id"] / artifact.name
            assert copy.read_bytes() == artifact.data
            assert kept == {"name": artifact.name, "sha256": artifact.sha256,
                            "size": len(artifact.data)}  # fmt: skip
        previous = record["record_hash"]
    assert stat.S_IMODE((tmp_path / "ledger").stat().st_mode) == 0o700
    assert stat.S_IMODE(records[0].stat().st_mode) == 0o400


def test_another_key_fails_every_signature(tmp_path: Path) -> None:
    ledger = build(tmp_path / "ledger", 2, HmacSigner(HMAC_KEY, KEY_ID))
    other = HmacVerifier(b"another-key-of-the-right-length-0123456789", "other")
    assert lines(verify(ledger, other)) == [
        f"record {n} (records/00000{n}.json): signature does not verify"
        f" (key_id {KEY_ID}; the key given is other)"
        for n in (1, 2)
    ]
    private, _ = ed25519_keys(tmp_path)
    ed_ledger = build(tmp_path / "ed", 1, Ed25519Signer(private, KEY_ID))
    _, public = ed25519_keys(tmp_path, "other")
    assert lines(verify(ed_ledger, Ed25519Verifier(public, KEY_ID))) == [
        f"record 1 (records/000001.json): signature does not verify (key_id {KEY_ID})"
    ]


# --- tampering, each detected with the exact place named ------------------------------------


@pytest.fixture
def signed(tmp_path: Path) -> LocalLedger:
    return build(tmp_path / "signed", 5, HmacSigner(HMAC_KEY, KEY_ID))


@pytest.fixture
def unsigned(tmp_path: Path) -> LocalLedger:
    return build(tmp_path / "unsigned", 5, None)


VERIFIER = HmacVerifier(HMAC_KEY, KEY_ID)


def _record(ledger: LocalLedger, n: int) -> Path:
    return ledger.directory / "records" / f"{n:06d}.json"


def test_edited_field_without_a_new_hash(signed: LocalLedger) -> None:
    rewrite_record(_record(signed, 3), rehash=False, scope="staging")
    assert lines(verify(signed, VERIFIER)) == [
        "record 3 (records/000003.json): contents do not match its record_hash (modified)"
    ]


def test_edited_and_rehashed_is_caught_by_the_signature(signed: LocalLedger) -> None:
    rewrite_record(_record(signed, 3), rehash=True, findings_digest="0" * 64)
    assert lines(verify(signed, VERIFIER)) == [
        "record 4 (records/000004.json): previous_hash does not match record 3"
        " (record 3 rewritten, or a record inserted or reordered)",
        f"record 3 (records/000003.json): signature does not verify (key_id {KEY_ID})",
    ]


def test_edited_and_rehashed_unsigned_is_caught_by_the_next_record(unsigned: LocalLedger) -> None:
    rewrite_record(_record(unsigned, 3), rehash=True, findings_digest="0" * 64)
    assert lines(verify(unsigned)) == [
        "record 4 (records/000004.json): previous_hash does not match record 3"
        " (record 3 rewritten, or a record inserted or reordered)"
    ]


def test_deleted_record(unsigned: LocalLedger) -> None:
    _record(unsigned, 3).unlink()
    assert lines(verify(unsigned)) == ["record 3 is missing: record 4 follows record 2 (removed)"]


def test_deleted_first_records(unsigned: LocalLedger) -> None:
    _record(unsigned, 1).unlink()
    _record(unsigned, 2).unlink()
    assert lines(verify(unsigned, check_artifacts=False)) == [
        "records 1-2 are missing: the ledger starts at record 3 (removed)"
    ]


def test_swapped_records_name_both_files(signed: LocalLedger) -> None:
    two, four = _record(signed, 2), _record(signed, 4)
    two.rename(two.with_suffix(".tmp"))
    four.rename(two)
    two.with_suffix(".tmp").rename(four)
    assert lines(verify(signed, VERIFIER)) == [
        "records 2 and 4 are swapped: records/000002.json holds record 4 and"
        " records/000004.json holds record 2 (reordered)"
    ]


def test_record_moved_to_another_file_name(unsigned: LocalLedger) -> None:
    _record(unsigned, 5).rename(_record(unsigned, 6))
    assert lines(verify(unsigned)) == [
        "record 6 (records/000006.json): sequence 5 in a file named for 6 (reordered)"
    ]


def test_forged_record_inserted_in_the_middle(signed: LocalLedger) -> None:
    for n in (5, 4, 3):  # make room: records 3-5 move to files 4-6, unchanged
        _record(signed, n).rename(_record(signed, n + 1))
    forged = {**load(_record(signed, 4)), "scope": "forged"}
    forged.pop("signature")  # the forger has no key
    forged["previous_hash"] = load(_record(signed, 2))["record_hash"]
    forged["record_hash"] = hashlib.sha256(
        rfc8785.dumps({k: v for k, v in forged.items() if k != "record_hash"})
    ).hexdigest()
    _record(signed, 3).write_bytes(rfc8785.dumps(forged))
    assert sorted(lines(verify(signed, VERIFIER))) == sorted([
        "record 4 (records/000004.json): sequence 3 in a file named for 4 (reordered)",
        "record 5 (records/000005.json): sequence 4 in a file named for 5 (reordered)",
        "record 6 (records/000006.json): sequence 5 in a file named for 6 (reordered)",
        "record 3 is held by 2 files: records/000003.json, records/000004.json"
        " (inserted or copied)",
        "record 4 (records/000005.json): previous_hash does not match record 3"
        " (record 3 rewritten, or a record inserted or reordered)",
        "record 3 (records/000003.json): unsigned but a verifier was given",
    ])  # fmt: skip


def test_forged_record_appended_with_another_key(signed: LocalLedger) -> None:
    forger = HmacSigner(b"forger-key-forger-key-forger-key-forger", KEY_ID)
    append(signed, entry(6), forger)
    assert lines(verify(signed, VERIFIER)) == [
        f"record 6 (records/000006.json): signature does not verify (key_id {KEY_ID})"
    ]


def test_unsigned_record_when_a_verifier_is_given(tmp_path: Path) -> None:
    ledger = build(tmp_path / "ledger", 2, HmacSigner(HMAC_KEY, KEY_ID))
    append(ledger, entry(3), None)
    assert lines(verify(ledger, VERIFIER)) == [
        "record 3 (records/000003.json): unsigned but a verifier was given"
    ]


@pytest.mark.parametrize("n", [3, 5])
def test_truncated_record(signed: LocalLedger, n: int) -> None:
    path = _record(signed, n)
    overwrite(path, path.read_bytes()[:-40])
    assert lines(verify(signed, VERIFIER)) == [
        f"record {n} (records/00000{n}.json): not valid JSON (truncated?)"
    ]


def test_non_record_json_and_stray_files(unsigned: LocalLedger) -> None:
    overwrite(_record(unsigned, 2), b'{"version": "1", "sequence": 2, "sequence": 3}')
    (unsigned.directory / "records" / "notes.txt").write_text("hi")
    (unsigned.directory / "records" / "0000003.json").write_bytes(_record(unsigned, 3).read_bytes())
    assert lines(verify(unsigned)) == [
        "records/0000003.json: not a record file name (added)",
        "record 2 (records/000002.json): not valid JSON (duplicate key 'sequence')",
        "records/notes.txt: not a record file name (added)",
    ]


def test_modified_artifact_copy(signed: LocalLedger) -> None:
    copy = signed.directory / "artifacts" / "scan-0003" / "opa-comply.html"
    original = copy.read_bytes()
    overwrite(copy, original.replace(b"report", b"REPORT"))
    expected = hashlib.sha256(original).hexdigest()[:16]
    actual = hashlib.sha256(copy.read_bytes()).hexdigest()[:16]
    size = len(original)
    assert lines(verify(signed, VERIFIER)) == [
        f"artifact artifacts/scan-0003/opa-comply.html of record 3: sha256 {actual}..."
        f" ({size} bytes) expected {expected}... ({size} bytes) (modified)"
    ]
    assert verify(signed, VERIFIER, check_artifacts=False) == []


def test_deleted_and_added_artifact_copies(signed: LocalLedger) -> None:
    (signed.directory / "artifacts" / "scan-0002" / "opa-comply.json").unlink()
    (signed.directory / "artifacts" / "scan-0002" / "extra.pdf").write_bytes(b"%PDF")
    assert lines(verify(signed, VERIFIER)) == [
        "artifact artifacts/scan-0002/opa-comply.json of record 2 is missing (removed)",
        "artifacts/scan-0002/extra.pdf: not named by any record (added)",
    ]


def test_an_empty_or_missing_ledger_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty" / "records").mkdir(parents=True)
    for folder in ("empty", "missing"):
        result = check(LocalLedger(tmp_path / folder))
        assert lines(result.problems) == [f"no records in {tmp_path / folder} (empty or wiped)"]
        assert result.empty
        assert not result.intact


# --- appending ------------------------------------------------------------------------------


def test_append_never_rewrites_and_refuses_a_damaged_tail(signed: LocalLedger) -> None:
    before = _record(signed, 5).read_bytes()
    assert signed.create("records/000005.json", b"{}") is False
    assert _record(signed, 5).read_bytes() == before
    other = (Artifact("opa-comply.json", b"other bytes"),)
    with pytest.raises(EngineError, match=r"scan-0005/opa-comply.json is already in the"):
        append(signed, replace(entry(5), artifacts=other))
    overwrite(_record(signed, 5), before[:10])
    with pytest.raises(EngineError) as raised:
        append(signed, entry(6))
    assert "the last record (records/000005.json) is not valid JSON (truncated?)" in str(
        raised.value
    )
    assert not _record(signed, 6).exists()
    # The refused append wrote no report copies either: nothing orphaned for verify.
    assert not (signed.directory / "artifacts" / "scan-0006").exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"sequence":2,', '"sequence":20000000000000000000,'),
        ('"scope":"', '"scope":"\\ud800'),
    ],
)
def test_values_that_cannot_be_canonical_name_their_record(
    signed: LocalLedger, old: str, new: str
) -> None:
    record = _record(signed, 2)
    text = record.read_text()
    assert old in text
    overwrite(record, text.replace(old, new, 1).encode())
    problems = [str(p) for p in verify(signed)]
    assert any(p.startswith("record 2 (records/000002.json): not ") for p in problems), problems


@pytest.mark.parametrize("bad", ["../escape", ".hidden", "a/b", ""])
def test_unsafe_scan_ids_and_artifact_names_are_refused(tmp_path: Path, bad: str) -> None:
    ledger = LocalLedger(tmp_path / "ledger")
    good = entry(1)
    with pytest.raises(InputError, match="not a safe file name"):
        append(ledger, replace(good, scan_id=bad))
    with pytest.raises(InputError, match="not a safe file name"):
        append(ledger, replace(good, artifacts=(Artifact(bad, b""),)))
    assert not (tmp_path / "ledger" / "records").exists()


_WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from compliance_opa.evidence import HmacSigner, LocalLedger, append
    from tests.evidence_support import HMAC_KEY, entry

    ledger, worker, count, gate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    while not Path(gate).exists():
        time.sleep(0.001)
    signer = HmacSigner(HMAC_KEY, "ledger-key")
    for n in range(count):
        append(LocalLedger(ledger), entry(worker * 1000 + n), signer)
    """
)


def test_two_processes_appending_at_once_make_one_gapless_chain(tmp_path: Path) -> None:
    gate, count = tmp_path / "go", 15
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WORKER,
                str(tmp_path / "ledger"),
                str(w),
                str(count),
                str(gate),
            ],
            cwd=REPO,
        )
        for w in (1, 2)
    ]
    gate.touch()  # both start appending together
    assert [w.wait(timeout=60) for w in workers] == [0, 0]
    result = check(LocalLedger(tmp_path / "ledger"), VERIFIER)
    assert lines(result.problems) == []
    assert (result.records, result.signatures, result.artifacts) == (30, 30, 60)
    scans = [load(p)["scan_id"] for p in sorted((tmp_path / "ledger/records").iterdir())]
    assert sorted(scans) == sorted(f"scan-{w * 1000 + n:04d}" for w in (1, 2) for n in range(count))


# --- configuration and keys -----------------------------------------------------------------


def test_key_errors_are_one_line_and_never_show_the_key(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        signer_from_config({"hmac_key_env": KEY_ENV}, {})
    assert str(missing.value) == (
        f"evidence.hmac_key_env: ${KEY_ENV} is not set (the ledger's HMAC key)"
    )
    with pytest.raises(InputError) as short:
        signer_from_config({"hmac_key_env": KEY_ENV}, {KEY_ENV: "hunter2-secret"})
    assert "14 bytes; use at least 32" in str(short.value)
    assert "hunter2" not in str(short.value)
    secret = tmp_path / "secret.pem"
    secret.write_text("-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----\n")
    for section in ({"ed25519_private_key": str(secret)}, {"ed25519_public_key": str(secret)}):
        with pytest.raises(InputError) as bad:
            (signer_from_config if "ed25519_private_key" in section else verifier_from_config)(
                section, {}
            )
        assert "TOPSECRET" not in str(bad.value)
        assert "\n" not in str(bad.value)
        assert str(secret) in str(bad.value)
    with pytest.raises(InputError, match="not both"):
        signer_from_config({"hmac_key_env": KEY_ENV, "ed25519_private_key": str(secret)}, {})
    assert HMAC_KEY.decode() not in repr(HmacSigner(HMAC_KEY, KEY_ID))
    assert "BEGIN" not in repr(Ed25519Signer(ed25519_keys(tmp_path)[0]))


def test_the_private_key_alone_gives_a_verifier(tmp_path: Path) -> None:
    private, _ = ed25519_keys(tmp_path)
    section = {"ed25519_private_key": str(private)}
    ledger = build(tmp_path / "ledger", 2, signer_from_config(section, {}))
    verifier = verifier_from_config(section, {})
    assert verifier is not None
    assert verify(ledger, verifier) == []
    assert signer_from_config({}, {}) is None
    assert verifier_from_config({}, {}) is None


def test_evidence_section_is_checked_and_paths_follow_the_config(tmp_path: Path) -> None:
    assert EVIDENCE_SCHEMA["additionalProperties"] is False
    config = tmp_path / "conf" / "opa-comply.yaml"
    config.parent.mkdir()
    config.write_text(
        "state: {url: x}\n"
        "evidence: {store: ledger, ed25519_public_key: keys/pub.pem, retention_days: 400}\n"
    )
    section = load_evidence_section(config)
    assert section["store"] == str(tmp_path / "conf" / "ledger")
    assert section["ed25519_public_key"] == str(tmp_path / "conf" / "keys" / "pub.pem")
    for text, message in [
        ("evidence: {bucket: x}", "evidence: unknown key 'bucket'"),
        ("evidence: {retention_days: 0}", "evidence.retention_days: must be at least 1"),
        ("evidence: {store: 5}", "evidence.store: expected string"),
        ("evidence: {hmac_key_env: 'not a name'}", "evidence.hmac_key_env: invalid value"),
    ]:
        config.write_text(text)
        with pytest.raises(InputError) as raised:
            load_evidence_section(config)
        assert str(raised.value).startswith(f"{config}: {message}")


def test_retention_defaults_take_the_longest_framework() -> None:
    assert retention_days(["pci_dss"]) == 365
    assert retention_days(["gdpr", "hipaa", "pci_dss"]) == 2192  # six years, leap days too
    assert retention_days([]) == 2192  # no framework named: the longest of all
    assert retention_days(["hipaa"], configured=30) == 30


# --- S3 with Object Lock, through moto over HTTP ---------------------------------------------

BUCKET = "evidence-ledger-locked"
PLAIN_BUCKET = "evidence-ledger-plain"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {**BASE_ENV, "AWS_MAX_ATTEMPTS": "1"}.items():
            patch.setenv(name, value)
        yield from serve_moto()


@pytest.fixture
def s3(moto: MotoServer) -> Any:
    moto.reset()
    client = boto3.client("s3", endpoint_url=moto.url, region_name="eu-west-1")
    where = {"LocationConstraint": "eu-west-1"}
    client.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True,
                         CreateBucketConfiguration=where)  # fmt: skip
    client.create_bucket(Bucket=PLAIN_BUCKET, CreateBucketConfiguration=where)
    return client


def test_s3_objects_are_written_under_compliance_lock(moto: MotoServer, s3: Any) -> None:
    ledger = open_ledger(f"s3://{BUCKET}/evidence", {}, moto.url, frameworks=["pci_dss"])
    assert isinstance(ledger, S3Ledger)
    assert ledger.retention_days == 365
    signer = HmacSigner(HMAC_KEY, KEY_ID)
    before = datetime.now(UTC).replace(microsecond=0)
    for n in (1, 2, 3):
        append(ledger, entry(n), signer)
    after = datetime.now(UTC)
    result = check(ledger, VERIFIER)
    assert lines(result.problems) == []
    assert (result.records, result.signatures, result.artifacts) == (3, 3, 6)

    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert sorted(keys) == sorted(
        [f"evidence/records/00000{n}.json" for n in (1, 2, 3)]
        + [f"evidence/artifacts/scan-000{n}/{a}" for n in (1, 2, 3) for a in ARTIFACT_NAMES]
    )
    for key in keys:
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ObjectLockMode"] == "COMPLIANCE"
        until = head["ObjectLockRetainUntilDate"]
        assert before + timedelta(days=365) <= until <= after + timedelta(days=365)
    record = s3.get_object(Bucket=BUCKET, Key="evidence/records/000003.json")["Body"].read()
    assert json.loads(record)["sequence"] == 3

    version = s3.head_object(Bucket=BUCKET, Key="evidence/records/000001.json")["VersionId"]
    with pytest.raises(ClientError) as refused:  # moto enforces the lock on versions
        s3.delete_object(Bucket=BUCKET, Key="evidence/records/000001.json", VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert ledger.create("records/000001.json", b"{}") is False  # If-None-Match: written once

    hipaa = open_ledger(f"s3://{BUCKET}/hipaa", {}, moto.url, frameworks=["hipaa", "soc2"])
    append(hipaa, entry(9))
    head = s3.head_object(Bucket=BUCKET, Key="hipaa/records/000001.json")
    assert head["ObjectLockRetainUntilDate"] >= before + timedelta(days=2190)


def test_s3_tampering_shows_in_the_versions(moto: MotoServer, s3: Any) -> None:
    ledger = open_ledger(f"s3://{BUCKET}/evidence", {"retention_days": 1}, moto.url)
    for n in (1, 2, 3, 4):
        append(ledger, entry(n), HmacSigner(HMAC_KEY, KEY_ID))
    key = "evidence/records/000002.json"
    tampered = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().replace(b"production", b"dev")
    s3.put_object(Bucket=BUCKET, Key=key, Body=tampered)  # a new version, without a lock
    s3.delete_object(Bucket=BUCKET, Key="evidence/records/000003.json")  # a delete marker
    assert lines(verify(ledger, VERIFIER, check_artifacts=False)) == [
        "record 2 (records/000002.json): contents do not match its record_hash (modified)",
        "record 3 is missing: record 4 follows record 2 (removed)",
        "record 3 (records/000003.json): deleted (a delete marker hides it; its 1 locked"
        " version(s) remain) (removed)",
        "record 2 (records/000002.json): 2 versions of an object the ledger writes once"
        " (overwritten; the oldest is the original)",
        "record 2 (records/000002.json): Object Lock mode none, expected COMPLIANCE",
    ]


def test_s3_bucket_without_object_lock_is_refused(moto: MotoServer, s3: Any) -> None:
    with pytest.raises(EngineError) as raised:
        open_ledger(f"s3://{PLAIN_BUCKET}/evidence", {}, moto.url)
    assert str(raised.value) == (
        f"s3://{PLAIN_BUCKET}: Object Lock is not enabled on this bucket; the evidence ledger"
        " needs a bucket created with Object Lock"
    )
    result = _cli("verify", "--ledger", f"s3://{PLAIN_BUCKET}/x", "--endpoint-url", moto.url)
    _assert_one_line_error(result, 3, PLAIN_BUCKET, "Object Lock is not enabled")


def test_s3_unreachable_or_missing_bucket_is_exit_3(moto: MotoServer, s3: Any) -> None:
    result = _cli("verify", "--ledger", "s3://no-such-evidence-bucket", "--endpoint-url", moto.url)
    _assert_one_line_error(result, 3, "s3://no-such-evidence-bucket: no such bucket")
    closed = f"http://127.0.0.1:{free_port()}"
    result = _cli("verify", "--ledger", f"s3://{BUCKET}/x", "--endpoint-url", closed)
    _assert_one_line_error(result, 3, f"s3://{BUCKET}")


# --- the command, through typer's CliRunner --------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> Any:
    # The user's own OPA_COMPLY_STATE must not decide what verify checks against.
    given: dict[str, str | None] = {"OPA_COMPLY_STATE": None, **(env or {})}
    return CliRunner().invoke(evidence_app, list(args), env=given, catch_exceptions=False)


def _assert_one_line_error(result: Any, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("opa-comply: error: "), result.stderr
    for fragment in fragments:
        assert fragment in errors[0]


# Printed whenever no state store is at hand (no --state, no state.url, no default store
# beside the default ledger): what the ledger alone cannot show.
NO_HISTORY_NOTE = (
    "note: not checked against a state store: a ledger alone cannot show that its newest"
    " records were deleted (give --state, or a config with state.url)\n"
)


def _config(tmp_path: Path, **evidence: Any) -> str:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(json.dumps({"evidence": evidence}))  # JSON is YAML
    return str(config)


def test_cli_verify_intact_tampered_and_empty(tmp_path: Path, signed: LocalLedger) -> None:
    env = {KEY_ENV: HMAC_KEY.decode()}
    config = _config(tmp_path, store=str(signed.directory), hmac_key_env=KEY_ENV, key_id=KEY_ID)
    ok = _cli("verify", "--config", config, env=env)
    assert (ok.exit_code, ok.stdout) == (
        0,
        "ledger OK: 5 records, chain intact, 5 signatures verified, 10 artifacts match\n"
        + NO_HISTORY_NOTE,
    )
    no_key = _cli("verify", "--ledger", str(signed.directory), "--no-artifacts")
    assert no_key.stdout == (
        "ledger OK: 5 records, chain intact, 5 signatures not checked (no key given),"
        " artifacts not checked\n" + NO_HISTORY_NOTE
    )
    _record(signed, 4).unlink()
    bad = _cli("verify", "--config", config, env=env)
    assert (bad.exit_code, bad.stdout.splitlines()[:-1]) == (1, [
        "record 4 is missing: record 5 follows record 3 (removed)",
        "ledger TAMPERED: 1 problem",
    ])  # fmt: skip
    empty = _cli("verify", "--ledger", str(tmp_path / "nothing"))
    assert (empty.exit_code, empty.stdout.splitlines()[:-1]) == (1, [
        f"no records in {tmp_path / 'nothing'} (empty or wiped)",
        "ledger EMPTY: no records to verify",
    ])  # fmt: skip


def test_cli_default_ledger_is_under_xdg_state_home(tmp_path: Path) -> None:
    build(tmp_path / "opa-comply" / "evidence", 1, None)
    result = _cli("verify", env={"XDG_STATE_HOME": str(tmp_path)})
    assert (result.exit_code, result.stdout) == (
        0,
        "ledger OK: 1 record, chain intact, unsigned, 2 artifacts match\n" + NO_HISTORY_NOTE,
    )


def test_cli_bad_usage_is_exit_2_in_one_line(tmp_path: Path, signed: LocalLedger) -> None:
    config = _config(tmp_path, store=str(signed.directory), hmac_key_env=KEY_ENV)
    short = _cli("verify", "--config", config, env={KEY_ENV: "short-secret-value"})
    _assert_one_line_error(short, 2, f"${KEY_ENV} is 18 bytes")
    assert "short-secret-value" not in short.stderr + short.stdout
    unset = _cli("verify", "--config", config, env={KEY_ENV: ""})
    _assert_one_line_error(unset, 2, f"${KEY_ENV} is not set")
    unknown = _cli("verify", "--config", _config(tmp_path, store="x", bucket="y"))
    _assert_one_line_error(unknown, 2, "evidence: unknown key 'bucket'")
    url = _cli("verify", "--ledger", "s3://")
    _assert_one_line_error(url, 2, "expected s3://bucket/prefix")
    a_file = tmp_path / "file"
    a_file.write_text("")
    _assert_one_line_error(_cli("verify", "--ledger", str(a_file)), 2, "not a folder")
