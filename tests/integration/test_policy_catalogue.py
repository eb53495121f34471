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
from compliance_opa.engine.catalogue import SHIPPED, build, input_types, read_folder, shipped
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings, PendingEngine, open_engine
from compliance_opa.engine.sidecar import ManagedOpa, PartialOpaClient
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory import envelope
from compliance_opa.inventory.load import Inventory, load_inventory
from tests.conftest import REPO, opa_binary

PLANS = sorted((REPO / "tests" / "fixtures" / "terraform-plans").glob("*.json"))
EXAMPLES = sorted((REPO / "examples").rglob("*.json"))


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
    written = json.loads(SHIPPED.read_text())
    assert written == json.loads(json.dumps(made.as_json())), (
        "the policies changed: regenerate the catalogue with"
        " `.venv/bin/python scripts/build_policy_catalogue.py`"
    )
    assert read_folder(REPO / "policies").catalogue == shipped()


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
    with ManagedOpa(opa_binary(), REPO / "policies", types={"aws_s3_bucket"}) as client:
        assert isinstance(client, PartialOpaClient)
        loaded = client.loaded
        sidecar_checks = client.query(
            "x := count([1 | some p, a, n; data.checks[p][a][n].metadata])", b'{"input":{}}'
        )
    expected = len(catalogue.packages_for({"aws_s3_bucket"}))
    assert 0 < sidecar_checks == expected == len(loaded) < len(catalogue.checks)


def _scan_with(folder: Path, plan: Inventory) -> tuple[ScanReport, bool]:
    engine = PendingEngine(EngineSettings(policies=folder))
    try:
        with engine.running(input_types([plan])) as client:
            return run_scan([plan], client), isinstance(client, PartialOpaClient)
    finally:
        engine.close()


def test_other_policies_load_whole(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    plan = load_inventory(PLANS[0])
    partial, was_partial = _scan_with(folder, plan)  # a copy: the catalogue applies
    assert was_partial
    (folder / "lib" / "local.rego").write_text("package lib.local\n\nanswer := 42\n")
    assert read_folder(folder).catalogue is None
    whole, was_partial = _scan_with(folder, plan)
    assert not was_partial
    assert whole.results == partial.results
    assert whole.policy_digest != partial.policy_digest


def test_a_symbolic_link_in_the_folder_loads_it_whole(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    shared = tmp_path / "shared-config"
    (folder / "config").rename(shared)
    (folder / "config").symlink_to(shared)
    found = read_folder(folder)
    assert found.catalogue is None
    assert found.digest == read_folder(REPO / "policies").digest  # the same modules
    _, was_partial = _scan_with(folder, load_inventory(PLANS[0]))
    assert not was_partial


def test_a_folder_changed_after_the_scan_began_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    plan = load_inventory(PLANS[0])
    engine = PendingEngine(EngineSettings(policies=folder))  # the catalogue applies now
    try:
        (folder / "checks" / "aws" / "extra.rego").write_text(
            "# METADATA\n# title: Edited\n# description: an edit after the start\n"
            "# custom:\n#   id: AWS-EDIT-001\n#   severity: low\n"
            f"#   resource_types: {sorted(input_types([plan]))}\n"
            "#   controls:\n#     soc2: [CC6.1]\n#   remediation: none\n"
            "package checks.aws.extra.edited\n\nimport data.lib.inventory\n"
            "import data.lib.result\n\n"
            "metadata := result.check_metadata(rego.metadata.chain())\n\n"
            "resources := inventory.of(metadata)\n\n"
            'findings contains result.fail(metadata, r, "edited") if some r in resources\n'
        )
        with engine.running(input_types([plan])) as client:
            assert not isinstance(client, PartialOpaClient)
            report = run_scan([plan], client)
    finally:
        engine.close()
    edited = [r for r in report.results if r.check.check_id == "AWS-EDIT-001"]
    assert edited
    assert edited[0].findings


def test_a_subset_that_fails_to_start_names_the_users_files(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    (folder / "config" / "data.json").write_text("{not json")
    plan = load_inventory(PLANS[0])
    engine = PendingEngine(EngineSettings(policies=folder))
    try:
        with pytest.raises(EngineError, match="exited on start") as caught:
            engine.client(input_types([plan]))
    finally:
        engine.close()
    assert "opa-comply-sidecar" not in str(caught.value)
    assert str(folder) in str(caught.value)


def test_a_package_line_with_a_comment_is_placed(full_opa: OpaClient) -> None:
    report = full_opa.evaluate(envelope.document([], [], {})).result
    texts = _texts(REPO / "policies")
    name = next(f for f in texts if f.startswith("checks/aws/s3/"))
    package = catalogue_module._package_of(texts[name])
    commented = {
        **texts,
        name: texts[name].replace(f"package {package}\n", f"package {package} # x\n"),
    }
    made = build(report, commented)
    assert made is not None
    assert name in made.files[str(package)]
    unplaced = {**texts, "lib/odd.rego": "# no package line at all\n"}
    assert build(report, unplaced) is None


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
        "[" * 100_000,
        '{"format": 1, "digest": "D", "checks": [{"package": 1}], "files": {}}',
        '{"format": 2, "digest": "D", "checks": [], "files": {}}',
        '{"format": 1, "digest": "D", "files": {"b": ["x.rego"]},'
        ' "checks": [{"package": "a", "metadata": {"resource_types": []}}]}',
    ],
)
def test_a_damaged_shipped_catalogue_is_no_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    path = tmp_path / "c.json"
    path.write_text(content)
    monkeypatch.setattr(catalogue_module, "SHIPPED", path)
    assert shipped() is None
    assert read_folder(REPO / "policies").catalogue is None


def test_the_same_modules_under_other_names_are_not_the_catalogues(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    (folder / "checks" / "aws" / "s3").rename(folder / "checks" / "aws" / "s3_renamed")
    found = read_folder(folder)
    assert found.digest == read_folder(REPO / "policies").digest
    assert found.catalogue is None


def test_an_answer_for_an_unknown_check_is_an_error() -> None:
    catalogue = read_folder(REPO / "policies").catalogue
    assert catalogue is not None
    answer = {"checks": [{"package": "checks.aws.s3.not_there"}], "errors": [], "frameworks": {}}
    with pytest.raises(EngineError, match="not_there"):
        catalogue.filled(answer, [])
    loaded = catalogue.packages_for({"aws_s3_bucket"})
    silent: dict[str, Any] = {"checks": [], "errors": [], "frameworks": {}}
    with pytest.raises(EngineError, match="did not answer"):
        catalogue.filled(silent, loaded)
