"""The policy catalogue: the checks OPA has loaded (`opa-comply policies list`).

The list comes from the same query a scan makes (on an empty inventory), so it
shows exactly what the OPA in use would evaluate. `docs/checks.md` is this
command's Markdown output, kept in sync by a test.
"""

from __future__ import annotations

from collections.abc import Sequence

from compliance_opa.domain.answer import parse_report
from compliance_opa.domain.findings import FRAMEWORKS, Check
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.inventory import envelope

_EMPTY_INVENTORY = envelope.document([], [])


def loaded_checks(client: Evaluator, frameworks: Sequence[str] = ()) -> list[Check]:
    selected = tuple(frameworks) or FRAMEWORKS
    results = parse_report(client.evaluate(_EMPTY_INVENTORY).result)
    return [r.check for r in results if r.check.maps_to(selected)]


def list_checks(settings: EngineSettings, frameworks: Sequence[str] = ()) -> list[Check]:
    """The checks of the OPA these settings reach (the managed sidecar by default)."""
    with open_engine(settings) as client:
        return loaded_checks(client, frameworks)
