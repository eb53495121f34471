"""The Terraform plan adapter: `terraform show -json` output -> an inventory document.

Every managed AWS resource the plan will have after apply becomes a resource at its
full address (module path and count/for_each key). Deletions are skipped; a
replacement is judged on its new state; data sources are read, not created, so
they are not judged. Values known only after apply are listed in `unknown`, so
checks that need them say indeterminate; sensitive values are listed in
`sensitive` and replaced by a placeholder, so no output can print them. `true` for a
whole value makes every attribute of it unknown or sensitive.

Nothing is dropped or judged on a guess: a resource change, a sensitivity or unknown
tree, or a part of planned_values whose shape we cannot read refuses the plan, naming
its JSON path in the file (`$.resource_changes[3].change.after`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from collectors.snapshot import Source, build_snapshot
from compliance_opa.errors import InputError
from compliance_opa.inventory.compiled_schema import resource_conforms
from compliance_opa.inventory.json_checks import check_not_future
from compliance_opa.inventory.terraform.attachments import (
    ATTACHED,
    ONLY_JOINED,
    attach_all,
    created_defaults,
    misread_attached,
    unplaced_undo_defaults,
)
from compliance_opa.inventory.terraform.fold import (
    SPLIT,
    USES,
    Change,
    Configuration,
    as_dict,
    fold_all,
    misread,
)
from compliance_opa.inventory.terraform.paths import UnreadableTree, flagged_paths, kind
from compliance_opa.inventory.terraform.shape import attribute_schema, fit, fit_path, known_types
from compliance_opa.support.bundled import inventory_schema_path

SUPPORTED_MAJOR = ("0", "1")  # format versions 0.x and 1.x (1.x minors stay compatible)
# Gone after apply (deleted, or forgotten: Terraform 1.7's `removed` block), or read only.
_SKIPPED_ACTIONS = (["delete"], ["no-op", "delete"], ["read"], ["forget"])
_USED_ONLY = {group for _, group in USES.values()}  # folded into what uses them
_NOT_JUDGED = set(SPLIT) | _USED_ONLY | set(ATTACHED) | ONLY_JOINED  # read into others

# What the AWS provider applies when an optional argument is left out (null in the plan).
PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "aws_db_instance": {
        "storage_encrypted": False,
        "publicly_accessible": False,
        "multi_az": False,
        "deletion_protection": False,
        "iam_database_authentication_enabled": False,
        "copy_tags_to_snapshot": False,
        "auto_minor_version_upgrade": True,
        "kms_key_id": None,
        "monitoring_interval": 0,
        "performance_insights_enabled": False,
    },
    "aws_rds_cluster": {
        "storage_encrypted": False,
        "deletion_protection": False,
        "iam_database_authentication_enabled": False,
        "copy_tags_to_snapshot": False,
        "kms_key_id": None,
        "performance_insights_enabled": False,
    },
    "aws_neptune_cluster": {
        "storage_encrypted": False,
        "iam_database_authentication_enabled": False,
        "backup_retention_period": 1,
        "deletion_protection": False,
    },
    "aws_neptune_cluster_instance": {
        "publicly_accessible": False,
    },
}


def is_plan(document: Any) -> bool:
    """A plan by its content: a format version and planned changes or values."""
    return (
        isinstance(document, dict)
        and "format_version" in document
        and ("resource_changes" in document or "planned_values" in document)
        and "schema_version" not in document
    )


def adapt_plan(document: dict[str, Any], path: Path, raw: bytes) -> dict[str, Any]:
    """The plan as an inventory snapshot."""
    return read_plan(document, path, raw).snapshot


@dataclass(frozen=True)
class AdaptedPlan:
    snapshot: dict[str, Any]
    # Address -> the JSON path of that address in the plan file, for errors about a
    # resource (a snapshot's `$.resources[N]` would be a path of our making).
    origins: dict[str, str]


def read_plan(document: dict[str, Any], path: Path, raw: bytes) -> AdaptedPlan:
    """The plan as an inventory snapshot, with where each resource is in the plan file."""
    return plan_snapshot(document, path, hashlib.sha256(raw).hexdigest())


def plan_snapshot(
    document: dict[str, Any], path: Path, digest: str, changes: Iterable[Any] | None = None
) -> AdaptedPlan:
    """The same from the plan file's sha256; ``changes``, when given, are its
    resource_changes (a plan read as it streams, its changes parsed one at a time)."""
    version = str(document.get("format_version", ""))
    if version.split(".")[0] not in SUPPORTED_MAJOR:
        raise InputError(f"{path}: plan format_version {version!r} is not supported (0.x or 1.x)")
    if "resource_changes" in document and not isinstance(document["resource_changes"], list):
        raise InputError(f"{path}: $.resource_changes: expected a list of resource changes")
    collected_at = _timestamp(document, path)
    changes_of_plan, skipped, folded, unmatched = folded_changes(document, path, changes)
    judged = [c for c in changes_of_plan if c.type not in _NOT_JUDGED]
    del changes_of_plan
    resources: list[dict[str, Any]] = []
    origins: dict[str, str] = {}
    notes = _Notes()
    region = _provider_region(document)
    judged.reverse()
    while judged:  # each change let go once its resource is built: not both held whole
        change = judged.pop()
        resource = _resource(change, notes, region)
        if resource is not None:
            resources.append(resource)
            origins[change.address] = f"{change.where}.address"
    detail = (
        f"{len(resources)} resources judged; {skipped} skipped"
        " (deletions, data sources, other providers or types)"
    )
    if folded:
        detail += f"; {folded} split resources folded in"
    status = "complete"
    if unmatched or notes.any():
        status = "partial"
        if unmatched:
            detail += f"; {unmatched} split resources whose target is not in the plan"
        detail += notes.describe()
    snapshot = build_snapshot(
        collected_at, [Source("terraform_plan", path.name, status, detail)], resources
    )
    snapshot["snapshot_id"] = f"plan-{digest[:16]}"
    return AdaptedPlan(snapshot, origins)


def _local_name(address: str) -> str:
    """`aws_s3_bucket.site["example.com"]` -> `site["example.com"]` (dots in keys kept)."""
    outside = re.sub(r"\[[^\]]*\]", lambda m: "#" * len(m.group(0)), address)
    start = outside.rfind(".") + 1
    return address[start:]


def _provider_region(document: dict[str, Any]) -> str | None:
    """The region of the plan's AWS provider, when there is one provider with a literal
    region (aliases or variables: not known from the plan, left unset)."""
    configs = as_dict(as_dict(document.get("configuration")).get("provider_config")).values()
    values = [
        as_dict(as_dict(c.get("expressions")).get("region")).get("constant_value")
        for c in configs
        if isinstance(c, dict) and c.get("name") == "aws"
    ]
    regions = {v if isinstance(v, str) else None for v in values}
    region = next(iter(regions)) if len(regions) == 1 else None
    return region if isinstance(region, str) else None


def _timestamp(document: dict[str, Any], path: Path) -> datetime:
    """When the plan was made (`timestamp`, Terraform 1.5 and later), else now (real plans
    edited by hand carry times such as "123"). A time in the future is refused: it would
    date the evidence after the scan that judged it."""
    now = datetime.now(UTC).replace(microsecond=0)
    stamp = document.get("timestamp")
    if not isinstance(stamp, str):
        return now
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        when = when.astimezone(UTC).replace(microsecond=0)
    except (ValueError, OverflowError):
        return now
    check_not_future(path, "$.timestamp", stamp, when)
    return when


@dataclass(frozen=True)
class _Where:
    """JSON paths, in the plan file, of one resource change and of the fields read."""

    entry: str
    actions: str
    after: str
    after_unknown: str
    after_sensitive: str
    module_address: str

    @classmethod
    def of_change(cls, entry: str) -> _Where:
        change = f"{entry}.change"
        return cls(
            entry=entry,
            actions=f"{change}.actions",
            after=f"{change}.after",
            after_unknown=f"{change}.after_unknown",
            after_sensitive=f"{change}.after_sensitive",
            module_address=f"{entry}.module_address",
        )

    @classmethod
    def of_planned(cls, entry: str, module: str) -> _Where:
        """A resource of planned_values: its values and sensitive_values, and the address
        of the module that holds it."""
        return cls(
            entry=entry,
            actions=entry,  # none in the file: planned values are read as created
            after=f"{entry}.values",
            after_unknown=f"{entry}.values",  # none in the file: everything is known
            after_sensitive=f"{entry}.sensitive_values",
            module_address=f"{module}.address",
        )


def _entries(
    document: dict[str, Any], path: Path, changes: Iterable[Any] | None = None
) -> Iterator[tuple[_Where, dict[str, Any]]]:
    """Every resource change (``changes``, else the document's), with where it is in the
    file."""
    entries = document.get("resource_changes") if changes is None else changes
    if entries is None:  # an older or trimmed plan: planned values only, nothing unknown
        yield from _planned(document, path)
        return
    for index, entry in enumerate(entries):
        where = f"$.resource_changes[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("change"), dict):
            raise InputError(f"{path}: {where}: not a resource change")
        yield _Where.of_change(where), entry


def _text(path: Path, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        shown = "an empty string" if value == "" else kind(value)
        raise InputError(f"{path}: {where}: expected a non-empty string, got {shown}")
    return value


def _changes(
    document: dict[str, Any], path: Path, entries: Iterable[Any] | None = None
) -> tuple[list[Change], int]:
    """The managed resources the plan leaves in place. Every change is checked for shape
    first: one we cannot read is refused, never dropped or judged as something else."""
    types = known_types() | _NOT_JUDGED
    changes: list[Change] = []
    seen: dict[str, str] = {}
    skipped = 0
    for where, entry in _entries(document, path, entries):
        change = entry["change"]
        address = _text(path, entry.get("address"), f"{where.entry}.address")
        mode = entry.get("mode")
        if mode not in ("managed", "data"):
            shown = json.dumps(mode[:40]) if isinstance(mode, str) else kind(mode)
            raise InputError(
                f'{path}: {where.entry}.mode: expected "managed" or "data", got {shown}'
            )
        resource_type = _text(path, entry.get("type"), f"{where.entry}.type")
        actions = change.get("actions")
        if not (
            isinstance(actions, list)
            and actions
            and all(isinstance(action, str) and action for action in actions)
        ):
            raise InputError(
                f'{path}: {where.actions}: expected a list of actions such as ["create"]'
            )
        module = entry.get("module_address")
        if module is not None and not isinstance(module, str):
            raise InputError(
                f"{path}: {where.module_address}: expected a string, got {kind(module)}"
            )
        if mode != "managed" or resource_type not in types or actions in _SKIPPED_ACTIONS:
            skipped += 1
            continue
        after = change.get("after")
        if not isinstance(after, dict):
            raise InputError(
                f"{path}: {where.after}: expected an object (the resource after apply),"
                f" got {kind(after)}"
            )
        if address in seen:
            raise InputError(
                f"{path}: {where.entry}.address {address!r} also appears at {seen[address]}"
            )
        misread_value = misread(resource_type, after) or misread_attached(resource_type, after)
        if misread_value is not None:
            at, expected = misread_value
            raise InputError(f"{path}: {where.after}{at}: expected {expected}")
        seen[address] = where.entry
        unknown_tree = change.get("after_unknown")
        # Wholly unknown: every attribute the value or its type's schema names.
        everything = [*after, *(attribute_schema(resource_type) or {}).get("properties", {})]
        changes.append(
            Change(
                address=address,
                module=module or "",
                type=resource_type,
                name=_local_name(address),
                after=after,
                unknown=_flagged(path, unknown_tree, after, everything, where.after_unknown),
                # Wholly sensitive: every attribute it has.
                sensitive=_flagged(
                    path, change.get("after_sensitive"), after, list(after), where.after_sensitive
                ),
                whole_unknown=unknown_tree is True,
                where=where.entry,
                creating="create" in actions,
            )
        )
    for change in changes:
        if change.type == "aws_s3_bucket":
            _s3_inline(change)
        schema = attribute_schema(change.type) or {}
        change.attributes = (
            fit(change.after, schema) if change.type in known_types() else dict(change.after)
        )
        change.unknown_fitted = {fit_path(p, schema) for p in change.unknown}
        change.sensitive_fitted = {fit_path(p, schema) for p in change.sensitive}
        _apply_defaults(change, schema)
        change.attributes.update(_implied(change))
    return changes, skipped


def _flagged(
    path: Path, tree: Any, after: dict[str, Any], whole: list[str], where: str
) -> list[str]:
    try:
        return flagged_paths(tree, after, whole)
    except UnreadableTree as exc:
        raise InputError(f"{path}: {where}{exc.where}: {exc.problem}") from None


_S3_FOLDED = ("public_access_block", "versioning", "server_side_encryption", "logging", "policy")


_SSE_DEFAULT = (
    "server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0"
)
_S3_RENAMES = (  # v3 inline paths -> inventory paths, most specific first
    (f"{_SSE_DEFAULT}.sse_algorithm", "server_side_encryption.sse_algorithm"),
    (f"{_SSE_DEFAULT}.kms_master_key_id", "server_side_encryption.kms_master_key_id"),
    (
        "server_side_encryption_configuration.0.rule.0.bucket_key_enabled",
        "server_side_encryption.bucket_key_enabled",
    ),
    ("server_side_encryption_configuration", "server_side_encryption"),
    ("versioning.0.enabled", "versioning.status"),
)


def _s3_inline(change: Change) -> None:
    """AWS provider v3 configures a bucket inline, with other names; v4 and later use split
    resources (folded in later). Neither set nor unknown: the bucket has none of it."""
    after = dict(change.after)
    if "server_side_encryption_configuration" in after:
        inline = after.pop("server_side_encryption_configuration")
        rule = _first(_first(inline).get("rule"))
        default = _first(rule.get("apply_server_side_encryption_by_default"))
        after["server_side_encryption"] = (
            {
                "sse_algorithm": default.get("sse_algorithm") or "",
                "kms_master_key_id": default.get("kms_master_key_id") or None,
                "bucket_key_enabled": bool(rule.get("bucket_key_enabled")),
            }
            if default
            else None
        )
    versioning = _first(after.get("versioning"))
    if "enabled" in versioning:  # v3: enabled = true/false
        after["versioning"] = {"status": "Enabled" if versioning["enabled"] else "Suspended"}
    elif after.get("versioning") == []:
        after["versioning"] = None
    # Unknown and sensitive paths are renamed whether or not a value is present: an
    # unknown value is left out of `after`.
    change.unknown = [_renamed_s3(p) for p in change.unknown]
    change.sensitive = [_renamed_s3(p) for p in change.sensitive]
    for name in _S3_FOLDED:
        if name not in after and not any(
            p == name or p.startswith(name + ".") for p in change.unknown
        ):
            after[name] = None  # no inline setting, nothing unknown: none (unless folded in)
    change.after = after


def _renamed_s3(path: str) -> str:
    for old, new in _S3_RENAMES:
        if path == old or path.startswith(old + "."):
            return (
                new + path[len(old) :]
                if old.endswith(("_algorithm", "_key_id", "_enabled"))
                else new
            )
    return path


def folded_changes(
    document: dict[str, Any], path: Path, entries: Iterable[Any] | None = None
) -> tuple[list[Change], int, int, int]:
    """The plan's changes (``entries``, else the document's resource_changes) with split
    and attached resources folded into their parents; (changes, skipped, folded,
    unmatched)."""
    changes, skipped = _changes(document, path, entries)
    config = Configuration(document)
    created_defaults(changes, config)
    folded, unmatched = fold_all(changes, config)
    attached, unplaced = attach_all(changes, config)
    unplaced_undo_defaults(changes, config)
    return changes, skipped, folded + attached, unmatched + unplaced


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


def _implied(change: Change) -> dict[str, Any]:
    """Attributes the collector reports that a resource's very presence in a plan decides:
    an aws_securityhub_account turns Security Hub on; an account or organization analyzer
    is an active external-access analyzer; an aws_vpc is never the region's default VPC
    (Terraform adopts that one as aws_default_vpc)."""
    if change.type == "aws_vpc":
        return {"is_default": False}
    if change.type == "aws_securityhub_account":
        return {"enabled": True}
    if change.type == "aws_accessanalyzer_analyzer":
        if "type" in change.unknown_fitted:
            return {}
        kind = change.after.get("type") or "ACCOUNT"
        return {"enabled": kind in ("ACCOUNT", "ORGANIZATION")}
    return {}


def _apply_defaults(change: Change, schema: dict[str, Any]) -> None:
    """A null that is not unknown is an argument left out: the provider's default applies."""
    defaults = PROVIDER_DEFAULTS.get(change.type, {})
    properties = schema.get("properties", {})
    for name, value in list(change.attributes.items()):
        if value is not None or name in change.unknown_fitted:
            continue
        if name in defaults:
            change.attributes[name] = defaults[name]
        elif properties.get(name, {}).get("type") == "array":
            change.attributes[name] = []  # an optional list left out is empty


def _planned(document: dict[str, Any], path: Path) -> Iterator[tuple[_Where, dict[str, Any]]]:
    """resource_changes-like entries from planned_values (plans without changes), with
    where each is in the file."""
    planned = _object(path, document.get("planned_values"), "$.planned_values")
    root = "$.planned_values.root_module"
    stack = [(_object(path, planned.get("root_module"), root), root, "")]
    while stack:
        module, at, module_address = stack.pop()
        for index, resource in enumerate(_array(path, module.get("resources"), f"{at}.resources")):
            where = f"{at}.resources[{index}]"
            if not isinstance(resource, dict):
                raise InputError(f"{path}: {where}: expected a resource, got {kind(resource)}")
            entry = {
                "address": resource.get("address"),
                "mode": resource.get("mode"),
                "type": resource.get("type"),
                "change": {
                    "actions": ["create"],
                    "after": resource.get("values"),
                    "after_sensitive": resource.get("sensitive_values"),
                },
            }
            if module_address:
                entry["module_address"] = module_address
            yield _Where.of_planned(where, at), entry
        children = _array(path, module.get("child_modules"), f"{at}.child_modules")
        for index in reversed(range(len(children))):
            child_at = f"{at}.child_modules[{index}]"
            child = _object(path, children[index], child_at)
            address = child.get("address")
            address = "" if address is None else address
            if not isinstance(address, str):
                raise InputError(
                    f"{path}: {child_at}.address: expected a string, got {kind(address)}"
                )
            stack.append((child, child_at, address))


def _object(path: Path, value: Any, where: str) -> dict[str, Any]:
    """A part of the plan's structure: absent reads as empty, any other type is refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{path}: {where}: expected an object, got {kind(value)}")
    return value


def _array(path: Path, value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}: {where}: expected a list, got {kind(value)}")
    return value


@dataclass
class _Notes:
    """What the adapter could not carry over, for the plan's source entry."""

    dropped: list[str] = field(default_factory=list)  # attributes the schema refused
    untagged: list[str] = field(default_factory=list)  # tags known only after apply
    refused: list[str] = field(default_factory=list)  # resources the inventory cannot hold

    def any(self) -> bool:
        return bool(self.dropped or self.untagged or self.refused)

    def describe(self) -> str:
        parts = [
            ("attributes not in the inventory shape left out", self.dropped),
            ("tags known only after apply (checks scoped by tags cannot select)", self.untagged),
            ("resources the inventory cannot hold", self.refused),
        ]
        return "".join(f"; {label}: {', '.join(items[:5])}" for label, items in parts if items)


def _resource(change: Change, notes: _Notes, region: str | None) -> dict[str, Any] | None:
    unknown = set(change.unknown_fitted)
    # Known only after apply: not a value yet, whatever `after` holds for it.
    attributes = {k: v for k, v in change.attributes.items() if not (v is None and k in unknown)}
    # Provider default_tags show only in tags_all; prefer it when it is known.
    tags_all = attributes.get("tags_all")
    tags = tags_all if isinstance(tags_all, dict) else attributes.get("tags")
    tags = tags if isinstance(tags, dict) else {}
    if "tags" in unknown or ("tags_all" in unknown and not attributes.get("tags")):
        notes.untagged.append(change.address)
    resource: dict[str, Any] = {
        "address": change.address,
        "type": change.type,
        "provider": "aws",
        "account": None,
        "region": region,
        "name": change.name,
        "tags": {str(k): str(v) for k, v in (tags or {}).items() if v is not None},
        "data_classes": [],
        "attributes": attributes,
        "unknown": sorted(unknown),
        "sensitive": sorted(change.sensitive_fitted),
    }
    return _conforming(resource, notes)


def _conforming(resource: dict[str, Any], notes: _Notes) -> dict[str, Any] | None:
    """The resource with every attribute its type's schema refuses left out (the checks
    that need it say indeterminate), rather than one odd value failing the whole plan.
    Attributes are checked against their own type's schema: linear in the plan's size.
    The compiled validators answer for a resource that conforms; jsonschema finds what
    to leave out of one that does not."""
    if resource_conforms(resource):
        return resource
    if any(_envelope_validator().iter_errors({**resource, "attributes": {}})):
        notes.refused.append(resource["address"][:200])  # an address or tag too odd to hold
        return None
    attributes = _attribute_validator(resource["type"])
    bad = {
        str(e.absolute_path[0])
        for e in attributes.iter_errors(resource["attributes"])
        if e.absolute_path
    }
    if bad:
        notes.dropped.extend(f"{resource['address']}.{name}" for name in sorted(bad))
        resource["attributes"] = {k: v for k, v in resource["attributes"].items() if k not in bad}
    return resource


@cache
def _envelope_validator() -> jsonschema.Draft7Validator:
    """The resource envelope (address, type, tags, ...) without the per-type dispatch."""
    schema = json.loads(inventory_schema_path().read_text(encoding="utf-8"))
    envelope = {k: v for k, v in schema["definitions"]["resource"].items() if k != "allOf"}
    return jsonschema.Draft7Validator(envelope)


@cache
def _attribute_validator(resource_type: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(attribute_schema(resource_type) or {})
