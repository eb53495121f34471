"""A managed OPA that loads only the checks of the input's types (engine/catalogue.py)
reports exactly what the whole policy set reports, on every real plan and example input;
the shipped catalogue is current; a catalogue is never applied where it could be wrong."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine import catalogue as catalogue_module
from compliance_opa.engine.catalogue import SHIPPED, build, input_types, read_folder
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings, PendingEngine, open_engine
from compliance_opa.engine.sidecar import ManagedOpa, PartialOpaClient
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory import envelope
from compliance_opa.inventory.load import Inventory, load_inventory
from tests.conftest import REPO, opa_binary

PLANS = sorted((REPO / "tests" / "fixtures" / "terraform-plans").glob("*.json"))
EXAMPLES = sorted((REPO / "examples").rglob("*.json"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def full_opa() -> Iterator[OpaClient]:
    with open_engine(EngineSettings(policies=REPO / "policies")) as client:
        yield client


def _texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.rego"))}


def _inputs() -> list[Inventory]:
    loaded = []
    for path in [*PLANS, *EXAMPLES]:
        try:
            loaded.append(load_inventory(path))
        except InputError:
            continue  # a fixture the loader refuses (an encoding, a destroy-only plan)
    return loaded


def _same(partial: ScanReport, full: ScanReport) -> None:
    assert partial.results == full.results
    assert partial.summaries == full.summaries
    assert partial.policy_digest == full.policy_digest
    assert partial.data_map == full.data_map


def test_the_shipped_catalogue_is_the_bundled_policies(full_opa: OpaClient) -> None:
    report = full_opa.evaluate(envelope.document([], [], {})).result
    made = build(report, _texts(REPO / "policies"))
    assert made is not None
    shipped = json.loads(SHIPPED.read_text())
    assert shipped == json.loads(json.dumps(made.as_json())), (
        "the policies changed: regenerate the catalogue with"
        " `python -m compliance_opa.engine.catalogue`"
    )
    assert read_folder(REPO / "policies").catalogue == catalogue_module._read(SHIPPED)


def test_every_real_plan_and_example_reports_as_with_every_check(full_opa: OpaClient) -> None:
    inputs = _inputs()
    assert len(inputs) >= 25
    left_out = 0
    for inventory in inputs:
        full = run_scan([inventory], full_opa)
        engine = PendingEngine(EngineSettings(policies=REPO / "policies"))
        try:
            with engine.running(input_types([inventory])) as client:
                assert isinstance(client, PartialOpaClient), inventory.path
                partial = run_scan([inventory], client)
        finally:
            engine.close()
        _same(partial, full)
        assert len(partial.results) == len(full.results) > 200
        left_out += sum(1 for r in full.results if not r.evaluated)
    assert left_out > 0


def test_only_the_checks_of_the_input_types_are_loaded() -> None:
    catalogue = read_folder(REPO / "policies").catalogue
    assert catalogue is not None
    with ManagedOpa(
        opa_binary(),
        REPO / "policies",
        types={"aws_s3_bucket"},
        folder=read_folder(REPO / "policies"),
    ) as client:
        sidecar_checks = client.query(
            "x := count([1 | some p, a, n; data.checks[p][a][n].metadata])", b'{"input":{}}'
        )
    expected = len(catalogue.packages_for({"aws_s3_bucket"}))
    assert 0 < sidecar_checks == expected < len(catalogue.checks)


def test_custom_policies_are_learnt_on_their_first_full_load(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    (folder / "lib" / "local.rego").write_text("package lib.local\n\nanswer := 42\n")
    first = read_folder(folder)
    assert first.digest is not None
    assert first.catalogue is None  # other policies than the bundled ones: nothing known
    plan = load_inventory(PLANS[0])
    engine = PendingEngine(EngineSettings(policies=folder))
    try:
        with engine.running(input_types([plan])) as client:
            assert not isinstance(client, PartialOpaClient)
            learnt = run_scan([plan], client)
    finally:
        engine.close()
    second = read_folder(folder)
    assert second.catalogue is not None
    assert second.catalogue.digest == first.digest
    assert catalogue_module.cache_path(first.digest).is_file()
    engine = PendingEngine(EngineSettings(policies=folder))
    try:
        with engine.running(input_types([plan])) as client:
            assert isinstance(client, PartialOpaClient)
            _same(run_scan([plan], client), learnt)
    finally:
        engine.close()


def test_a_module_reading_other_checks_forbids_a_catalogue(full_opa: OpaClient) -> None:
    report = full_opa.evaluate(envelope.document([], [], {})).result
    texts = _texts(REPO / "policies")
    assert build(report, texts) is not None
    for sneaky in ("x := data.checks.aws.s3", 'x := data ["checks"]', "import data.checks.aws"):
        changed = dict(texts)
        changed["lib/sneaky.rego"] = f"package lib.sneaky\n\n{sneaky}\n"
        assert build(report, changed) is None, sneaky
    with_errors = {**report, "errors": ["checks.x.y.z: check has no complete METADATA"]}
    assert build(with_errors, texts) is None


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": 1, "digest": "D", "checks": [{"package": 1}], "files": {}}',
        '{"format": 2, "digest": "D", "checks": [], "files": {}}',
        '{"format": 1, "digest": "D", "files": {"b": ["x.rego"]},'
        ' "checks": [{"package": "a", "metadata": {"resource_types": []}}]}',
    ],
)
def test_a_corrupt_cached_catalogue_is_no_catalogue(tmp_path: Path, content: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(content)
    assert catalogue_module._read(path) is None


def test_a_catalogue_of_other_policies_is_never_applied(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    bundled = read_folder(REPO / "policies")
    assert bundled.catalogue is not None
    # A cached catalogue claiming this folder's digest, listing other file names.
    changed = folder / "lib" / "inventory.rego"
    changed.write_text(changed.read_text() + "\n# changed\n")
    digest = read_folder(folder).digest
    assert digest is not None
    forged: dict[str, Any] = {**bundled.catalogue.as_json(), "digest": digest}
    forged["files"] = {k: [f"renamed/{f}" for f in v] for k, v in forged["files"].items()}
    cached = catalogue_module.cache_path(digest)
    cached.parent.mkdir(parents=True)
    cached.write_text(json.dumps(forged))
    assert read_folder(folder).catalogue is None


def test_an_answer_for_an_unknown_check_is_an_error() -> None:
    catalogue = read_folder(REPO / "policies").catalogue
    assert catalogue is not None
    answer = {"checks": [{"package": "checks.aws.s3.not_there"}], "errors": [], "frameworks": {}}
    with pytest.raises(EngineError, match="not_there"):
        catalogue.filled(answer)
