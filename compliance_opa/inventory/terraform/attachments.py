"""Resources that attach to a parent and add one item to a list on it, and the joins
that take more than one step (a trail's CloudWatch alarms).

A flow log adds itself to its VPC's `flow_logs`, a policy attachment its ARN to the
user's or role's list, a GuardDuty feature to its detector's `features`. A parent the
plan creates can only get such items from this plan, so its list starts empty (nothing
attached is a known value); a parent the plan only updates may have items from outside
the plan, so without any here its list stays missing and the checks say indeterminate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from compliance_opa.inventory.terraform.fold import (
    SPLIT,
    Change,
    Configuration,
    Index,
    as_dict,
    as_list,
    find_target,
    first_misread,
)

Attach = Callable[[Change, Change], None]


def _append(target: Change, source: Change, name: str, item: Any, unknown: set[str]) -> None:
    """Add `item` to the target's list `name`; any deciding field of the source that is
    unknown makes that item unknown (and so the list's verdict)."""
    items = target.attributes.get(name)
    if not isinstance(items, list):
        items = []
        target.attributes[name] = items
    if source.whole_unknown or any(p.split(".")[0] in unknown for p in source.unknown):
        target.unknown_fitted.add(f"{name}.{len(items)}")
    if source.sensitive:
        target.sensitive_fitted.add(name)
    items.append(item)


def _flow_log(target: Change, source: Change) -> None:
    after = source.after
    item = {
        "traffic_type": after.get("traffic_type"),
        "log_destination_type": after.get("log_destination_type") or "cloud-watch-logs",
        "log_destination": after.get("log_destination"),
    }
    _append(target, source, "flow_logs", item, {"traffic_type", "log_destination_type"})


def _vpc_endpoint(target: Change, source: Change) -> None:
    after = source.after
    item = {
        "service_name": after.get("service_name"),
        "vpc_endpoint_type": after.get("vpc_endpoint_type") or "Gateway",
    }
    _append(target, source, "vpc_endpoints", item, {"service_name", "vpc_endpoint_type"})


def _user_policy(target: Change, source: Change) -> None:
    arn = source.after.get("policy_arn")
    _append(target, source, "attached_policy_arns", arn, {"policy_arn"})


def _role_policy(target: Change, source: Change) -> None:
    arn = source.after.get("policy_arn")
    _append(target, source, "managed_policy_arns", arn, {"policy_arn"})


def _guardduty_feature(target: Change, source: Change) -> None:
    """The feature resource decides its feature's status: a detector the plan only updates
    lists its features as read before apply, so one of the same name is replaced, not kept
    beside it (a feature turned off here stayed ENABLED in that list)."""
    item = {"name": source.after.get("name"), "status": source.after.get("status")}
    features = target.attributes.get("features")
    if isinstance(features, list) and isinstance(item["name"], str):
        for position, feature in enumerate(features):
            if isinstance(feature, dict) and feature.get("name") == item["name"]:
                features[position] = item
                target.unknown_fitted = {
                    p
                    for p in target.unknown_fitted
                    if p != f"features.{position}" and not p.startswith(f"features.{position}.")
                }
                if source.whole_unknown or {"name", "status"} & set(source.unknown):
                    target.unknown_fitted.add(f"features.{position}")
                if source.sensitive:
                    target.sensitive_fitted.add("features")
                return
    _append(target, source, "features", item, {"name", "status"})


def _web_acl(target: Change, source: Change) -> None:
    target.attributes["web_acl_arn"] = source.after.get("web_acl_arn")
    if source.whole_unknown or "web_acl_arn" in source.unknown:
        target.unknown_fitted.add("web_acl_arn")
    else:
        target.unknown_fitted.discard("web_acl_arn")


# attached type -> (attribute naming the parent, parent types, attribute identifying a
# parent, fold)
ATTACHED: dict[str, tuple[str, tuple[str, ...], str, Attach]] = {
    "aws_flow_log": ("vpc_id", ("aws_vpc", "aws_default_vpc"), "id", _flow_log),
    "aws_vpc_endpoint": ("vpc_id", ("aws_vpc", "aws_default_vpc"), "id", _vpc_endpoint),
    "aws_iam_user_policy_attachment": ("user", ("aws_iam_user",), "name", _user_policy),
    "aws_iam_role_policy_attachment": ("role", ("aws_iam_role",), "name", _role_policy),
    "aws_guardduty_detector_feature": (
        "detector_id",
        ("aws_guardduty_detector",),
        "id",
        _guardduty_feature,
    ),
    "aws_wafv2_web_acl_association": (
        "resource_arn",
        ("aws_lb", "aws_alb", "aws_api_gateway_stage"),
        "arn",
        _web_acl,
    ),
}

# What a created resource starts with where no split or attached resource of this plan
# says otherwise: only this plan can configure it yet, so AWS's value for "none" is known.
# An attribute the resource's own configuration sets is left alone (`managed_policy_arns`).
CREATED_DEFAULTS: dict[str, dict[str, Any]] = {
    "aws_vpc": {"flow_logs": [], "vpc_endpoints": []},
    "aws_default_vpc": {"flow_logs": [], "vpc_endpoints": []},
    "aws_iam_user": {"attached_policy_arns": []},
    "aws_iam_role": {"managed_policy_arns": []},
    "aws_securityhub_account": {"standards": []},
    "aws_secretsmanager_secret": {"policy": None},  # no resource policy
    "aws_efs_file_system": {"backup_policy": None},  # automatic backups off
    "aws_config_configuration_recorder": {"is_enabled": False},  # created stopped
    # ACLs disabled and a private ACL: S3's defaults for new buckets since April 2023.
    "aws_s3_bucket": {"object_ownership": "BucketOwnerEnforced", "acl": "private"},
}

# What the attached resources read, for the adapter's type check (fold.misread).
READS: dict[str, dict[str, str]] = {
    "aws_flow_log": {
        "traffic_type": "a string",
        "log_destination_type": "a string",
        "log_destination": "a string",
    },
    "aws_vpc_endpoint": {"service_name": "a string", "vpc_endpoint_type": "a string"},
    "aws_iam_user_policy_attachment": {"policy_arn": "a string"},
    "aws_iam_role_policy_attachment": {"policy_arn": "a string"},
    "aws_guardduty_detector_feature": {"name": "a string", "status": "a string"},
    "aws_wafv2_web_acl_association": {"web_acl_arn": "a string"},
    "aws_securityhub_standards_subscription": {"standards_arn": "a string"},
    "aws_cloudwatch_log_metric_filter": {
        "name": "a string",
        "pattern": "a string",
        "log_group_name": "a string",
        "metric_transformation": "a block (a list of objects)",
    },
    "aws_cloudwatch_log_group": {"name": "a string"},
}
READS |= {
    "aws_iam_policy_attachment": {
        "policy_arn": "a string",
        "users": "a list of strings",
        "roles": "a list of strings",
    },
    "aws_iam_role_policy_attachments_exclusive": {
        "role_name": "a string",
        "policy_arns": "a list of strings",
    },
    "aws_iam_user_policy_attachments_exclusive": {
        "user_name": "a string",
        "policy_arns": "a list of strings",
    },
}
ONLY_JOINED = {
    "aws_securityhub_standards_subscription",
    "aws_cloudwatch_log_metric_filter",
    "aws_iam_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
    "aws_iam_user_policy_attachments_exclusive",
}


def _set_if_configured(change: Change, config: Configuration, name: str) -> bool:
    """The resource's own configuration sets the attribute (then it is not ours to fill)."""
    return bool(config.expression(change, name)) or change.after.get(name) not in (None, [])


def misread_attached(resource_type: str, after: dict[str, Any]) -> tuple[str, str] | None:
    """As fold.misread, for the attached and joined resources."""
    reads = dict(READS.get(resource_type, {}))
    if resource_type in ATTACHED:
        reads.setdefault(ATTACHED[resource_type][0], "a string")
    return first_misread(reads, after)


def created_defaults(changes: list[Change], config: Configuration) -> None:
    """Give created resources CREATED_DEFAULTS, before any fold: a fold then decides."""
    for change in changes:
        if not change.creating:
            continue
        for name, value in CREATED_DEFAULTS.get(change.type, {}).items():
            if _set_if_configured(change, config, name) or _other_default(change, name):
                continue
            if change.attributes.get(name) is None or name in change.unknown_fitted:
                change.attributes[name] = list(value) if isinstance(value, list) else value
                change.unknown_fitted.discard(name)
                change.defaulted.add(name)


def _other_default(change: Change, name: str) -> bool:
    """Where AWS's default differs from CREATED_DEFAULTS', or may: a One Zone EFS file
    system gets automatic backups by default (then its backup policy stays missing)."""
    if change.type == "aws_efs_file_system" and name == "backup_policy":
        zone = "availability_zone_name"
        return change.after.get(zone) not in (None, "") or zone in change.unknown
    return False


# Split and attached types whose fold decides an attribute CREATED_DEFAULTS gives a
# created parent: (attribute naming the parent, parent types, attributes decided).
DECIDES_DEFAULT: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "aws_flow_log": ("vpc_id", ("aws_vpc", "aws_default_vpc"), ("flow_logs",)),
    "aws_vpc_endpoint": ("vpc_id", ("aws_vpc", "aws_default_vpc"), ("vpc_endpoints",)),
    "aws_iam_user_policy_attachment": ("user", ("aws_iam_user",), ("attached_policy_arns",)),
    "aws_iam_role_policy_attachment": ("role", ("aws_iam_role",), ("managed_policy_arns",)),
    "aws_secretsmanager_secret_policy": ("secret_arn", ("aws_secretsmanager_secret",), ("policy",)),
    "aws_efs_backup_policy": ("file_system_id", ("aws_efs_file_system",), ("backup_policy",)),
    "aws_config_configuration_recorder_status": (
        "name",
        ("aws_config_configuration_recorder",),
        ("is_enabled",),
    ),
    "aws_s3_bucket_acl": ("bucket", ("aws_s3_bucket",), ("acl", "grants")),
    "aws_s3_bucket_ownership_controls": ("bucket", ("aws_s3_bucket",), ("object_ownership",)),
}


def unplaced_undo_defaults(changes: list[Change], config: Configuration) -> None:
    """A split or attached resource whose parent was not found may configure a created
    resource all the same (`bucket = var.bucket_id` inside a module names no resource).
    Its created parents' default for what it decides is then not known: unknown, so the
    checks say indeterminate rather than judge AWS's default (a public ACL read as private).
    Only created parents it may name: any, when its parent attribute is unknown or names no
    known value; else those whose name or ID is that value."""
    index = Index(changes)
    for source in changes:
        if source.type not in DECIDES_DEFAULT or source.parents:
            continue
        attribute, parent_types, decided = DECIDES_DEFAULT[source.type]
        if not _names_parent(source, config, attribute):
            continue  # a subnet's flow log: no VPC's
        value = source.after.get(attribute)
        for parent_type in parent_types:
            if source.whole_unknown or attribute in source.unknown or not isinstance(value, str):
                parents = index.by_type.get(parent_type, [])
            else:
                key = SPLIT[source.type][2] if source.type in SPLIT else ATTACHED[source.type][2]
                parents = index.by_value(parent_type, key, value)
            for parent in parents:
                for name in decided:
                    if name in parent.defaulted:
                        parent.unknown_fitted.add(name)


def attach_all(changes: list[Change], config: Configuration) -> tuple[int, int]:
    """Attach every attached resource to its parent; (attached, unmatched) counts."""
    index = Index(changes)
    attached = unmatched = 0
    for source in changes:
        if source.type not in ATTACHED:
            continue
        attribute, parent_types, key, fold = ATTACHED[source.type]
        if not _names_parent(source, config, attribute):
            continue  # a flow log of a subnet or an interface: not a VPC's
        target = next(
            (
                t
                for parent in parent_types
                if (t := find_target(source, attribute, parent, index, config, key)) is not None
            ),
            None,
        )
        if target is None:
            unmatched += 1
            continue
        fold(target, source)
        source.parents.append(target.address)
        attached += 1
    standards, unplaced = _standards(changes)
    attached += standards + _trail_alarms(changes, config, index) + _iam_attachments(index)
    _bucket_ownership(changes)
    return attached, unmatched + unplaced


def _names_parent(source: Change, config: Configuration, attribute: str) -> bool:
    return (
        bool(config.references(source, attribute))
        or source.after.get(attribute) not in (None, "")
        or attribute in source.unknown
    )


def _standards(changes: list[Change]) -> tuple[int, int]:
    """Security Hub standard subscriptions name no account: they belong to the plan's one
    aws_securityhub_account. With several accounts they are placed nowhere and the
    accounts' standards stay unknown; with none, they are unmatched. (attached, unmatched)"""
    accounts = [c for c in changes if c.type == "aws_securityhub_account"]
    subscriptions = [c for c in changes if c.type == "aws_securityhub_standards_subscription"]
    if not subscriptions:
        return 0, 0
    if len(accounts) != 1:
        for account in accounts:
            account.attributes.pop("standards", None)
        return 0, len(subscriptions)
    [account] = accounts
    for subscription in subscriptions:
        arn = subscription.after.get("standards_arn")
        _append(account, subscription, "standards", arn, {"standards_arn"})
        subscription.parents.append(account.address)
    return len(subscriptions), 0


_LOG_GROUP_ARN = re.compile(r"^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(?P<name>[^:]+)(:\*)?$")


def _trail_alarms(changes: list[Change], config: Configuration, index: Index) -> int:
    """A trail's `metric_filters`: the metric filters on its CloudWatch Logs group, each
    with the alarms on its metric. Three hops (trail -> log group <- filter -> metric <-
    alarm) the checks cannot make, since a check judges one resource at a time. Filters
    are grouped by log group and alarms by metric once, so the join stays linear."""
    on_group: dict[str, list[Change]] = {}
    for metric_filter in index.by_type.get("aws_cloudwatch_log_metric_filter", []):
        group = find_target(
            metric_filter, "log_group_name", "aws_cloudwatch_log_group", index, config, "name"
        )
        if group is not None:
            on_group.setdefault(group.address, []).append(metric_filter)
    alarms = _Alarms(index.by_type.get("aws_cloudwatch_metric_alarm", []))
    joined = 0
    for trail in index.by_type.get("aws_cloudtrail", []):
        group = _trail_group(trail, config, index)
        if group is None:
            if _no_log_group(trail, config):  # nothing delivered, nothing to watch
                trail.attributes["metric_filters"] = []
                trail.unknown_fitted.discard("metric_filters")
            continue
        trail.attributes["metric_filters"] = []
        trail.unknown_fitted.discard("metric_filters")
        for metric_filter in on_group.get(group.address, []):
            joined += 1
            metric_filter.parents.append(trail.address)
            item, unknown, alarm_unknown = _filter_item(metric_filter, alarms)
            position = len(trail.attributes["metric_filters"])
            _append(trail, metric_filter, "metric_filters", item, set())
            if unknown:
                trail.unknown_fitted.add(f"metric_filters.{position}")
            trail.unknown_fitted.update(
                f"metric_filters.{position}.alarms.{path}" for path in alarm_unknown
            )
    return joined


class _Alarms:
    """The plan's metric alarms by the metric they watch. An alarm whose metric is known
    only after apply may watch any filter's metric: `undecided` then."""

    def __init__(self, alarms: list[Change]) -> None:
        self.by_metric: dict[tuple[str, str], list[tuple[dict[str, Any], set[str]]]] = {}
        self.undecided = False
        for alarm in alarms:
            if alarm.whole_unknown or {"metric_name", "namespace"} & set(alarm.unknown):
                self.undecided = True
                continue
            metric, namespace = alarm.after.get("metric_name"), alarm.after.get("namespace")
            if isinstance(metric, str) and isinstance(namespace, str):
                self.by_metric.setdefault((metric, namespace), []).append(_alarm_item(alarm))


def _alarm_item(alarm: Change) -> tuple[dict[str, Any], set[str]]:
    """One alarm, with its fields known only after apply: a whole `alarm_actions` list
    unknown may be empty, and `actions_enabled` unknown may be false."""
    actions = [a for a in as_list(alarm.after.get("alarm_actions")) if isinstance(a, str)]
    unknown: set[str] = set()
    if "alarm_actions" in alarm.unknown:
        unknown.add("actions")
    elif any(p.startswith("alarm_actions.") for p in alarm.unknown):
        actions.append("(known after apply)")  # an action, whose ARN apply decides
    enabled = alarm.after.get("actions_enabled")
    if "actions_enabled" in alarm.unknown:
        unknown.add("actions_enabled")
    item = {
        "name": alarm.after.get("alarm_name") or alarm.name,
        "actions": actions,
        "actions_enabled": enabled if isinstance(enabled, bool) else True,
    }
    return item, unknown


# aws_iam_policy_attachment's principal lists: (its attribute, principal type, the
# principal's managed-policy list).
_PRINCIPALS = (
    ("users", "aws_iam_user", "attached_policy_arns"),
    ("roles", "aws_iam_role", "managed_policy_arns"),
)
# An exclusive attachments type: (attribute naming the principal, its type, its list).
_EXCLUSIVE = {
    "aws_iam_role_policy_attachments_exclusive": (
        "role_name", "aws_iam_role", "managed_policy_arns",
    ),
    "aws_iam_user_policy_attachments_exclusive": (
        "user_name", "aws_iam_user", "attached_policy_arns",
    ),
}  # fmt: skip


def _iam_attachments(index: Index) -> int:
    """aws_iam_policy_attachment attaches one policy to lists of users and roles (its
    groups are not judged); the *_policy_attachments_exclusive resources set a role's or a
    user's whole list. A list or name known only after apply makes every created
    principal's list of that kind unknown: it may be any of them."""
    placed = 0
    for source in index.by_type.get("aws_iam_policy_attachment", []):
        arn = source.after.get("policy_arn")
        for attribute, kind, target_name in _PRINCIPALS:
            names = source.after.get(attribute)
            if source.whole_unknown or attribute in source.unknown or not isinstance(names, list):
                if source.whole_unknown or attribute in source.unknown:
                    _unknown_on_all(index, kind, target_name)
                continue
            for name in names:
                for target in index.by_value(kind, "name", str(name)):
                    _append(target, source, target_name, arn, {"policy_arn"})
                    source.parents.append(target.address)
                    placed += 1
    for kind_of_source, (name_key, kind, target_name) in _EXCLUSIVE.items():
        for source in index.by_type.get(kind_of_source, []):
            name = source.after.get(name_key)
            if source.whole_unknown or name_key in source.unknown or not isinstance(name, str):
                _unknown_on_all(index, kind, target_name)
                continue
            for target in index.by_value(kind, "name", name):
                arns = [a for a in as_list(source.after.get("policy_arns")) if isinstance(a, str)]
                target.attributes[target_name] = arns
                target.defaulted.discard(target_name)
                target.unknown_fitted.discard(target_name)
                if "policy_arns" in source.unknown or any(
                    p.startswith("policy_arns.") for p in source.unknown
                ):
                    target.unknown_fitted.add(target_name)
                source.parents.append(target.address)
                placed += 1
    return placed


def _unknown_on_all(index: Index, kind: str, attribute: str) -> None:
    for principal in index.by_type.get(kind, []):
        if principal.creating:
            principal.unknown_fitted.add(attribute)


# ACLs that leave a bucket's objects to its owner: all BucketOwnerEnforced accepts.
_OWNER_ONLY_ACLS = (None, "private", "bucket-owner-full-control")


def _bucket_ownership(changes: list[Change]) -> None:
    """A created bucket reads as BucketOwnerEnforced (ACLs off) only while nothing in the
    plan uses ACLs: S3 refuses other ACLs on such a bucket, so a public-read ACL or a grant
    to a group or another account means its ownership is set somewhere else: unknown."""
    for bucket in changes:
        if bucket.type != "aws_s3_bucket" or "object_ownership" not in bucket.defaulted:
            continue
        acl = bucket.attributes.get("acl")
        grants = as_list(bucket.attributes.get("grants"))
        shared = any(
            isinstance(g, dict) and g.get("type") in ("Group", "AmazonCustomerByEmail")
            for g in grants
        )
        if acl not in _OWNER_ONLY_ACLS or shared or "acl" in bucket.unknown_fitted:
            bucket.unknown_fitted.add("object_ownership")


def _no_log_group(trail: Change, config: Configuration) -> bool:
    """The trail delivers to no CloudWatch Logs group (a group outside the plan may have
    filters and alarms of its own: then metric_filters stays missing)."""
    name = "cloud_watch_logs_group_arn"
    unset = trail.after.get(name) in (None, "") and not config.references(trail, name)
    return unset and name not in trail.unknown and not trail.whole_unknown


def _trail_group(trail: Change, config: Configuration, index: Index) -> Change | None:
    """The trail's log group when the plan holds it; None leaves metric_filters as is."""
    group = find_target(
        trail, "cloud_watch_logs_group_arn", "aws_cloudwatch_log_group", index, config, "arn"
    )
    if group is not None:
        return group
    arn = trail.after.get("cloud_watch_logs_group_arn")
    match = _LOG_GROUP_ARN.match(arn) if isinstance(arn, str) else None
    if match is None:
        return None
    named = index.by_value("aws_cloudwatch_log_group", "name", match.group("name"))
    return named[0] if len(named) == 1 else None


def _filter_item(metric_filter: Change, alarms: _Alarms) -> tuple[dict[str, Any], bool, list[str]]:
    """One metric filter with the alarms on its metric; True when a deciding value of the
    filter or of an alarm that may watch it is unknown; the unknown fields of its alarms
    (`0.actions_enabled`)."""
    after = metric_filter.after
    transformation = next(iter(as_list(after.get("metric_transformation"))), None)
    metric = as_dict(transformation)
    name, namespace = metric.get("name"), metric.get("namespace")
    unknown = (
        alarms.undecided
        or metric_filter.whole_unknown
        or any(
            p.split(".")[0] in ("pattern", "metric_transformation") for p in metric_filter.unknown
        )
    )
    watching = (
        alarms.by_metric.get((name, namespace), [])
        if isinstance(name, str) and isinstance(namespace, str)
        else []
    )
    item = {
        "name": after.get("name") or metric_filter.name,
        "pattern": after.get("pattern") if isinstance(after.get("pattern"), str) else "",
        "metric_name": name if isinstance(name, str) else "",
        "metric_namespace": namespace if isinstance(namespace, str) else "",
        "alarms": [dict(a) for a, _ in watching],
    }
    alarm_unknown = [f"{j}.{field}" for j, (_, fields) in enumerate(watching) for field in fields]
    return item, unknown, alarm_unknown
