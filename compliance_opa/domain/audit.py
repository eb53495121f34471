"""Audit activity in the period: what an audit-log summary resource (a
`postgresql_audit_summary` or an `aws_cloudtrail_summary`) says happened, as reports show
it. Pure values.

Fail closed: a count that is missing, unknown (the resource's `unknown` paths) or not a
whole number >= 0 is None, shown as "unknown", never as 0; a list of the wrong shape is
marked unknown rather than shown empty. Every cell is estate text (user names, object
names, principals): the renderers escape it as they escape findings. Values under the
resource's `sensitive` paths are shown as the redaction placeholder. Lists are capped at
`LIST_CAP` rows, their total kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance_opa.domain.redact import PLACEHOLDER, sensitive_values

POSTGRESQL_TYPE = "postgresql_audit_summary"
CLOUDTRAIL_TYPE = "aws_cloudtrail_summary"
KINDS = {POSTGRESQL_TYPE: "postgresql", CLOUDTRAIL_TYPE: "cloudtrail"}
AUDIT_TYPES = frozenset(KINDS)
LIST_CAP = 500  # rows kept per list; the summarisers keep no more either
UNKNOWN = "unknown"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@dataclass(frozen=True)
class AuditCount:
    key: str  # a token: total_operations, access_violations, ...
    label: str  # as reports name it
    value: int | None  # None: unknown (missing, unknown or of the wrong shape)

    @property
    def shown(self) -> str:
        return UNKNOWN if self.value is None else str(self.value)


@dataclass(frozen=True)
class AuditList:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # at most LIST_CAP, each cell estate text
    total: int | None  # entries in the period; None: unknown
    known: bool = True  # False: the list was missing or of the wrong shape

    @property
    def truncated(self) -> bool:
        return self.total is None or self.total > len(self.rows)


@dataclass(frozen=True)
class AuditSource:
    """One file or object list the summary read, with the sha256 of its bytes ("" when
    the summary gave none of the right shape)."""

    name: str
    sha256: str


@dataclass(frozen=True)
class AuditActivity:
    kind: str  # "postgresql" | "cloudtrail"
    resource: str  # the summary's address
    name: str
    period_start: str  # RFC 3339, or "unknown"
    period_end: str
    counts: tuple[AuditCount, ...]
    lists: tuple[AuditList, ...]
    sources: tuple[AuditSource, ...]

    @property
    def title(self) -> str:
        return _TITLES.get(self.kind, self.kind)

    def count(self, key: str) -> int | None:
        return next((c.value for c in self.counts if c.key == key), None)

    @property
    def digests(self) -> tuple[AuditSource, ...]:
        """The sources with a sha256 of the right shape: evidence of what was read."""
        return tuple(s for s in self.sources if _SHA256.match(s.sha256))


_TITLES = {"postgresql": "PostgreSQL audit log (pgaudit)", "cloudtrail": "AWS CloudTrail"}

# (key, label, attribute path). The first three are the counts the reporting framework
# names for every audit log; the rest are each log's own.
_Count = tuple[str, str, str]


@dataclass(frozen=True)
class _ListSpec:
    key: str
    title: str
    path: str  # of the list among the attributes
    total: str  # of its total ("": the list's length, the summary keeps it whole)
    columns: str  # "Header=entry key|..."; "Problem=": which of several lists ("a|b" path)
    truncated: str = ""  # of a flag saying the list is cut short (when no total is kept)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((h, k) for h, _, k in (c.partition("=") for c in self.columns.split("|")))


_POSTGRESQL_COUNTS: tuple[_Count, ...] = (
    ("total_operations", "Total operations", "total_operations"),
    ("sensitive_operations", "Sensitive operations", "sensitive_operations.total"),
    ("access_violations", "Access violations", "access_violations_total"),
    ("sensitive_reads", "Reads of classified tables", "sensitive_operations.reads"),
    ("sensitive_writes", "Writes to classified tables", "sensitive_operations.writes"),
    ("failed_logins", "Failed logins", "failed_logins_total"),
    ("role_changes", "Role changes (GRANT, REVOKE, roles)", "role_statements_total"),
    ("ddl", "DDL statements", "ddl_statements_total"),
    ("classified_grants", "Grants on classified tables", "classified_grants_total"),
)
_PG_WHO = "Time=time|Database=database|User=user|Client=client|Command=command"
_POSTGRESQL_LISTS = (
    _ListSpec(
        "role_statements",
        "Role changes",
        "role_statements",
        "role_statements_total",
        f"{_PG_WHO}|Object=object_name|Roles=roles|Grantees=grantees|Privileges=privileges",
    ),
    _ListSpec(
        "classified_grants",
        "Grants on classified tables",
        "classified_grants",
        "classified_grants_total",
        f"{_PG_WHO}|Privileges=privileges|Objects=objects|Grantees=grantees"
        "|Data classes=data_classes",
    ),
    _ListSpec(
        "ddl_statements",
        "DDL statements",
        "ddl_statements",
        "ddl_statements_total",
        f"{_PG_WHO}|Object type=object_type|Object=object_name",
    ),
    _ListSpec(
        "sensitive_tables",
        "Classified tables read or written",
        "sensitive_operations.tables",
        "",
        "Table=table|Data classes=data_classes|Reads=reads|Writes=writes",
    ),
    _ListSpec(
        "access_violations",
        "Access violations (SQLSTATE 42501)",
        "access_violations",
        "",
        "User=user|Client=client|Count=count",
    ),
    _ListSpec(
        "failed_logins",
        "Failed logins",
        "failed_logins",
        "",
        "User=user|Client=client|SQLSTATE=sqlstate|Count=count",
    ),
)

# CloudTrail: a `*` sums every entry of an object (fail closed: unknown when it is empty or
# any entry is not a whole number). The sensitive operations are the events of every
# sensitive-event category (the categories are data the caller may override; an event
# name in two categories counts in both); the digest problems every integrity list.
_INTEGRITY = (
    "missing_digests",
    "hash_mismatches",
    "missing_log_files",
    "logs_not_in_digest",
    "unreadable_files",
    "broken_chain",
    "bad_signatures",
)
_CLOUDTRAIL_COUNTS: tuple[_Count, ...] = (
    ("total_operations", "Total operations (events)", "total_events"),
    ("sensitive_operations", "Sensitive operations (events of the sensitive categories)",
     "sensitive_events.*.total"),
    ("access_violations", "Access violations (access denied)", "access_denied.total"),
    ("root_activity", "Root user activity", "root_activity.total"),
    ("console_logins_without_mfa", "Console logins without MFA",
     "console_logins_without_mfa.total"),
    ("failed_console_logins", "Failed console logins", "failed_console_logins.total"),
    ("iam_changes", "IAM policy, role and user changes", "sensitive_events.iam_changes.total"),
    ("logging_changes", "Logging changes (StopLogging, DeleteTrail, UpdateTrail, selectors)",
     "sensitive_events.trail_changes.total"),
    ("kms_key_changes", "KMS keys disabled or scheduled for deletion",
     "sensitive_events.kms_key_disabling.total"),
    ("bucket_policy_changes", "Bucket policy and ACL changes",
     "sensitive_events.bucket_policy_acl_changes.total"),
    ("security_group_changes", "Security-group changes",
     "sensitive_events.security_group_changes.total"),
    ("security_group_ingress_opened", "Security-group ingress opened to the internet",
     "security_group_ingress_opened.total"),
    ("digest_problems", "Digest problems (integrity)", "integrity_totals.*"),
    ("events_outside_period", "Events read outside the period (skipped)",
     "events_outside_period"),
)  # fmt: skip
_EVENT = (
    "Time=time|Event=event_name|Principal=principal_arn|Principal type=principal_type"
    "|Region=region|Source address=source_ip|Error=error_code"
)


def _events(key: str, title: str, path: str, extra: str = "") -> _ListSpec:
    return _ListSpec(key, title, f"{path}.events", f"{path}.total", _EVENT + extra)


_CLOUDTRAIL_LISTS = (
    _events("logging_changes", "Logging changes", "sensitive_events.trail_changes",
            "|Trail=target"),
    _events("root_activity", "Root user activity", "root_activity"),
    _events("console_logins_without_mfa", "Console logins without MFA",
            "console_logins_without_mfa"),
    _events("failed_console_logins", "Failed console logins", "failed_console_logins"),
    _events("iam_changes", "IAM policy, role and user changes", "sensitive_events.iam_changes",
            "|Target=target"),
    _events("kms_key_changes", "KMS key changes", "sensitive_events.kms_key_disabling",
            "|Key=target"),
    _events("bucket_policy_changes", "Bucket policy and ACL changes",
            "sensitive_events.bucket_policy_acl_changes", "|Bucket=target"),
    _events("security_group_changes", "Security-group changes",
            "sensitive_events.security_group_changes", "|Group=target"),
    _events("security_group_ingress_opened", "Security-group ingress opened to the internet",
            "security_group_ingress_opened", "|Group=group_id|Open to=open_to"),
    _ListSpec("access_denied", "Access denied per principal", "access_denied.by_principal", "",
              "Principal=principal_arn|Principal type=principal_type|Count=count",
              truncated="access_denied.truncated"),
    _ListSpec("digest_problems", "Digest problems", "|".join(_INTEGRITY), "integrity_totals.*",
              "Problem=|Object=object|Digest=digest|Region=region|Trail=trail|From=from|To=to"
              "|Detail=detail"),
)  # fmt: skip

_SPECS: dict[str, tuple[tuple[_Count, ...], tuple[_ListSpec, ...]]] = {
    "postgresql": (_POSTGRESQL_COUNTS, _POSTGRESQL_LISTS),
    "cloudtrail": (_CLOUDTRAIL_COUNTS, _CLOUDTRAIL_LISTS),
}
_SOURCE_NAMES = ("path", "uri", "url", "key", "location", "name")


def audit_activity(resource: Mapping[str, Any]) -> AuditActivity | None:
    """The audit activity a summary resource gives, None for any other resource."""
    kind = KINDS.get(str(resource.get("type")))
    if kind is None:
        return None
    attributes = resource.get("attributes")
    attributes = attributes if isinstance(attributes, dict) else {}
    unknown = tuple(str(p) for p in resource.get("unknown") or () if isinstance(p, str))
    hidden = sensitive_values(dict(resource)) if resource.get("sensitive") else set()
    view = _View(attributes, unknown, hidden)
    counts, lists = _SPECS[kind]
    return AuditActivity(
        kind=kind,
        resource=str(resource.get("address", "")),
        name=_cell(resource.get("name"), hidden) if resource.get("name") else "",
        period_start=view.time("period_start"),
        period_end=view.time("period_end"),
        counts=tuple(AuditCount(key, label, view.count(path)) for key, label, path in counts),
        lists=tuple(view.list(spec) for spec in lists),
        sources=view.sources(),
    )


def audit_of(resources: Sequence[Mapping[str, Any]]) -> tuple[AuditActivity, ...]:
    """The audit activity of every summary among ``resources``, in address order."""
    found = (audit_activity(r) for r in resources)
    return tuple(sorted((a for a in found if a is not None), key=lambda a: a.resource))


@dataclass(frozen=True)
class _View:
    attributes: dict[str, Any]
    unknown: tuple[str, ...]
    hidden: set[str]

    def get(self, path: str) -> tuple[bool, Any]:
        """(known, value) at a dotted path; unknown under an `unknown` path or missing."""
        if any(path == u or path.startswith(u + ".") or u.startswith(path + ".")
               for u in self.unknown):  # fmt: skip
            return False, None
        value: Any = self.attributes
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return False, None
            value = value[part]
        return True, value

    def count(self, path: str) -> int | None:
        if "*" in path:  # the sum over every entry of an object
            head, _, tail = path.partition(".*")
            known, value = self.get(head)
            if not known or not isinstance(value, dict) or not value:
                return None
            counts = [self.count(f"{head}.{k}{tail}") for k in value]
            return None if any(c is None for c in counts) else sum(c or 0 for c in counts)
        known, value = self.get(path)
        return value if known and _whole(value) else None

    def time(self, path: str) -> str:
        known, value = self.get(path)
        return value if known and isinstance(value, str) and _RFC3339.match(value) else UNKNOWN

    def list(self, spec: _ListSpec) -> AuditList:
        columns = spec.pairs
        headers = tuple(h for h, _ in columns)
        entries: list[tuple[str, dict[str, Any]]] = []
        for path in spec.path.split("|"):
            known, found = self.get(path)
            if not (known and isinstance(found, list) and all(isinstance(e, dict) for e in found)):
                return AuditList(spec.key, spec.title, headers, (), None, known=False)
            entries += [(path, e) for e in found]
        rows = tuple(
            tuple(
                (_cell(e.get(k), self.hidden) if k in e else "") if k else which for _, k in columns
            )
            for which, e in entries[:LIST_CAP]
        )
        total: int | None
        if spec.total:
            total = self.count(spec.total)
            if total is not None and total < len(entries):
                total = None  # fewer in the period than listed: a wrong shape, not a count
        elif spec.truncated:
            known, cut = self.get(spec.truncated)
            total = len(entries) if known and cut is False else None
        else:  # kept whole up to the cap: at the cap, it may have been cut
            total = len(entries) if len(entries) < LIST_CAP else None
        return AuditList(spec.key, spec.title, headers, rows, total)

    def sources(self) -> tuple[AuditSource, ...]:
        known, value = self.get("sources")
        if not known or not isinstance(value, list):
            return ()
        found = []
        for item in value:
            if not isinstance(item, dict):
                found.append(AuditSource(UNKNOWN, ""))
                continue
            name = next((item[k] for k in _SOURCE_NAMES if isinstance(item.get(k), str)), UNKNOWN)
            digest = item.get("sha256")
            found.append(
                AuditSource(
                    _cell(name, self.hidden),
                    digest if isinstance(digest, str) and _SHA256.match(digest) else "",
                )
            )
        return tuple(found)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _cell(value: Any, hidden: set[str]) -> str:
    """A value as one line of text: lists joined, a grantee by its name, null unknown."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return PLACEHOLDER if value in hidden else value
    if isinstance(value, int | float):
        return PLACEHOLDER if str(value) in hidden else str(value)
    if isinstance(value, list):
        return ", ".join(_cell(v, hidden) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            login = " (login role)" if value.get("login") is True else ""
            return _cell(value["name"], hidden) + login
        return ", ".join(f"{k}={_cell(v, hidden)}" for k, v in sorted(value.items()))
    return UNKNOWN
