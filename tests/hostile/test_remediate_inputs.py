"""Hostile inputs to `opa-comply remediate` (issue 21): the config's `remediation:`
section, the approval policy, CLI arguments, estate text reaching the terminal and the
ledger, AWS refusing or hanging, and two people or two runs acting on one proposal.

One moto server (loopback) and one drift scan serve the whole module; each test works on
its own copy of the state store and ledger. CLI runs that need no scan run in parallel
(a module fixture) so the file stays within about a minute. The nine bugs these tests
found (an option misnamed, huge values echoed, a deep config or a recursive policy
mis-worded, the STS check untrapped, a refused read exiting 0, a role compared by case,
the ledger written after the store's commit) are fixed.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from typer.testing import CliRunner

from compliance_opa.app import remediate
from compliance_opa.app.approval import decide
from compliance_opa.app.remediation_targets import Targets
from compliance_opa.cli.remediate import remediate_app
from compliance_opa.config.load import load_config
from compliance_opa.engine.oneshot import evaluate_once
from compliance_opa.errors import EngineError, InputError
from remediators.postgres.connect import PostgresRemediationOptions, connect
from remediators.registry import fixers
from tests.aws_support import BASE_ENV, Call, Fault, FaultProxy, MotoServer, serve_moto
from tests.conftest import (
    TEST_STATE_HOME,
    CliResult,
    assert_one_line_error,
    free_port,
    opa_binary,
    run_cli,
)

REGION = "eu-west-1"
ACCOUNT = "123456789012"
REMEDIATION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/opa-comply-remediator"
# Text an attacker can put in the estate (tags): a screen clear, a colour, a line break,
# a carriage return and a right-to-left override.
HOSTILE = "\x1b[2J\x1b[31mred\nsecond line\rover\u202eevil"
RAW = ("\x1b", "\u202e", "\r")

PLAIN = "hx-plain"  # plan only, never written
PROD = "hx-prod"  # production personal data: two approvers
DENIED = "hx-denied"  # the remediation role is refused its calls
HANG = "hx-hang"  # the endpoint holds the write
RACE = "hx-race"  # applied twice at once
S3_004 = "AWS-S3-004"
KMS_001 = "AWS-KMS-001"  # the key carries the hostile text in a tag
KEYS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*"


def arn(bucket: str) -> str:
    """A bucket's address; a name with ':' is an address (or glob) already."""
    return bucket if ":" in bucket else f"arn:aws:s3:::{bucket}"


# ---- the estate ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@dataclass(frozen=True)
class Scanned:
    """One drift scan of the moto account: the state store and ledger every test copies."""

    moto: MotoServer
    folder: Path  # state.db and evidence/ after the drift scan; planned.db and
    # evidence-planned/ after one plan of PROD, DENIED, HANG and RACE
    planned: dict[str, str]  # bucket -> proposal id in planned.db


def _s3(url: str) -> Any:
    return boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    ).client("s3", region_name=REGION, endpoint_url=url)


def _config(moto_url: str, ledger: Path, remediation: dict[str, Any]) -> dict[str, Any]:
    return {
        "drift": {"collect": ["aws"], "scope": "hostile-remediation"},
        "aws": {"endpoint_url": moto_url, "regions": [REGION], "services": ["s3", "kms"]},
        "evidence": {"store": str(ledger)},
        "remediation": remediation,
    }


def _aws_section(endpoint: str) -> dict[str, Any]:
    return {"role_arn": REMEDIATION_ROLE, "endpoint_url": endpoint, "region": REGION}


@pytest.fixture(scope="module")
def scanned(moto: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    moto.reset()
    folder = tmp_path_factory.mktemp("scanned")
    s3 = _s3(moto.url)
    tags = {
        PLAIN: {"Environment": "dev"},
        PROD: {"Environment": "production", "DataClassification": "pii"},
        DENIED: {"Environment": "dev"},
        HANG: {"Environment": "dev"},
        RACE: {"Environment": "dev"},
    }
    for name, tagged in tags.items():
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tagged.items()]}
        )
    # S3 tags travel as XML, which cannot carry ESC; KMS tags travel as JSON.
    kms = boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    ).client("kms", region_name=REGION, endpoint_url=moto.url)
    kms.create_key(
        Description="hostile text",
        Tags=[
            {"TagKey": "Environment", "TagValue": "dev"},
            {"TagKey": "Note", "TagValue": HOSTILE},
        ],
    )
    config = folder / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump(_config(moto.url, folder / "evidence", {"aws": _aws_section(moto.url)}))
    )
    done = run_cli(
        "drift", "--config", config, "--state", folder / "state.db",
        "--format", "json", "--fail-on", "none", env=dict(BASE_ENV), timeout=120,
    )  # fmt: skip
    assert done.code == 0, done.stderr
    shutil.copy(folder / "state.db", folder / "planned.db")
    shutil.copytree(folder / "evidence", folder / "evidence-planned")
    config.write_text(
        yaml.safe_dump(
            _config(moto.url, folder / "evidence-planned", {"aws": _aws_section(moto.url)})
        )
    )
    wanted = [PROD, DENIED, HANG, RACE]
    planned = run_cli(
        "remediate", "plan", "--check", S3_004, "--requested-by", "alice",
        *[a for b in wanted for a in ("--resource", arn(b))],
        "--config", config, "--state", folder / "planned.db", env=dict(BASE_ENV), timeout=120,
    )  # fmt: skip
    assert planned.code == 0, planned.stderr
    with sqlite3.connect(folder / "planned.db") as db:
        ids = {
            str(r): str(i) for i, r in db.execute("SELECT proposal_id, resource FROM remediations")
        }
    return Scanned(moto, folder, {b: ids[arn(b)] for b in wanted})


@dataclass(frozen=True)
class Estate:
    folder: Path
    config: Path
    state: Path
    ledger: Path
    moto_url: str

    def write_config(self, remediation: dict[str, Any], **extra: Any) -> None:
        body = _config(self.moto_url, self.ledger, remediation)
        for key, value in extra.items():
            body[key] = {**body.get(key, {}), **value}
        self.config.write_text(yaml.safe_dump(body))

    def cli(self, *args: str | Path, env: dict[str, str] | None = None) -> CliResult:
        return run_cli(
            *args, "--config", self.config, "--state", self.state,
            env={**BASE_ENV, **(env or {})}, timeout=120,
        )  # fmt: skip

    def plan(
        self, bucket: str, env: dict[str, str] | None = None, check: str = S3_004
    ) -> CliResult:
        return self.cli(
            "remediate", "plan", "--check", check, "--resource", arn(bucket),
            "--requested-by", "alice", env=env,
        )  # fmt: skip

    def proposal(self, bucket: str, check: str = S3_004) -> dict[str, Any]:
        """The proposal as stored (read directly: a CLI run per look is too slow)."""
        found = [
            {"proposal_id": i, "state": st, "before_captured": b is not None, "resource": r}
            for i, st, b, r in self.rows(
                "SELECT proposal_id, state, before_value, resource FROM remediations"
                " WHERE check_id = ?",
                check,
            )
            if fnmatch.fnmatchcase(str(r), arn(bucket))
        ]
        (one,) = found
        one["approvers"] = sorted(
            str(a)
            for (a,) in self.rows(
                "SELECT approver FROM remediation_approvals WHERE proposal_id = ?",
                one["proposal_id"],
            )
        )
        return one

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.state) as db:
            return list(db.execute(sql, params))

    def events(self, proposal_id: str) -> list[str]:
        return [
            str(state)
            for (state,) in self.rows(
                "SELECT state FROM remediation_events WHERE proposal_id = ? ORDER BY seq",
                proposal_id,
            )
        ]

    def settings(self) -> remediate.Settings:
        return remediate.Settings(config=self.config, state=str(self.state))


def _estate(
    scanned: Scanned, tmp_path: Path, endpoint: str | None = None, planned: bool = False
) -> Estate:
    """A copy of the scanned store and ledger (``planned``: with the module's proposals)."""
    folder = tmp_path / "estate"
    folder.mkdir()
    shutil.copy(scanned.folder / ("planned.db" if planned else "state.db"), folder / "state.db")
    shutil.copytree(
        scanned.folder / ("evidence-planned" if planned else "evidence"), folder / "evidence"
    )
    made = Estate(
        folder, folder / "opa-comply.yaml", folder / "state.db", folder / "evidence",
        scanned.moto.url,
    )  # fmt: skip
    made.write_config({"aws": _aws_section(endpoint or scanned.moto.url)})
    return made


@pytest.fixture
def estate(scanned: Scanned, tmp_path: Path) -> Estate:
    return _estate(scanned, tmp_path)


@pytest.fixture
def planned(scanned: Scanned, tmp_path: Path) -> Estate:
    return _estate(scanned, tmp_path, planned=True)


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment a CLI run has, for calling app.remediate in this process."""
    for name, value in {**BASE_ENV, "OPA_BINARY": str(opa_binary())}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_STATE_HOME", TEST_STATE_HOME)
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        monkeypatch.delenv(name, raising=False)
    return dict(os.environ)


def assert_one_line(result: CliResult, code: int, *fragments: str) -> None:
    """assert_one_line_error, and no terminal control reaches stderr raw."""
    assert_one_line_error(result, code, *fragments)
    for raw in RAW:
        assert raw not in result.stderr, result.stderr


# ---- CLI arguments and config sections, no scan needed (run in parallel) --------------

LONG_ID = "R-" + "9" * 40_000
# name -> (arguments after `remediate`, config text or None)
_CASES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "show-unknown": (("show", "R-0000000000"), None),
    "show-ansi": (("show", "R-\x1b[2J\x1b[31mred"), None),
    "show-bidi-newline": (("show", "R-1\u202e\nforged: line"), None),
    "show-huge": (("show", LONG_ID), None),
    "approve-unknown": (("approve", "R-0000000000", "--by", "bob"), None),
    "apply-unknown": (("apply", "R-0000000000", "--by", "bob"), None),
    "apply-ansi": (("apply", "R-\x1b]0;title\x07", "--by", "bob"), None),
    "rollback-unknown": (("rollback", "R-0000000000", "--by", "bob"), None),
    "by-empty": (("approve", "R-0000000000", "--by", ""), None),
    "by-leading-space": (("approve", "R-0000000000", "--by", " bob"), None),
    "by-control": (("approve", "R-0000000000", "--by", "bob\x1b[2J"), None),
    "by-newline": (("approve", "R-0000000000", "--by", "bob\nmallory"), None),
    "by-bidi": (("approve", "R-0000000000", "--by", "bob\u202eyrallam"), None),
    "by-long": (("approve", "R-0000000000", "--by", "b" * 5000), None),
    "requested-by-control": (("plan", "--requested-by", "alice\x1b[31m"), None),
    "requested-by-empty": (("plan", "--requested-by", ""), None),
    "rollback-by-control": (("rollback", "R-0000000000", "--by", "x\x07"), None),
    "scan-unknown": (("plan", "--scan", "no-such-scan\x1b[2J", "--requested-by", "a"), None),
    "scan-empty-store": (("plan", "--requested-by", "alice"), None),
    "state-is-unknown": (("list", "--state-is", "bogus"), None),
    "format-unknown": (("list", "--format", "xml"), None),
    "list-empty-store": (("list",), None),
    "config-section-not-object": (("list",), "remediation: yes\n"),
    "config-unknown-key": (("list",), "remediation:\n  approvers: 3\n"),
    "config-aws-unknown-key": (("list",), "remediation:\n  aws:\n    secret_key: x\n"),
    "config-role-arn-wrong-type": (("list",), "remediation:\n  aws:\n    role_arn: 12\n"),
    "config-role-arn-not-arn": (("list",), "remediation:\n  aws:\n    role_arn: admin\n"),
    "config-dsn-env-is-a-dsn": (
        ("list",),
        "remediation:\n  postgres:\n    dsn_env: postgresql://u:hunter2secret@db/x\n",
    ),
    "config-timeout-string": (("list",), "remediation:\n  postgres:\n    connect_timeout: '5'\n"),
    "config-policy-huge": (("list",), "remediation:\n  approval_policy: " + "p" * 200_000 + "\n"),
    "config-deeply-nested": (("list",), "remediation:\n  aws: " + "[" * 5000 + "]" * 5000 + "\n"),
}


def _invoke(args: list[str]) -> CliResult:
    """The real typer app in this process: no start-up cost per case."""
    env = {**BASE_ENV, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME}
    done = CliRunner().invoke(remediate_app, args, env=env, catch_exceptions=False)
    return CliResult(done.exit_code, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliResult]:
    """Every case of _CASES through the real typer app in this process (no start-up cost
    per case), each with its own empty state store."""
    root = tmp_path_factory.mktemp("batch")
    results: dict[str, CliResult] = {}
    for name, (args, config_text) in _CASES.items():
        folder = root / name
        folder.mkdir()
        extra = ["--state", str(folder / "state.db")]
        if config_text is not None:
            (folder / "c.yaml").write_text(config_text)
            extra += ["--config", str(folder / "c.yaml")]
        results[name] = _invoke([*args, *extra])
    return results


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("show-unknown", ("R-0000000000", "no such proposal")),
        ("show-ansi", ("no such proposal",)),
        ("show-bidi-newline", ("no such proposal",)),
        ("approve-unknown", ("no such proposal",)),
        ("apply-unknown", ("no such proposal",)),
        ("apply-ansi", ("no such proposal",)),
        ("rollback-unknown", ("no such proposal",)),
        ("by-empty", ("--by",)),
        ("by-leading-space", ("--by",)),
        ("by-control", ("--by",)),
        ("by-newline", ("--by",)),
        ("by-bidi", ("--by",)),
        ("requested-by-control", ("--requested-by",)),
        ("requested-by-empty", ("--requested-by",)),
        ("rollback-by-control", ("--by",)),
        ("scan-unknown", ("--scan", "no such complete scan")),
        ("scan-empty-store", ("--scan latest", "no complete scan")),
        ("format-unknown", ("--format xml",)),
        ("config-section-not-object", ("remediation",)),
        ("config-unknown-key", ("remediation", "approvers")),
        ("config-aws-unknown-key", ("remediation", "secret_key")),
        ("config-role-arn-wrong-type", ("role_arn",)),
        ("config-role-arn-not-arn", ("role_arn",)),
        ("config-dsn-env-is-a-dsn", ("dsn_env",)),
        ("config-timeout-string", ("connect_timeout",)),
        ("config-policy-huge", ("approval_policy",)),
    ],
)
def test_bad_argument_or_config_is_one_line_exit_2(
    batch: dict[str, CliResult], case: str, fragments: tuple[str, ...]
) -> None:
    result = batch[case]
    assert_one_line(result, 2, *fragments)
    assert result.stdout == ""


def test_a_dsn_written_where_its_variable_name_belongs_is_not_shown(
    batch: dict[str, CliResult],
) -> None:
    assert "hunter2secret" not in batch["config-dsn-env-is-a-dsn"].stderr


def test_unknown_state_filter_names_its_option(batch: dict[str, CliResult]) -> None:
    assert_one_line(batch["state-is-unknown"], 2, "--state-is bogus", "expected one of")


@pytest.mark.parametrize(
    ("case", "fragment"), [("show-huge", "no such proposal"), ("by-long", "at most 128")]
)
def test_a_huge_value_gives_a_short_error(
    batch: dict[str, CliResult], case: str, fragment: str
) -> None:
    result = batch[case]
    assert_one_line(result, 2, fragment)
    assert len(result.stderr) < 1000


def test_a_deeply_nested_config_is_one_line_exit_2(batch: dict[str, CliResult]) -> None:
    assert_one_line(batch["config-deeply-nested"], 2, "c.yaml")


def test_an_empty_store_lists_nothing(batch: dict[str, CliResult]) -> None:
    result = batch["list-empty-store"]
    assert (result.code, result.stdout, result.stderr) == (0, "0 proposal(s)\n", "")


def test_a_store_that_is_a_directory_or_garbage(tmp_path: Path) -> None:
    folder = tmp_path / "store-dir"
    folder.mkdir()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database\x00" * 100)
    as_dir, as_garbage = (_invoke(["list", "--state", str(store)]) for store in (folder, garbage))
    assert_one_line(as_dir, 2, str(folder))
    assert as_garbage.code in (2, 3), as_garbage.stderr
    assert_one_line(as_garbage, as_garbage.code)
    assert garbage.read_bytes() == b"not a database\x00" * 100  # nothing overwritten


# ---- the approval policy ------------------------------------------------------------

_RECURSIVE = """package opa_comply.remediation.approval
a := b
b := a
decision := {"action": "auto", "approvals": 0, "reason": a}
"""
_BROKEN = "package opa_comply.remediation.approval\ndecision := {\n"
_SLOW = """package opa_comply.remediation.approval
decision := {"action": "auto", "approvals": 0, "reason": sprintf("%d", [n])} if {
  n := count([x | some x in numbers.range(1, 100000000); x % 7 == 3])
}
"""


def _policies(folder: Path) -> dict[str, str]:
    """name -> approval_policy value, each made under ``folder``."""
    empty = folder / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "README.md").write_text("no policy here")
    (empty / "only_test.rego").write_text("package x\ntest_a if true\n")
    looped = folder / "looped"
    looped.mkdir()
    (looped / "self").symlink_to(looped, target_is_directory=True)
    (looped / "p.rego").write_text(
        'package opa_comply.remediation.approval\ndecision := {"action": "deny",'
        ' "approvals": 0, "reason": "from a folder with a loop"}\n'
    )
    (folder / "broken.rego").write_text(_BROKEN)
    (folder / "recursive.rego").write_text(_RECURSIVE)
    (folder / "link.rego").symlink_to(folder / "link.rego")
    return {
        "missing": str(folder / "nope" / "approval.rego"),
        "empty": str(empty),
        "looped": str(looped),
        "broken": str(folder / "broken.rego"),
        "recursive": str(folder / "recursive.rego"),
        "self-link": str(folder / "link.rego"),
    }


@pytest.fixture(scope="module")
def policy_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _policies(tmp_path_factory.mktemp("policies"))


@pytest.fixture(scope="module")
def policy_runs(
    scanned: Scanned, policy_paths: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Estate, CliResult]]:
    """`remediate plan` of one bucket under a missing and a broken policy, in parallel
    (the other policies are asked in this process: the same code after the CLI)."""
    root = tmp_path_factory.mktemp("policy-runs")

    def one(name: str) -> tuple[str, tuple[Estate, CliResult]]:
        where = root / name
        where.mkdir()
        made = _estate(scanned, where)
        made.write_config(
            {"aws": _aws_section(scanned.moto.url), "approval_policy": policy_paths[name]}
        )
        return name, (made, made.plan(PLAIN))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, ["missing", "broken"]))


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("missing", ("remediation.approval_policy", "no such file or folder")),
        ("broken", ("approval policy", "broken.rego")),
    ],
)
def test_a_bad_approval_policy_is_exit_2_and_stores_nothing(
    scanned: Scanned,
    policy_runs: dict[str, tuple[Estate, CliResult]],
    case: str,
    fragments: tuple[str, ...],
) -> None:
    made, result = policy_runs[case]
    assert_one_line(result, 2, *fragments)
    assert made.rows("SELECT count(*) FROM remediations") == [(0,)]
    records = sorted(p.name for p in (made.ledger / "records").iterdir())
    assert records == sorted(p.name for p in (scanned.folder / "evidence" / "records").iterdir())


_PROPOSAL = {"check_id": S3_004, "tags": {}, "blast_radius": []}


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("missing", ("remediation.approval_policy", "no such file or folder")),
        ("empty", ("remediation.approval_policy", "no .rego file")),
        ("self-link", ("remediation.approval_policy", "link.rego")),
        ("broken", ("approval policy", "broken.rego")),
        pytest.param(
            "recursive",
            ("approval policy", "recursive.rego"),
        ),
    ],
)
def test_a_bad_approval_policy_is_input_error_naming_it(
    policy_paths: dict[str, str], case: str, fragments: tuple[str, ...]
) -> None:
    try:
        decide({"R-1": _PROPOSAL}, policy_paths[case])
    except InputError as exc:
        message = str(exc)
    except EngineError as exc:
        raise AssertionError(f"exit 3, not 2: {exc}") from exc
    else:
        raise AssertionError("no error")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_a_policy_folder_with_a_symlink_loop_is_read_once(policy_paths: dict[str, str]) -> None:
    decided = decide({"R-1": _PROPOSAL}, policy_paths["looped"])["R-1"]
    assert (decided.action, decided.reason) == ("deny", "from a folder with a loop")


def _decide_with(tmp_path: Path, body: str) -> Any:
    module = tmp_path / "p.rego"
    module.write_text("package opa_comply.remediation.approval\n" + body)
    proposal = {"check_id": S3_004, "tags": {}, "blast_radius": []}
    return decide({"R-1": proposal}, str(module))["R-1"]


@pytest.mark.parametrize(
    "body",
    [
        'decision := "auto"',
        "decision := [1, 2]",
        'decision := {"action": "AUTO"}',
        'decision := {"action": "approve", "approvals": 0}',
        'decision := {"action": "approve", "approvals": 11}',
        'decision := {"action": "approve", "approvals": 1.5}',
        'decision := {"action": "approve", "approvals": true}',
        'decision := {"action": "approve", "approvals": "2"}',
        'decision := {"action": "approve"}',
        'decision := {"action": ["auto"]}',
        "decision := null",
        'other := {"action": "auto"}',
    ],
)
def test_a_policy_answer_of_the_wrong_shape_denies(tmp_path: Path, body: str) -> None:
    assert decide({}, None) == {}
    assert _decide_with(tmp_path, body).action == "deny"


def test_a_huge_reason_is_cut_and_a_huge_answer_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _decide_with(
        tmp_path,
        'decision := {"action": "auto", "approvals": 0,'
        ' "reason": concat("", [x | some i in numbers.range(1, 5000); x := "abcdefghij"])}',
    )
    assert (big.action, len(big.reason)) == ("auto", 300)
    # The cap is 16 MB; 1 MB here keeps the test quick, the check is the same.
    monkeypatch.setattr("compliance_opa.engine.oneshot.MAX_ANSWER_BYTES", 1_000_000)
    with pytest.raises(EngineError, match="larger than 1000000 bytes"):
        _decide_with(
            tmp_path,
            'decision := {"action": "auto", "approvals": 0, "reason": "",'
            ' "pad": [x | some i in numbers.range(1, 200000); x := "abcdefghij"]}',
        )


def test_conflicting_decisions_are_an_engine_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError):
        _decide_with(
            tmp_path,
            'decision := {"action": "auto"} if true\n'
            'decision := {"action": "deny"} if input.proposal.check_id',
        )


def test_a_slow_policy_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    """There is one: 60 s by default, fixed (not in the config); here 2 s."""
    module = tmp_path / "slow.rego"
    module.write_text(_SLOW)
    started = time.monotonic()
    with pytest.raises(EngineError, match="no answer within 2 s"):
        evaluate_once(opa_binary(), [module], "data.opa_comply.remediation.approval", {}, 2)
    assert time.monotonic() - started < 10


# ---- credentials: the collector's, and the PostgreSQL DSN ----------------------------


def _targets(tmp_path: Path, remediation: dict[str, Any], collector: dict[str, Any]) -> Any:
    """The write side of a config, as `plan` and `apply` open it for an AWS fix."""
    config = tmp_path / "c.yaml"
    body = _config("http://127.0.0.1:9", tmp_path / "evidence", {"aws": remediation})
    body["aws"].update(collector)
    config.write_text(yaml.safe_dump(body))
    with Targets(load_config(config), dict(BASE_ENV)) as targets:
        return targets.open(fixers({})[S3_004], {"address": arn(PLAIN), "account": ACCOUNT})


@pytest.mark.parametrize(
    ("remediation", "collector", "fragments"),
    [
        (
            {"role_arn": REMEDIATION_ROLE},
            {"role_arns": [REMEDIATION_ROLE]},
            ("remediation.aws.role_arn", "the collector's role"),
        ),
        (
            {"profile": "shared", "region": REGION},
            {"profile": "shared"},
            ("remediation.aws.profile", "the collector's profile"),
        ),
        # No profile and no role on either side: both use the default credentials.
        ({"region": REGION}, {}, ("the collector's",)),
        pytest.param(
            {
                "role_arn": REMEDIATION_ROLE.replace(
                    "opa-comply-remediator", "OPA-Comply-Remediator"
                )
            },
            {"role_arns": [REMEDIATION_ROLE]},
            ("remediation.aws.role_arn", "the collector's role"),
        ),
    ],
)
def test_the_collectors_credentials_are_refused(
    tmp_path: Path,
    remediation: dict[str, Any],
    collector: dict[str, Any],
    fragments: tuple[str, ...],
) -> None:
    try:
        _targets(tmp_path, remediation, collector)
    except InputError as exc:
        message = str(exc)
    except Exception as exc:  # went on to use the credentials
        raise AssertionError(f"not refused: went on to {type(exc).__name__}") from exc
    else:
        raise AssertionError("not refused")
    for fragment in fragments:
        assert fragment in message


def test_a_missing_dsn_variable_is_named() -> None:
    options = PostgresRemediationOptions(dsn_env="HX_REMEDIATION_DSN")
    with pytest.raises(InputError, match="HX_REMEDIATION_DSN is not set"):
        connect(options, {}, "app", set())
    with pytest.raises(InputError, match="HX_REMEDIATION_DSN is not set"):
        connect(options, {"HX_REMEDIATION_DSN": "   "}, "app", set())


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://fixer:S3cr%40t-pw-xyz@127.0.0.1:{port}/app",
        "host=127.0.0.1 port={port} user=fixer password=S3cr@t-pw-xyz dbname=app",
        "postgresql://fixer:S3cr@t-pw-xyz@127.0.0.1:{port}/app?sslmode=bogus",
        "host=127.0.0.1 port={port} password='S3cr@t-pw-xyz",
    ],
)
def test_a_dsn_password_never_reaches_the_message(dsn: str) -> None:
    options = PostgresRemediationOptions(dsn_env="HX_DSN", connect_timeout=2)
    with pytest.raises((InputError, EngineError)) as raised:
        connect(options, {"HX_DSN": dsn.format(port=free_port())}, "app", {"collector"})
    message = str(raised.value)
    assert "\n" not in message
    assert "S3cr" not in message, message
    assert "t-pw-xyz" not in message, message
    assert "HX_DSN" in message


# ---- estate text on the terminal and in the ledger ----------------------------------

_ECHO_POLICY = """package opa_comply.remediation.approval
decision := {"action": "approve", "approvals": 1, "reason": sprintf("note %s", [note])} if {
  note := object.get(input.proposal.tags, "Note", "none")
}
"""


def test_hostile_tags_stay_one_escaped_line_per_item(estate: Estate) -> None:
    """A tag value with a screen clear, colours, CR/LF and a bidi override reaches the
    approval policy, its reason, the store and the ledger; plan, show and list print it
    escaped, one line per item, and the ledger keeps it exactly."""
    policy = estate.folder / "echo.rego"
    policy.write_text(_ECHO_POLICY)
    estate.write_config({"aws": _aws_section(estate.moto_url), "approval_policy": str(policy)})
    planned = estate.plan(KEYS, check=KMS_001)
    assert planned.code == 0, planned.stderr
    pid = estate.proposal(KEYS, check=KMS_001)["proposal_id"]
    where = ["--config", str(estate.config), "--state", str(estate.state)]
    shown = _invoke(["show", pid, *where])
    listed = _invoke(["list", *where])
    for result in (planned, shown, listed):
        assert result.code == 0, result.stderr
        for raw in RAW:
            assert raw not in result.stdout + result.stderr
    escaped = "note \\x1b[2J\\x1b[31mred\\nsecond line\\rover\\u202eevil"
    approval = [line for line in planned.stdout.splitlines() if line.startswith("  approval:")]
    assert len(approval) == 1, planned.stdout
    assert approval[0].endswith(f"({escaped})"), planned.stdout
    assert sum(escaped in line for line in shown.stdout.splitlines()) == 2  # approval, event
    assert len(listed.stdout.splitlines()) == 2  # the proposal and the count
    records = [
        json.loads(p.read_text())
        for p in (estate.ledger / "artifacts").glob(f"remediation-{pid}-*/remediation.json")
    ]
    assert records
    assert all(r["proposal"]["reason"] == f"note {HOSTILE}" for r in records)


# ---- AWS refusing the remediation role, unreachable or hanging ------------------------


def _refuse(method: str) -> Callable[[Call], Fault | None]:
    def rule(call: Call) -> Fault | None:
        if call.service == "s3" and call.operation == f"{method} ?versioning":
            return Fault(403, "AccessDenied", "User: remediator is not authorized")
        return None

    return rule


def test_a_refused_read_at_plan_is_exit_3(scanned: Scanned, tmp_path: Path) -> None:
    with FaultProxy(scanned.moto.url, _refuse("GET")) as proxy:
        made = _estate(scanned, tmp_path, endpoint=proxy.url)
        result = made.plan(DENIED)
    assert made.rows("SELECT count(*) FROM remediations") == [(0,)]
    assert "AccessDenied" in result.stdout + result.stderr
    assert_one_line(result, 3, S3_004, arn(DENIED), "AccessDenied")


def test_a_refused_write_keeps_the_before_state_for_a_later_rollback(
    scanned: Scanned, tmp_path: Path
) -> None:
    made = _estate(scanned, tmp_path, planned=True)
    pid = scanned.planned[DENIED]
    with FaultProxy(scanned.moto.url, _refuse("PUT")) as proxy:
        made.write_config({"aws": _aws_section(proxy.url)})
        refused = made.cli("remediate", "apply", pid, "--by", "ops")
    assert_one_line(refused, 3, pid, "AccessDenied", "ROLLBACK FAILED")
    ended = made.proposal(DENIED)
    assert (ended["state"], ended["before_captured"]) == ("rollback_failed", True)
    assert "verified" not in made.events(pid)
    assert _s3(scanned.moto.url).get_bucket_versioning(Bucket=DENIED).get("Status") is None
    made.write_config({"aws": _aws_section(scanned.moto.url)})  # the refusal is over
    rolled = made.cli("remediate", "rollback", pid, "--by", "ops")
    assert rolled.code == 0, rolled.stderr
    assert made.proposal(DENIED)["state"] == "rolled_back"


def test_an_unreachable_endpoint_is_one_line_exit_3_quickly(estate: Estate) -> None:
    estate.write_config({"aws": _aws_section(f"http://127.0.0.1:{free_port()}")})
    started = time.monotonic()
    result = estate.plan(PLAIN)
    assert time.monotonic() - started < 30
    assert_one_line(result, 3, S3_004)
    assert estate.rows("SELECT count(*) FROM remediations") == [(0,)]


def test_a_hanging_write_ends_with_the_before_state_kept(
    scanned: Scanned,
    tmp_path: Path,
    in_process: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A loopback endpoint that takes the write and never answers: the run ends, nothing
    is marked verified, the before-state is kept. The CLI's client timeouts are fixed
    (connect 5 s, read 30 s, 3 attempts: up to 90 s a call); 1 s reads keep this short."""
    from botocore.config import Config as BotoConfig

    from remediators.aws.clients import RemediationClients

    quick = BotoConfig(
        retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=1, read_timeout=1
    )
    monkeypatch.setattr(RemediationClients, "config", property(lambda self: quick))
    release = threading.Event()

    def hold(call: Call) -> Fault | None:
        if call.service == "s3" and call.operation == "PUT ?versioning":
            release.wait(20)
            return Fault(500, "InternalError")
        return None

    made = _estate(scanned, tmp_path, planned=True)
    pid = scanned.planned[HANG]
    with FaultProxy(scanned.moto.url, hold) as proxy:
        made.write_config({"aws": _aws_section(proxy.url)})
        started = time.monotonic()
        try:
            with pytest.raises(EngineError) as raised:
                remediate.apply([pid], "ops", made.settings(), in_process)
            took = time.monotonic() - started
        finally:
            release.set()
    assert took < 20
    assert "\n" not in str(raised.value)
    assert pid in str(raised.value)
    ended = made.proposal(HANG)
    assert (ended["state"], ended["before_captured"]) == ("rollback_failed", True)
    assert "verified" not in made.events(pid)
    assert _s3(scanned.moto.url).get_bucket_versioning(Bucket=HANG).get("Status") is None


# ---- two people, two runs ------------------------------------------------------------


def test_two_approvals_at_once_both_count(scanned: Scanned, planned: Estate) -> None:
    pid = scanned.planned[PROD]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda who: planned.cli("remediate", "approve", pid, "--by", who),
                ["bob", "carol"],
            )
        )
    assert [r.code for r in results] == [0, 0], [r.stderr for r in results]
    ended = planned.proposal(PROD)
    assert (ended["state"], ended["approvers"]) == ("approved", ["bob", "carol"])
    assert planned.events(pid) == ["proposed", "proposed", "approved"]


def test_apply_twice_at_once_applies_once(
    scanned: Scanned,
    planned: Estate,
    in_process: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pid = scanned.planned[RACE]
    assert planned.proposal(RACE)["state"] == "approved"
    # Both runs read the proposal before either collects the bucket again: the window a
    # real pair of runs has, made certain.
    barrier = threading.Barrier(2, timeout=5)
    real = remediate.recollect  # type: ignore[attr-defined]
    first: set[int] = set()

    def recollect_in_step(*args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() not in first:
            first.add(threading.get_ident())
            # Broken: the other run was refused before collecting, as it should be.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(remediate, "recollect", recollect_in_step)

    def run() -> str:
        try:
            (outcome,) = remediate.apply([pid], "ops", planned.settings(), in_process)
            return outcome.proposal.state
        except InputError as exc:
            return f"refused: {exc}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        ends = sorted(pool.map(lambda _: run(), range(2)))
    assert planned.events(pid).count("applied") == 1, planned.events(pid)
    assert ends[0].startswith("refused"), ends
    assert ends[1] == "verified", ends


def test_hostile_names_in_a_stored_proposal_stay_one_line(
    scanned: Scanned, planned: Estate
) -> None:
    """What a PostgreSQL fix shows for a table or role named with controls (its address,
    summary, blast radius, values): a stored proposal carrying them prints escaped."""
    pid = scanned.planned[PROD]
    name = f'postgresql://db:5432/app/table/public."pa{HOSTILE}"'
    change = {
        "summary": f"Revoke PUBLIC's SELECT on {name}",
        "setting": f"acl of {HOSTILE}",
        "current": [f"=r/{HOSTILE}"],
        "proposed": [],
        "impact": "resource",
        "blast_radius": [f"login role {HOSTILE} loses SELECT", "\u2028separator\u2029"],
    }
    with sqlite3.connect(planned.state) as db:
        db.execute(
            "UPDATE remediations SET resource = ?, change = ?, reason = ? WHERE proposal_id = ?",
            (name, json.dumps(change), HOSTILE, pid),
        )
    where = ["--config", str(planned.config), "--state", str(planned.state)]
    shown = _invoke(["show", pid, *where])
    listed = _invoke(["list", *where])
    as_json = _invoke(["list", "--format", "json", *where])
    for result in (shown, listed, as_json):
        assert result.code == 0, result.stderr
        for raw in (*RAW, "\u2028", "\u2029"):
            assert raw not in result.stdout
    # id, change, setting, impact, two touches, approval; then one line per event
    assert len(shown.stdout.splitlines()) == 6 + 1 + len(planned.events(pid))
    assert len(listed.stdout.splitlines()) == len(scanned.planned) + 1
    (back,) = [p for p in as_json.json() if p["proposal_id"] == pid]
    assert back["resource"] == name


@pytest.mark.parametrize("glob", ["[", "[!", "\x1b[2J*", "*\n*", "a" * 10_000])
def test_odd_globs_select_nothing_quietly(planned: Estate, glob: str) -> None:
    where = ["--config", str(planned.config), "--state", str(planned.state)]
    for option in ("--check", "--resource"):
        result = _invoke(["plan", option, glob, "--requested-by", "alice", *where])
        assert result.code == 0, result.stderr
        assert result.stderr == ""
        assert "0 new proposal(s)" in result.stdout
        assert not any(raw in result.stdout for raw in RAW)


def test_a_state_store_url_password_is_never_shown() -> None:
    for url in (
        "postgresql://u:Sup3rSecretPw@127.0.0.1:1/db",
        "postgresql://u:Sup3r%20SecretPw@127.0.0.1:1/db?sslmode=bogus",
    ):
        result = _invoke(["list", "--state", url])
        assert_one_line(result, 3, "state store")
        assert "Sup3r" not in result.stderr


def test_a_ledger_that_cannot_be_written_leaves_the_store_as_it_was(
    scanned: Scanned, planned: Estate
) -> None:
    pid = scanned.planned[PROD]
    records = planned.ledger / "records"
    kept = planned.folder / "records-kept"
    records.rename(kept)
    records.write_text("not a folder")
    where = ["--config", str(planned.config), "--state", str(planned.state)]
    result = _invoke(["approve", pid, "--by", "bob", *where])
    assert_one_line(result, 3, "evidence ledger")
    assert planned.events(pid) == ["proposed"]
    assert planned.proposal(PROD)["approvers"] == []
