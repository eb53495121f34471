"""JUnit XML in the Ant JUnit schema CI servers read: a suite per check, a case per resource.

Written with ElementTree rather than a JUnit library: the Ant schema wants
elements (properties, system-out, system-err) and attributes (id, package)
that the libraries we tried leave out or place differently.
"""

from __future__ import annotations

import re
import socket
from xml.etree import ElementTree as ET

from compliance_opa.domain.findings import CheckResult, Finding, Status
from compliance_opa.domain.report import ScanReport


def render(report: ScanReport) -> str:
    root = ET.Element("testsuites")
    hostname = socket.gethostname() or "localhost"
    timestamp = report.started_at.removesuffix("Z")[:19]
    for index, result in enumerate(report.results):
        root.append(_suite(result, index, hostname, timestamp, report))
    ET.indent(root)
    body = _XML_ILLEGAL.sub(_visible, ET.tostring(root, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


# Characters XML 1.0 cannot hold at all, even escaped; inventories may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def _suite(
    result: CheckResult, index: int, hostname: str, timestamp: str, report: ScanReport
) -> ET.Element:
    by_resource: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_resource.setdefault(finding.resource, []).append(finding)
    cases = [_case(result, address, by_resource.get(address, [])) for address in result.evaluated]
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    suite = ET.Element(
        "testsuite",
        {
            "name": f"{result.check.check_id} {result.check.title}",
            "package": "opa-comply",
            "id": str(index),
            "timestamp": timestamp,
            "hostname": hostname,
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(skipped),
            "time": "0",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("severity", result.check.severity.value),
        ("opa.version", report.opa_version),
        ("opa.policy_digest", report.policy_digest),
        *((f"controls.{f}", " ".join(c)) for f, c in sorted(result.check.controls.items())),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    suite.extend(cases)
    ET.SubElement(suite, "system-out").text = ""
    ET.SubElement(suite, "system-err").text = ""
    return suite


def _case(result: CheckResult, address: str, findings: list[Finding]) -> ET.Element:
    case = ET.Element(
        "testcase", {"name": address, "classname": result.check.check_id, "time": "0"}
    )
    failed = [f for f in findings if f.status is Status.FAIL]
    unknown = [f for f in findings if f.status is Status.INDETERMINATE]
    if failed:
        failure = ET.SubElement(
            case, "failure", {"message": failed[0].message, "type": result.check.severity.value}
        )
        lines = [f.message for f in failed] + [f"Remediation: {result.check.remediation}"]
        failure.text = "\n".join(lines)
    elif waived := [f for f in findings if f.status is Status.WAIVED and f.waiver]:
        w = waived[0].waiver
        assert w is not None  # noqa: S101 - filtered above; for the type checker
        reason = f"waived until {w.expires.isoformat()} ({w.ticket}): {w.reason}"
        ET.SubElement(case, "skipped", {"message": reason})
    elif unknown:
        # Reported as skipped, never as passed: the check could not decide.
        ET.SubElement(case, "skipped", {"message": f"indeterminate: {unknown[0].message}"})
    return case
