"""The service's fast path (engine/selective.py) answers exactly what the full report
answers: on every resource of every bundled example alone, on each whole example, and on
an input with no resource or an unknown type, the parsed check results are equal."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.domain.answer import parse_catalogues, parse_report
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.engine.selective import SelectiveEvaluator
from compliance_opa.errors import EngineError
from compliance_opa.inventory import envelope
from tests.conftest import EXAMPLES, POLICIES, load_example

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json")) + sorted(EXAMPLES.glob("*/*.json"))


@pytest.fixture(scope="module")
def client() -> Iterator[OpaClient]:
    with open_engine(EngineSettings()) as opa:
        yield opa


def _inputs() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in EXAMPLE_FILES:
        document = load_example(path)
        if "resources" not in document:
            continue
        yield path.name, envelope.document(document["sources"], document["resources"])
        for resource in document["resources"]:
            yield (
                f"{path.name}:{resource['address']}",
                envelope.document(document["sources"], [resource]),
            )
    yield "empty", envelope.document([], [])
    unknown = {"address": "x", "type": "aws_unheard_of", "provider": "aws", "name": "x"}
    yield "unknown type", envelope.document([], [{**unknown, "attributes": {}}])


def test_selected_checks_answer_as_the_full_report(client: OpaClient) -> None:
    selective = SelectiveEvaluator(client)
    compared = 0
    for name, document in _inputs():
        full = client.evaluate(document).result
        fast = selective.evaluate(document).result
        assert parse_report(fast) == parse_report(full), name
        assert parse_catalogues(fast) == parse_catalogues(full), name
        compared += 1
    assert compared > 40  # every example resource, not a handful


def test_a_policy_error_is_reported_not_selected_away(tmp_path: Path) -> None:
    """Selection needs every check's metadata: with a check that has none, nothing is
    selected and the full report's policy error reaches the caller."""
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    broken = policies / "checks" / "aws" / "broken"
    broken.mkdir()
    (broken / "nometa.rego").write_text(
        "package checks.aws.broken.nometa\n\nfindings contains 1 if false\n", encoding="utf-8"
    )
    with open_engine(EngineSettings(policies=policies)) as opa:
        selective = SelectiveEvaluator(opa)
        answer = selective.evaluate(envelope.document([], [])).result
    with pytest.raises(EngineError, match=r"policy error: checks\.aws\.broken\.nometa"):
        parse_report(answer)
