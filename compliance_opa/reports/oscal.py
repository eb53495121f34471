"""NIST OSCAL 1.2.1 Assessment Results (JSON), for GRC tools and auditors.

One document, one result (the scan). Mapping:

- observations (the evidence): one per finding, failed, indeterminate or waived (check,
  resource as the subject, message), plus one per check that passed somewhere,
  summarising the resources it passed on. One observation per check x resource
  evaluation would repeat "passed" thousands of times on an estate.
- risks: one per finding, with the risk score, the remediation as a recommendation and,
  when waived, status `deviation-approved`, the waiver in the statement and its expiry as
  the deadline.
- findings (the determinations): one per automated control of each selected framework
  that was assessed (at least one evaluation), from the scan's framework summaries. Its
  target is the control (`objective-id`), `satisfied` (reason `pass`) when the control is
  compliant, else `not-satisfied`, reason `fail` when an evaluation failed, `other` when
  none failed but some were indeterminate (unknown is not compliant). It relates every
  observation of the checks mapped to the control, passes included, and the risks of
  their findings; its props count the evaluations and name the checks. A waived failure
  counts as passed, as in the scores: its control can be satisfied, and then relates the
  `deviation-approved` risk that says so. So an import scoped to one framework sees every
  determination on its own controls, and "passed" differs from "not assessed": a control
  with no evaluation (no resource of its checks' types) gets no finding at all.
- reviewed-controls: per selected framework, one selection of the controls its checks
  automate (assessed or not), and one of its manual controls, those no check automates:
  listed so an assessor sees they are in scope and need evidence a scan cannot give (the
  selection says so); no finding targets them.
- subjects: every evaluated resource is an inventory item of the result.
- audit activity in the period (when the inputs hold audit-log summaries): one
  observation per summary, method EXAMINE, its counts as props ("unknown" where the
  summary did not give one), each log file or object list read as relevant evidence, a
  back-matter resource with its SHA-256.

OSCAL control ids are tokens (a letter first, no parentheses), so ours are rewritten the
way NIST writes enhancements, with the framework first: GDPR `Art.32(1)(a)` becomes
`gdpr-art.32.1.a`, HIPAA `164.312(a)(2)(iv)` becomes `hipaa-164.312.a.2.iv`, ISO 27001
`A.8.24` becomes `iso27001-a.8.24`.

UUIDs are uuid5, hence deterministic: the same report gives the same document. Things of
one scan are named under the document's uuid (from the scan id, else the policy digest,
input digests and times); resources and the tool under a fixed namespace, so the same
resource is the same subject in every scan.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from compliance_opa.domain.audit import KINDS, AuditActivity, AuditSource
from compliance_opa.domain.findings import FRAMEWORK_NAMES, CheckResult, Finding, Status
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.rates import ControlStatus, FrameworkSummary
from compliance_opa.domain.report import InputInfo, ScanReport
from compliance_opa.support.jsonbytes import pretty, pretty_bytes

OSCAL_VERSION = "1.2.1"
# Namespace of the props OSCAL does not define (severity, risk, check id, resource...).
NS = "https://github.com/opa-comply/opa-comply/ns/oscal"
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)

# A control's status (scoring.Tally) -> the OSCAL objective status, state and reason.
_DETERMINATION = {
    "compliant": ("satisfied", "pass"),
    "non_compliant": ("not-satisfied", "fail"),
    "indeterminate": ("not-satisfied", "other"),
}
_RISK_STATUS = {
    Status.FAIL: "open",
    Status.INDETERMINATE: "investigating",
    Status.WAIVED: "deviation-approved",
}


def render(report: ScanReport) -> str:
    return pretty(build(report))


def render_bytes(report: ScanReport) -> bytes:
    """The same text as UTF-8 bytes, for a file (never held as a str as well)."""
    return pretty_bytes(build(report))


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
        "back-matter": {
            "resources": [_plan_resource(report, plan), *_inputs(report), *_audit_sources(report)]
        },
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
            f" failed, {totals.indeterminate} indeterminate"
            + (f", {totals.waived} waived." if totals.waived else ".")
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
            *(_audit_observation(a, report, tool) for a in report.audit),
        ],
        "risks": [_risk(f, k, doc) for f, k in zip(findings, keys, strict=True)],
        "findings": _findings(report, findings, keys, doc, tool),
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
    evaluated = set(_addresses(report))
    items += [
        {
            "uuid": str(_resource_uuid(a.resource)),
            "description": _text(a.resource) or "(no address)",
            "props": [
                {"name": "asset-id", "value": _text(a.resource) or "(no address)"},
                *_props(("resource-type", _AUDIT_TYPES.get(a.kind, ""))),
            ],
        }
        for a in report.audit
        if a.resource not in evaluated
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
    """Per selected framework the controls its checks automate and, apart, its manual ones."""
    selections = []
    for summary in _summaries(report):
        framework = summary.framework
        name = FRAMEWORK_NAMES.get(framework, framework)
        if summary.controls:
            assessed = summary.assessed
            selections.append(
                {
                    "description": f"{name} controls automated by the checks of this scan:"
                    f" {assessed} of {len(summary.controls)} assessed, each with a finding;"
                    " the others had no resource to evaluate, so no determination.",
                    "props": _props(("framework", framework), ("assessment", "automated")),
                    "include-controls": [
                        {"control-id": control_token(framework, c.control_id)}
                        for c in summary.controls
                    ],
                }
            )
        if summary.manual_controls:
            selections.append(
                {
                    "description": f"{name} controls no automated check covers: they need"
                    " evidence from an assessor (documents, interviews, tests outside the"
                    " inventory). This result makes no determination on them.",
                    "props": _props(("framework", framework), ("assessment", "manual")),
                    "include-controls": [
                        {"control-id": control_token(framework, control)}
                        for control, _title in summary.manual_controls
                    ],
                }
            )
    if not selections:  # OSCAL wants a selection; say plainly that there was none
        return {
            "control-selections": [
                {
                    "include-all": {},
                    "remarks": "No control of the selected frameworks is covered by this scan.",
                }
            ]
        }
    return {"control-selections": selections}


def _summaries(report: ScanReport) -> list[FrameworkSummary]:
    """The framework summaries of the selected frameworks, in their order."""
    return [s for f in report.frameworks for s in report.summaries if s.framework == f]


def _observation(
    finding: Finding, key: str, report: ScanReport, doc: uuid.UUID, tool: uuid.UUID
) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "uuid": str(_uid(doc, f"observation:{key}")),
        "title": _text(f"{finding.check.check_id} {finding.status.value}: {finding.resource}"),
        "description": finding.message or finding.check.title,
        "props": _evidence_props(finding, report.frameworks),
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
        passed = _passed(result)
        if not passed:
            continue
        check = result.check
        observations.append(
            {
                "uuid": str(_pass_uuid(doc, check.check_id)),
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


_AUDIT_TYPES = {kind: resource_type for resource_type, kind in KINDS.items()}


def _audit_observation(a: AuditActivity, report: ScanReport, tool: uuid.UUID) -> dict[str, Any]:
    """What an audit-log summary says happened in its period: examined, not tested."""
    doc = document_uuid(report)
    counts = "; ".join(f"{c.label} {c.shown}" for c in a.counts)
    lists = [
        f"- {_text(x.title)}: "
        + ("unknown" if not x.known else str(x.total) if x.total is not None else "unknown")
        for x in a.lists
    ]
    observation: dict[str, Any] = {
        "uuid": str(_uid(doc, f"observation:audit:{a.resource}")),
        "title": _text(f"Audit activity in the period: {a.title}, {a.resource}"),
        "description": _text(
            f"{a.title} from {a.period_start} to {a.period_end} (end exclusive): {counts}."
        ),
        "props": _props(
            ("audit-log", a.kind),
            ("resource", a.resource),
            ("resource-type", _AUDIT_TYPES.get(a.kind, "")),
            ("period-start", a.period_start),
            ("period-end", a.period_end),
            *((f"audit-{c.key.replace('_', '-')}", c.shown) for c in a.counts),
        ),
        "methods": ["EXAMINE"],
        "origins": [{"actors": [{"type": "tool", "actor-uuid": str(tool)}]}],
        "subjects": [{"subject-uuid": str(_resource_uuid(a.resource)), "type": "inventory-item"}],
        "relevant-evidence": [
            {
                **({"href": f"#{_audit_source_uuid(a, s)}"} if s.sha256 else {}),
                "description": _text(
                    f"{s.name}, sha256 {s.sha256}" if s.sha256 else f"{s.name}, sha256 unknown"
                )
                or "(unnamed source)",
            }
            for s in a.sources
        ],
        "collected": _timestamp(a.period_end)
        if _parse_time(a.period_end)
        else _timestamp(report.started_at),
        "remarks": "Entries in the period:\n\n" + "\n".join(lists),
    }
    return observation


def _audit_sources(report: ScanReport) -> list[dict[str, Any]]:
    """Each log file or object list an audit-log summary read, with its SHA-256."""
    return [
        {
            "uuid": str(_audit_source_uuid(a, s)),
            "title": _text(f"Audit log source {s.name}") or "Audit log source",
            "description": _text(f"Read for the audit-log summary {a.resource}.")
            or "Read for an audit-log summary.",
            "rlinks": [
                {"href": _href(s.name), "hashes": [{"algorithm": "SHA-256", "value": s.sha256}]}
            ],
        }
        for a in report.audit
        for s in a.digests
    ]


def _audit_source_uuid(a: AuditActivity, s: AuditSource) -> uuid.UUID:
    return _uid(_ROOT, f"audit-source:{a.resource}\x1f{s.name}\x1f{s.sha256}")


def _passed(result: CheckResult) -> list[str]:
    """The resources a check evaluated and found nothing on, in order, once each."""
    flagged = {f.resource for f in result.findings}
    return [a for a in dict.fromkeys(result.evaluated) if a not in flagged]


def _pass_uuid(doc: uuid.UUID, check_id: str) -> uuid.UUID:
    return _uid(doc, f"observation:pass:{check_id}")


def _risk(finding: Finding, key: str, doc: uuid.UUID) -> dict[str, Any]:
    check = finding.check
    waiver = finding.waiver
    statement = (
        f"{check.description or check.title}\n\nSeverity {check.severity.value},"
        f" risk score {finding.risk} of 100."
    )
    if waiver is not None:
        statement += (
            f"\n\nWaived until {waiver.expires.isoformat()} ({_text(waiver.ticket)}):"
            f" {_text(waiver.reason).rstrip('.')}. Owner {_text(waiver.owner)},"
            f" approved by {_text(waiver.approver)}."
        )
    risk: dict[str, Any] = {
        "uuid": str(_uid(doc, f"risk:{key}")),
        "title": _text(f"{check.check_id} {check.title}: {finding.resource}"),
        "description": finding.message or check.title,
        "statement": statement,
        "props": _props(
            ("check-id", check.check_id),
            ("status", finding.status.value),
            ("resource", finding.resource),
            ("fingerprint", finding_fingerprint(finding)),
            ("severity", check.severity.value),
            ("risk-score", str(finding.risk)),
            ("waiver-ticket", waiver.ticket if waiver else ""),
            ("waiver-expires", waiver.expires.isoformat() if waiver else ""),
        ),
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
    if waiver is not None:
        # In force through its expiry day (waivers.py), so due at that day's end.
        risk["deadline"] = f"{waiver.expires.isoformat()}T23:59:59Z"
    return risk


def _findings(
    report: ScanReport, findings: list[Finding], keys: list[str], doc: uuid.UUID, tool: uuid.UUID
) -> list[dict[str, Any]]:
    """One determination per assessed automated control of each selected framework."""
    # (check id, observation, risk) per finding, in the document's order, then the passes.
    flagged = [
        (f.check.check_id, _uid(doc, f"observation:{k}"), _uid(doc, f"risk:{k}"))
        for f, k in zip(findings, keys, strict=True)
    ]
    passes = [
        (r.check.check_id, _pass_uuid(doc, r.check.check_id)) for r in report.results if _passed(r)
    ]
    determinations = []
    for summary in _summaries(report):
        for control in summary.controls:
            if control.tally.evaluations == 0:
                continue  # not assessed: no resource of its checks' types, no determination
            checks = set(control.check_ids)
            observed = [o for c, o, _ in flagged if c in checks]
            observed += [o for c, o in passes if c in checks]
            determinations.append(
                _determination(
                    summary.framework,
                    control,
                    observed,
                    [r for c, _, r in flagged if c in checks],
                    doc,
                    tool,
                )
            )
    return determinations


def _determination(
    framework: str,
    control: ControlStatus,
    observations: list[uuid.UUID],
    risks: list[uuid.UUID],
    doc: uuid.UUID,
    tool: uuid.UUID,
) -> dict[str, Any]:
    tally = control.tally
    state, reason = _DETERMINATION[tally.status]
    status = {"state": state, "reason": reason}
    remarks = []
    if tally.status == "indeterminate":
        remarks.append(
            f"Indeterminate: the inventory lacks what {_count(tally.indeterminate, 'evaluation')}"
            " needed, and none failed. Unknown is not compliant."
        )
    if tally.waived:
        remarks.append(
            f"{_count(tally.waived, 'evaluation')} failed under an approved waiver (not"
            " counted as passed): see the related deviation-approved risks."
        )
    if remarks:
        status["remarks"] = " ".join(remarks)
    label = _control_label(framework, control.control_id, control.title)
    return {
        "uuid": str(_uid(doc, f"finding:{framework}:{control.control_id}")),
        "title": label,
        "description": f"{_count(len(control.check_ids), 'automated check')},"
        f" {_count(tally.evaluations, 'evaluation')}: {tally.passed} passed, {tally.failed}"
        f" failed, {tally.indeterminate} indeterminate"
        + (f", {tally.waived} waived." if tally.waived else "."),
        "props": _props(
            ("framework", framework),
            ("control", control.control_id),
            ("status", tally.status),
            ("evaluations", str(tally.evaluations)),
            ("passed", str(tally.passed)),
            ("failed", str(tally.failed)),
            ("indeterminate", str(tally.indeterminate)),
            ("waived", str(tally.waived) if tally.waived else ""),
            *(("check-id", check) for check in control.check_ids),
        ),
        "origins": [{"actors": [{"type": "tool", "actor-uuid": str(tool)}]}],
        "target": {
            "type": "objective-id",
            "target-id": control_token(framework, control.control_id),
            "title": label,
            "props": _props(("framework", framework), ("control", control.control_id)),
            "status": status,
        },
        "related-observations": [{"observation-uuid": str(o)} for o in observations],
        "related-risks": [{"risk-uuid": str(r)} for r in risks],
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _evidence_props(finding: Finding, frameworks: tuple[str, ...]) -> list[dict[str, str]]:
    """What was seen and the controls it bears on; its risk carries severity and score."""
    return [
        *_props(
            ("check-id", finding.check.check_id),
            ("status", finding.status.value),
            ("resource", finding.resource),
            ("resource-type", finding.resource_type),
            ("fingerprint", finding_fingerprint(finding)),
            *(("unresolved-path", p) for p in finding.paths),
        ),
        *_control_props(finding.check.controls, frameworks),
    ]


def _control_props(
    controls: dict[str, tuple[str, ...]], frameworks: tuple[str, ...]
) -> list[dict[str, str]]:
    """A `control` prop per control of the selected frameworks, its class the framework."""
    return [p for f in frameworks for c in controls.get(f, ()) for p in _prop("control", c, f)]


def _control_label(framework: str, control: str, title: str) -> str:
    """`GDPR Art.32(1)(a): <title from the framework's catalogue>`."""
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
