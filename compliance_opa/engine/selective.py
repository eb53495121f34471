"""Evaluating only the checks that can judge the input: the compliance service's fast path.

A check judges only resources of the types its metadata lists (`resources :=
inventory.of(metadata)`, a rule of our policy conventions), so for an input holding a
few types, the other checks evaluate nothing and find nothing. The full report
(`data.scan.report`) still evaluates all of them, which for one resource is most of
OPA's time. Here the checks' metadata and the framework catalogues are read once (a
report on an empty input), and each evaluation asks OPA, in one query, for the evaluated
resources and findings of the checks whose types are in the input; the other checks are
answered from the catalogue with nothing evaluated, as the full report would answer them.
The answer has the full report's shape, so what follows cannot tell the difference
(tests compare both on every example resource).

When the policies report errors (a check without complete metadata), nothing is
selected: every evaluation is the full report's, which reports the error.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

import orjson

from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.errors import EngineError
from compliance_opa.inventory import envelope

# The named checks' verdicts, in the shape of scan.report's `checks` (metadata aside).
_QUERY = (
    "x := [c | some s in input.packages;"
    " pkg := data.checks[s[0]][s[1]][s[2]];"
    ' c := {"package": concat(".", ["checks", s[0], s[1], s[2]]),'
    ' "evaluated": sort([r.address | some r in pkg.resources]),'
    ' "findings": [f | some f in pkg.findings]}]'
)


class SelectiveEvaluator:
    """The Evaluator protocol on one OpaClient, asking only for the checks that apply.

    With ``verdicts_only`` the checks that cannot apply are left out of the answer instead
    of answered as evaluating nothing: the verdicts on the input's resources are the same,
    but a report made of it has no per-framework summaries to speak of (the validation API
    needs none, and parsing some eighty empty checks per request was most of its time)."""

    def __init__(self, client: OpaClient, *, verdicts_only: bool = False) -> None:
        self._client = client
        self._verdicts_only = verdicts_only
        empty = envelope.document([], [], {})
        full = client.evaluate(empty)
        self.opa_version = full.opa_version
        report = full.result
        try:
            self._selectable = not report["errors"]
            self._frameworks = report["frameworks"]
            self._empty = {c["package"]: c for c in report["checks"]}
            self._by_type: dict[str, list[list[str]]] = defaultdict(list)
            for check in report["checks"]:
                path = str(check["package"]).split(".")[1:]
                for kind in check["metadata"]["resource_types"]:
                    self._by_type[str(kind)].append(path)
        except (KeyError, TypeError, AttributeError) as exc:
            raise EngineError(f"OPA at {client.display_url}: unexpected report shape") from exc

    def verdicts_view(self) -> SelectiveEvaluator:
        """The same evaluator (and catalogue) answering with ``verdicts_only``."""
        view = copy.copy(self)
        view._verdicts_only = True
        return view

    @property
    def display_url(self) -> str:
        return self._client.display_url

    def evaluate(self, document: dict[str, Any], path: str = REPORT_PATH) -> Evaluation:
        return self.evaluate_body(b'{"input":' + orjson.dumps(document) + b"}", path)

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        if path != REPORT_PATH or not self._selectable:
            return self._client.evaluate_body(body, path)
        request = orjson.loads(body)
        kinds = {str(r.get("type")) for r in request["input"].get("resources", ())}
        packages = sorted({tuple(p) for k in kinds for p in self._by_type.get(k, ())})
        request["input"]["packages"] = [list(p) for p in packages]
        answered = self._client.query(_QUERY, orjson.dumps(request)) if packages else []
        if not isinstance(answered, list):
            raise EngineError(f"OPA at {self.display_url}: the query answered no list")
        checks = {} if self._verdicts_only else dict(self._empty)
        for entry in answered:
            name = entry.get("package") if isinstance(entry, dict) else None
            if name not in self._empty:
                raise EngineError(f"OPA at {self.display_url}: an unknown check in the answer")
            checks[name] = {**self._empty[name], **entry}
        result = {"checks": list(checks.values()), "errors": [], "frameworks": self._frameworks}
        return Evaluation(result=result, opa_version=self.opa_version)

    def policy_digest(self) -> str:
        return self._client.policy_digest()
