"""NIST OSCAL 1.2.1 Assessment Results (JSON), for GRC tools and auditors.

One document, one result (the scan). Mapping:

- observations: one per finding (the evidence: check, resource, message) plus one per
  check that passed somewhere, summarising the resources it passed on. One observation
  per check x resource evaluation would repeat "passed" thousands of times on an estate.
- findings: one per failed, indeterminate or waived finding, all `not-satisfied` (unknown
  is not compliant; a waiver accepts the risk, it does not meet the control). OSCAL gives
  a finding one target, so it targets the first control of the first selected framework
  the check maps to; every mapped control is listed in the finding's `control` props.
- risks: one per finding, with the risk score, the remediation as a recommendation and,
  when waived, status `deviation-approved` and the waiver's expiry as the deadline.
- reviewed-controls: per selected framework, the controls its checks cover.
- subjects: every evaluated resource is an inventory item of the result.

OSCAL control ids are tokens (a letter first, no parentheses), so ours are rewritten the
way NIST writes enhancements, with the framework first: GDPR `Art.32(1)(a)` becomes
`gdpr-art.32.1.a`, HIPAA `164.312(a)(2)(iv)` becomes `hipaa-164.312.a.2.iv`.

UUIDs are uuid5, hence deterministic: the same report gives the same document. Things of
one scan are named under the document's uuid (from the scan id, else the policy digest,
input digests and times); resources and the tool under a fixed namespace, so the same
resource is the same subject in every scan.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from compliance_opa.baseline import finding_fingerprint
from compliance_opa.findings import FRAMEWORK_NAMES, Finding, Status
from compliance_opa.scan import InputInfo, ScanReport

OSCAL_VERSION = "1.2.1"
# Namespace of the props OSCAL does not define (severity, risk, check id, resource...).
NS = "https://github.com/opa-comply/opa-comply/ns/oscal"
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)

_STATE = {Status.FAIL: "fail", Status.INDETERMINATE: "other", Status.WAIVED: "fail"}
_RISK_STATUS = {
    Status.FAIL: "open",
    Status.INDETERMINATE: "investigating",
    Status.WAIVED: "deviation-approved",
}


def render(report: ScanReport) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"


def build(report: ScanReport) -> dict[str, Any]:
    doc = document_uuid(report)
    plan = _uid(_ROOT, f"assessment-plan:{report.policy_digest}")
    results = {
        "uuid": str(doc),
        "metadata": {
            "title": "opa-comply assessment results",
            "last-modified": _timestamp(report.finished_at),
            "version": _text(report.tool_version) or "unknown",
            "oscal-version": OSCAL_VERSION,
            "props": _props(
                ("opa-version", report.opa_version),
                ("policy-digest", report.policy_digest),
                ("scan-id", report.scan_id),
                ("scope", report.scope),
            ),
        },
        # We have no assessment plan document: the plan is the policy bundle and its control
        # mappings, described by a back-matter resource this href resolves to.
        "import-ap": {"href": f"#{plan}"},
        "results": [_result(report, doc)],
        "back-matter": {"resources": [_plan_resource(report, plan), *_inputs(report)]},
    }
    return {"assessment-results": _pruned(results)}


def document_uuid(report: ScanReport) -> uuid.UUID:
    if report.scan_id:
        return _uid(_ROOT, f"scan-id:{report.scan_id}")
    key = [report.policy_digest, report.started_at, report.finished_at, report.scope]
    key += [",".join(report.frameworks), *(i.digest or i.path for i in report.inputs)]
    return _uid(_ROOT, "scan:" + "\x1f".join(key))


def control_token(framework: str, control_id: str) -> str:
    """An OSCAL token for a framework's control: `Art.32(1)(a)` -> `gdpr-art.32.1.a`."""
    tail = re.sub(r"\.{2,}", ".", re.sub(r"[^0-9a-z_.-]+", ".", control_id.lower())).strip(".")
    head = re.sub(r"[^0-9a-z_]+", "_", framework.lower())
    head = head if re.match(r"[a-z_]", head) else f"_{head}"
    return f"{head}-{tail}" if tail else head


def _result(report: ScanReport, doc: uuid.UUID) -> dict[str, Any]:
    findings = report.findings_by_severity()
    keys = _finding_keys(findings)
    tool = _uid(_ROOT, "component:opa-comply")
    totals = report.totals
    result: dict[str, Any] = {
        "uuid": str(_uid(doc, "result")),
        "title": "opa-comply compliance scan",
        "description": (
            f"Automated evaluation of {len(_addresses(report))} resources from"
            f" {len(report.inputs)} inventory snapshots by {len(report.results)} Rego checks"
            f" on Open Policy Agent {report.opa_version}, against"
            f" {', '.join(FRAMEWORK_NAMES.get(f, f) for f in report.frameworks)}:"
            f" {totals.evaluations} evaluations, {totals.passed} passed, {totals.failed}"
            f" failed, {totals.indeterminate} indeterminate."
        ),
        "start": _timestamp(report.started_at),
        "end": _timestamp(report.finished_at),
        "props": _props(
            *(("framework", f) for f in report.frameworks),
            ("collection-complete", "false" if report.gaps else "true"),
        ),
        "local-definitions": _local_definitions(report, tool),
        "reviewed-controls": _reviewed_controls(report),
        "observations": [
            *(_observation(f, k, report, doc, tool) for f, k in zip(findings, keys, strict=True)),
            *_passes(report, doc, tool),
        ],
        "risks": [_risk(f, k, doc) for f, k in zip(findings, keys, strict=True)],
        "findings": [_finding(f, k, report, doc) for f, k in zip(findings, keys, strict=True)],
    }
    if report.gaps:
        result["remarks"] = "Incomplete collection:\n\n" + "\n".join(
            f"- {_text(gap.describe())}" for gap in report.gaps
        )
    return result


def _finding_keys(findings: list[Finding]) -> list[str]:
    """Per finding a key unique in the report and stable across scans: the fingerprint,
    numbered when a check reports several findings on one resource."""
    seen: Counter[str] = Counter()
    keys = []
    for finding in findings:
        fingerprint = finding_fingerprint(finding)
        seen[fingerprint] += 1
        keys.append(fingerprint if seen[fingerprint] == 1 else f"{fingerprint}#{seen[fingerprint]}")
    return keys


def _local_definitions(report: ScanReport, tool: uuid.UUID) -> dict[str, Any]:
    types = {f.resource: f.resource_type for f in report.findings}
    opa = _uid(_ROOT, "component:open-policy-agent")
    components = [
        _component(tool, "opa-comply", "Policy-as-code compliance scanner.", report.tool_version),
        _component(opa, "Open Policy Agent", "Evaluates the Rego checks.", report.opa_version),
    ]
    items = [
        {
            "uuid": str(_resource_uuid(address)),
            "description": _text(address) or "(no address)",
            "props": [
                {"name": "asset-id", "value": _text(address) or "(no address)"},
                *_props(("resource-type", types.get(address, ""))),
            ],
        }
        for address in _addresses(report)
    ]
    platform = {
        "uuid": str(_uid(_ROOT, "platform:opa-comply")),
        "title": "opa-comply with Open Policy Agent",
        "uses-components": [{"component-uuid": str(c)} for c in (tool, opa)],
    }
    assets = {"components": components, "assessment-platforms": [platform]}
    return {"inventory-items": items, "assessment-assets": assets}


def _component(uid: uuid.UUID, title: str, description: str, version: str) -> dict[str, Any]:
    return {
        "uuid": str(uid),
        "type": "software",
        "title": title,
        "description": description,
        "props": _props(("version", version)),
        "status": {"state": "operational"},
    }


def _reviewed_controls(report: ScanReport) -> dict[str, Any]:
    selections = []
    for framework in report.frameworks:
        controls = sorted(
            {c for r in report.results for c in r.check.controls.get(framework, ())},
            key=_natural,
        )
        if controls:
            selections.append(
                {
                    "props": _props(("framework", framework)),
                    "include-controls": [
                        {"control-id": control_token(framework, c)} for c in controls
                    ],
                }
            )
    if not selections:  # OSCAL wants a selection; say plainly that there was none
        return {
            "control-selections": [
                {"include-all": {}, "remarks": "No check of this scan maps to a control."}
            ]
        }
    return {"control-selections": selections}


def _observation(
    finding: Finding, key: str, report: ScanReport, doc: uuid.UUID, tool: uuid.UUID
) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "uuid": str(_uid(doc, f"observation:{key}")),
        "title": _text(f"{finding.check.check_id} {finding.status.value}: {finding.resource}"),
        "description": finding.message or finding.check.title,
        "props": _evidence_props(finding),
        "methods": ["TEST"],
        "types": ["finding"],
        "origins": [{"actors": [{"type": "tool", "actor-uuid": str(tool)}]}],
        "subjects": [
            {"subject-uuid": str(_resource_uuid(finding.resource)), "type": "inventory-item"}
        ],
        "collected": _collected(report, [finding.resource]),
    }
    location = report.locations.get(finding.resource)
    if location is not None:
        path, line = location
        evidence = {"description": _text(f"{path}, line {line}")}
        info = next((i for i in report.inputs if i.path == path), None)
        if info is not None:  # the snapshot, listed in back-matter with its digest
            evidence = {"href": f"#{_input_uuid(info)}", **evidence}
        observation["relevant-evidence"] = [evidence]
    return observation


def _passes(report: ScanReport, doc: uuid.UUID, tool: uuid.UUID) -> list[dict[str, Any]]:
    """One observation per check that passed on at least one resource."""
    observations = []
    for result in report.results:
        flagged = {f.resource for f in result.findings}
        passed = [a for a in dict.fromkeys(result.evaluated) if a not in flagged]
        if not passed:
            continue
        check = result.check
        observations.append(
            {
                "uuid": str(_uid(doc, f"observation:pass:{check.check_id}")),
                "title": _text(f"{check.check_id} passed: {check.title}"),
                "description": f"{check.check_id} passed on {len(passed)} of"
                f" {len(set(result.evaluated))} resources evaluated.",
                "props": [
                    *_props(("check-id", check.check_id), ("severity", check.severity.value)),
                    *_control_props(check.controls, report.frameworks),
                ],
                "methods": ["TEST"],
                "types": ["control-objective"],
                "origins": [{"actors": [{"type": "tool", "actor-uuid": str(tool)}]}],
                "subjects": [
                    {"subject-uuid": str(_resource_uuid(a)), "type": "inventory-item"}
                    for a in passed
                ],
                "collected": _collected(report, passed),
            }
        )
    return observations


def _risk(finding: Finding, key: str, doc: uuid.UUID) -> dict[str, Any]:
    check = finding.check
    risk: dict[str, Any] = {
        "uuid": str(_uid(doc, f"risk:{key}")),
        "title": _text(f"{check.check_id} {check.title}: {finding.resource}"),
        "description": finding.message or check.title,
        "statement": f"{check.description or check.title}\n\nSeverity {check.severity.value},"
        f" risk score {finding.risk} of 100.",
        "props": _props(("risk-score", str(finding.risk)), ("severity", check.severity.value)),
        "status": _RISK_STATUS[finding.status],
        "remediations": [
            {
                "uuid": str(_uid(doc, f"remediation:{key}")),
                "lifecycle": "recommendation",
                "title": _text(f"Remediate {check.check_id}"),
                "description": check.remediation or "See the check's documentation.",
            }
        ],
        "related-observations": [{"observation-uuid": str(_uid(doc, f"observation:{key}"))}],
    }
    if finding.waiver is not None:
        # In force through its expiry day (waivers.py), so due at that day's end.
        risk["deadline"] = f"{finding.waiver.expires.isoformat()}T23:59:59Z"
    return risk


def _finding(finding: Finding, key: str, report: ScanReport, doc: uuid.UUID) -> dict[str, Any]:
    framework, control = _primary_control(finding, report.frameworks)
    target: dict[str, Any] = {
        "type": "objective-id",
        "target-id": control_token(framework, control),
        "title": _control_label(report, framework, control),
        "props": _props(("framework", framework), ("control", control)),
        "status": {"state": "not-satisfied", "reason": _STATE[finding.status]},
    }
    if finding.status is Status.INDETERMINATE:
        target["status"]["remarks"] = "Indeterminate: the inventory lacks what the check needs."
    oscal: dict[str, Any] = {
        "uuid": str(_uid(doc, f"finding:{key}")),
        "title": _text(f"{finding.check.check_id} {finding.check.title}"),
        "description": finding.message or finding.check.title,
        "props": _finding_props(finding, report.frameworks),
        "target": target,
        "related-observations": [{"observation-uuid": str(_uid(doc, f"observation:{key}"))}],
        "related-risks": [{"risk-uuid": str(_uid(doc, f"risk:{key}"))}],
    }
    if finding.waiver is not None:
        w = finding.waiver
        oscal["remarks"] = (
            f"Waived until {w.expires.isoformat()} ({w.ticket}): {w.reason.rstrip('.')}."
            f" Owner {w.owner}, approved by {w.approver}."
        )
    return oscal


def _finding_props(finding: Finding, frameworks: tuple[str, ...]) -> list[dict[str, str]]:
    waiver = finding.waiver
    return [
        *_props(
            ("check-id", finding.check.check_id),
            ("severity", finding.check.severity.value),
            ("status", finding.status.value),
            ("risk-score", str(finding.risk)),
            ("resource", finding.resource),
            ("fingerprint", finding_fingerprint(finding)),
        ),
        *_control_props(finding.check.controls, frameworks),
        *_props(
            ("waiver-ticket", waiver.ticket if waiver else ""),
            ("waiver-expires", waiver.expires.isoformat() if waiver else ""),
        ),
    ]


def _evidence_props(finding: Finding) -> list[dict[str, str]]:
    """What was seen; the finding that cites it carries severity, risk and controls."""
    return _props(
        ("check-id", finding.check.check_id),
        ("status", finding.status.value),
        ("resource", finding.resource),
        ("resource-type", finding.resource_type),
        *(("unresolved-path", p) for p in finding.paths),
    )


def _control_props(
    controls: dict[str, tuple[str, ...]], frameworks: tuple[str, ...]
) -> list[dict[str, str]]:
    """A `control` prop per control of the selected frameworks, its class the framework."""
    return [p for f in frameworks for c in controls.get(f, ()) for p in _prop("control", c, f)]


def _primary_control(finding: Finding, frameworks: tuple[str, ...]) -> tuple[str, str]:
    controls = finding.check.controls
    for framework in (*frameworks, *controls):
        if controls.get(framework):
            return framework, controls[framework][0]
    return "check", finding.check.check_id  # a check mapped to nothing: target the check


def _control_label(report: ScanReport, framework: str, control: str) -> str:
    """`GDPR Art.32(1)(a): <title from the framework's catalogue>`."""
    summary = next((s for s in report.summaries if s.framework == framework), None)
    controls = summary.controls if summary else ()
    title = next((c.title for c in controls if c.control_id == control), "")
    label = f"{FRAMEWORK_NAMES.get(framework, framework)} {control}"
    return _text(f"{label}: {title}" if title else label)


def _plan_resource(report: ScanReport, plan: uuid.UUID) -> dict[str, Any]:
    return {
        "uuid": str(plan),
        "title": "opa-comply policy bundle (stands in for an assessment plan)",
        "description": "The Rego checks and their control mappings that this scan evaluated;"
        " no separate OSCAL assessment plan exists.",
        "props": _props(("policy-digest", report.policy_digest)),
    }


def _inputs(report: ScanReport) -> list[dict[str, Any]]:
    resources = []
    for info in report.inputs:
        rlink: dict[str, Any] = {"href": _href(info.path), "media-type": "application/json"}
        if info.digest:
            rlink["hashes"] = [{"algorithm": "SHA-256", "value": info.digest}]
        resources.append(
            {
                "uuid": str(_input_uuid(info)),
                "title": _text(f"Inventory snapshot {info.snapshot_id}") or "Inventory snapshot",
                "description": f"{info.resources} resources, collected {info.collected_at}.",
                "rlinks": [rlink],
            }
        )
    return resources


def _input_uuid(info: InputInfo) -> uuid.UUID:
    return _uid(_ROOT, f"input:{info.path}\x1f{info.digest}")


def _collected(report: ScanReport, addresses: list[str]) -> str:
    """When the evidence was collected: the earliest snapshot time of the resources'
    inputs, else the scan's start."""
    by_path: dict[str, InputInfo] = {i.path: i for i in report.inputs}
    times = []
    for address in addresses:
        location = report.locations.get(address)
        info = by_path.get(location[0]) if location else None
        parsed = _parse_time(info.collected_at) if info else None
        if parsed is not None:
            times.append(parsed)
    return _format_time(min(times)) if times else _timestamp(report.started_at)


def _addresses(report: ScanReport) -> list[str]:
    found = {a for r in report.results for a in r.evaluated} | {f.resource for f in report.findings}
    return sorted(found)


def _resource_uuid(address: str) -> uuid.UUID:
    return _uid(_ROOT, f"resource:{address}")


def _natural(control_id: str) -> tuple[tuple[int, str], ...]:
    # "3.5.1" before "10.2.1", as the framework documents list them.
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", control_id))


def _pruned(value: Any) -> Any:
    """Without empty lists: every OSCAL array holds at least one item (minItems 1)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _uid(namespace: uuid.UUID, name: str) -> uuid.UUID:
    return uuid.uuid5(namespace, name)


def _props(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [prop for name, value in pairs for prop in _prop(name, value)]


def _prop(name: str, value: str, klass: str = "") -> list[dict[str, str]]:
    """A prop in our namespace, its value one trimmed line; none when that is empty."""
    text = _text(value)
    if not text:
        return []
    return [{"name": name, "ns": NS, "value": text, **({"class": klass} if klass else {})}]


def _text(value: str) -> str:
    """One line, no surrounding whitespace: what OSCAL strings and titles allow."""
    return " ".join(str(value).split())


def _href(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:@-._~")


def _parse_time(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None  # OSCAL wants a timezone


def _format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _timestamp(text: str) -> str:
    parsed = _parse_time(text)
    return _format_time(parsed) if parsed is not None else text
