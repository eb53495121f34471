"""The managed sidecar's policy digest, computed from the files it loads, is the digest
OPA itself gives for what it loaded (`GET /v1/policies`): scans record the same digest
as before, without fetching megabytes of syntax trees."""

from __future__ import annotations

import shutil
from pathlib import Path

from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.digest import folder_digest
from compliance_opa.engine.sidecar import ManagedOpa
from tests.conftest import REPO, opa_binary


def _both(policies: Path) -> tuple[str | None, str]:
    with ManagedOpa(opa_binary(), policies) as client:
        assert isinstance(client, OpaClient)
        return client.known_digest(), client.policy_digest()


def test_the_bundled_policies_digest_is_opas_own() -> None:
    known, asked = _both(REPO / "policies")
    assert known == asked
    assert known is not None


def test_a_custom_folder_with_nested_modules_and_data(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    extra = folder / "local" / "deeper"
    extra.mkdir(parents=True)
    (extra / "mine.rego").write_text("package local.mine\n\n# ünïcode comment\nx := 1\n")
    (extra / "notes.txt").write_text("not a module")
    known, asked = _both(folder)
    assert known == asked
    assert known != folder_digest(REPO / "policies")  # the extra module counts


def test_a_module_changed_changes_the_digest(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.rego").write_text("package a\n\nx := 1\n")
    first = folder_digest(folder)
    (folder / "a.rego").write_text("package a\n\nx := 2\n")
    assert folder_digest(folder) != first
    known, asked = _both(folder)
    assert known == asked


def test_a_tree_holding_raw_and_result_keys_leaves_the_digest_opas(tmp_path: Path) -> None:
    """Asked of a remote OPA, the syntax trees are dropped as the answer is parsed; an
    object inside a tree with the keys a module or the answer has is dropped with it."""
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.rego").write_text(
        "# METADATA\n# custom:\n#   raw: not the module\n#   result: [1]\n"
        'package a\n\nx := {"raw": "y", "result": [{"raw": "z"}]}\n'
    )
    (folder / "b.rego").write_text("package b\n\nraw := 1\n")
    known, asked = _both(folder)
    assert known == asked
    assert known == folder_digest(folder)
