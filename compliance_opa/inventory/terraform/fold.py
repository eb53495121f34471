"""Fold resources Terraform splits off into the resource they configure.

A split resource names its target through an expression (`bucket = aws_s3_bucket.b.id`);
the plan's `configuration` keeps that reference even when the value is unknown until
apply, so it is followed first. A known value (the bucket's name) is the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compliance_opa.inventory.terraform.paths import step
from compliance_opa.inventory.terraform.shape import fit


@dataclass
class Change:
    """One managed resource of the plan, judged on its planned (after) state."""

    address: str
    module: str  # module path with instance keys, "" for the root module
    type: str
    name: str
    after: dict[str, Any]
    unknown: list[str]  # dotted paths, Terraform's shape
    sensitive: list[str]
    attributes: dict[str, Any] = field(default_factory=dict)  # inventory shape
    unknown_fitted: set[str] = field(default_factory=set)  # inventory shape
    sensitive_fitted: set[str] = field(default_factory=set)  # inventory shape
    whole_unknown: bool = False  # `after_unknown: true`: nothing of it is known yet
    where: str = ""  # its JSON path in the plan file ("$.resource_changes[3]")
    creating: bool = False  # the plan creates it: nothing outside the plan attaches to it yet
    parents: list[str] = field(default_factory=list)  # addresses it was folded into
    defaulted: set[str] = field(default_factory=set)  # attributes AWS's create default set

    @property
    def base(self) -> str:
        """The address without this resource's own instance key."""
        return re.sub(r"\[[^\]]*\]$", "", self.address)


_INDEX = re.compile(r"\[[^\]]*\]")


class Configuration:
    """Expressions of the plan's configuration, by module path and resource address."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self._resources: dict[str, dict[str, Any]] = {}
        self._walk(as_dict(as_dict(plan.get("configuration")).get("root_module")), "")

    def _walk(self, module: dict[str, Any], prefix: str) -> None:
        for resource in as_list(module.get("resources")):
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                self._resources[f"{prefix}{resource['address']}"] = resource
        for name, call in as_dict(module.get("module_calls")).items():
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                self._walk(call["module"], f"{prefix}module.{name}.")

    def expression(self, change: Change, attribute: str) -> Any:
        """The configuration's expression for an attribute; None when it is not set."""
        key = _INDEX.sub("", change.base)
        return as_dict(as_dict(self._resources.get(key)).get("expressions")).get(attribute)

    def references(self, change: Change, attribute: str) -> list[str]:
        """Resource addresses (`type.name`, module-relative) an attribute refers to."""
        expression = self.expression(change, attribute)
        refs = expression.get("references") if isinstance(expression, dict) else None
        return [r for r in as_list(refs) if isinstance(r, str)]


class Index:
    """The plan's resources by type and by address without instance key, built once so
    that folding stays linear in the size of the plan."""

    def __init__(self, changes: list[Change]) -> None:
        self.by_base: dict[tuple[str, str], list[Change]] = {}
        self.by_type: dict[str, list[Change]] = {}
        for change in changes:
            self.by_base.setdefault((change.type, change.base), []).append(change)
            self.by_type.setdefault(change.type, []).append(change)
        self._by_value: dict[tuple[str, str], dict[str, list[Change]]] = {}

    def by_value(self, target_type: str, key: str, value: str) -> list[Change]:
        table = self._by_value.get((target_type, key))
        if table is None:
            table = {}
            for change in self.by_type.get(target_type, []):
                for field_name in (key, "id", "arn"):
                    known = change.after.get(field_name)
                    if isinstance(known, str) and known:
                        table.setdefault(known, []).append(change)
            self._by_value[(target_type, key)] = table
        return list({id(c): c for c in table.get(value, [])}.values())


def find_target(
    source: Change,
    attribute: str,
    target_type: str,
    index: Index,
    config: Configuration,
    key: str,
) -> Change | None:
    """The resource of `target_type` that `source.attribute` points at."""
    prefix = f"{source.module}." if source.module else ""
    for reference in config.references(source, attribute):
        # Module-relative `type.name`, with an explicit instance key when it has one;
        # `data.type.name` is a data source, never the managed resource.
        match = re.match(rf"^({re.escape(target_type)}\.[^.\[]+)(\[[^\]]*\])?", reference)
        if not match:
            continue
        wanted = prefix + match.group(1)
        named = index.by_base.get((target_type, wanted), [])
        if match.group(2) and not match.group(2).startswith(("[count.", "[each.")):
            exact = [c for c in named if c.address == wanted + match.group(2)]
            if len(exact) == 1:
                return exact[0]
            continue
        if len(named) == 1:
            return named[0]
        own_key = source.address[len(source.base) :]
        same_key = [c for c in named if c.address == wanted + own_key]
        if len(same_key) == 1:
            return same_key[0]
    value = source.after.get(attribute)
    if isinstance(value, str) and value:
        by_value = index.by_value(target_type, key, value)
        if len(by_value) == 1:
            return by_value[0]
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """Plan data where an object is expected; anything else reads as empty."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


def _replace(target: Change, source: Change, name: str, value: Any) -> None:
    """Set a folded attribute: the split resource decides it, not what the target's own
    (computed, often unknown) attribute of that name said. Its sensitivity carries over."""
    target.attributes[name] = value
    target.defaulted.discard(name)
    target.unknown_fitted = {
        p for p in target.unknown_fitted if p != name and not p.startswith(name + ".")
    }
    if source.sensitive:
        target.sensitive_fitted.add(name)


def _mark_unknown(target: Change, source: Change, mapping: dict[str, str]) -> None:
    """Unknown attributes of the split resource become unknown on the target."""
    if source.whole_unknown:
        target.unknown_fitted.update(mapping.values())
        return
    for raw in source.unknown:
        for prefix, fitted in sorted(mapping.items(), key=lambda item: -len(item[0])):
            if raw == prefix or raw.startswith(prefix + "."):
                target.unknown_fitted.add(fitted)
                break  # the most specific mapping names it


def _versioning(target: Change, source: Change) -> None:
    configuration = _first(source.after.get("versioning_configuration"))
    status = configuration.get("status")
    versioning = {"status": status}
    if configuration.get("mfa_delete") is not None:
        versioning["mfa_delete"] = configuration["mfa_delete"]
    _replace(target, source, "versioning", versioning if status else None)
    _mark_unknown(
        target,
        source,
        {
            "versioning_configuration.0.mfa_delete": "versioning.mfa_delete",
            "versioning_configuration": "versioning.status",
        },
    )


def _encryption(target: Change, source: Change) -> None:
    rule = _first(source.after.get("rule"))
    default = _first(rule.get("apply_server_side_encryption_by_default"))
    encryption = {
        "sse_algorithm": default.get("sse_algorithm") or "",
        "kms_master_key_id": default.get("kms_master_key_id") or None,
        "bucket_key_enabled": rule.get("bucket_key_enabled") is True,
    }
    _replace(target, source, "server_side_encryption", encryption)
    default_path = "rule.0.apply_server_side_encryption_by_default.0"
    _mark_unknown(
        target,
        source,
        {
            f"{default_path}.sse_algorithm": "server_side_encryption.sse_algorithm",
            f"{default_path}.kms_master_key_id": "server_side_encryption.kms_master_key_id",
            "rule.0.bucket_key_enabled": "server_side_encryption.bucket_key_enabled",
            "rule": "server_side_encryption",
        },
    )


_BLOCK_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def _public_access_block(target: Change, source: Change) -> None:
    block = {f: source.after.get(f) is True for f in _BLOCK_FLAGS}
    _replace(target, source, "public_access_block", block)
    _mark_unknown(target, source, {f: f"public_access_block.{f}" for f in _BLOCK_FLAGS})


def _logging(target: Change, source: Change) -> None:
    logging = {
        "target_bucket": source.after.get("target_bucket") or "",
        "target_prefix": source.after.get("target_prefix"),
    }
    _replace(target, source, "logging", logging)
    _mark_unknown(target, source, {"target_bucket": "logging.target_bucket"})


def _policy(target: Change, source: Change) -> None:
    schema = {"type": ["object", "null"]}
    _replace(target, source, "policy", fit(source.after.get("policy"), schema))
    _mark_unknown(target, source, {"policy": "policy"})


def _object_lock(target: Change, source: Change) -> None:
    retention = _first(_first(source.after.get("rule")).get("default_retention"))
    rule = None
    if retention:
        rule = {
            "default_retention": {
                "mode": retention.get("mode"),
                "days": retention.get("days") or None,
                "years": retention.get("years") or None,
            }
        }
    lock = {"object_lock_enabled": "Enabled", "rule": rule}
    _replace(target, source, "object_lock_configuration", lock)
    _mark_unknown(target, source, {"rule": "object_lock_configuration.rule"})


def _vault_lock(target: Change, source: Change) -> None:
    lock = {
        "min_retention_days": source.after.get("min_retention_days"),
        "max_retention_days": source.after.get("max_retention_days"),
        "changeable_for_days": source.after.get("changeable_for_days"),
    }
    _replace(target, source, "lock_configuration", lock)
    _mark_unknown(target, source, {n: f"lock_configuration.{n}" for n in lock})


def _rotation(target: Change, source: Change) -> None:
    rules = _first(source.after.get("rotation_rules"))
    _replace(target, source, "rotation_enabled", True)
    _replace(target, source, "rotation_lambda_arn", source.after.get("rotation_lambda_arn"))
    rotation = {
        "automatically_after_days": rules.get("automatically_after_days"),
        "schedule_expression": rules.get("schedule_expression"),
        "duration": rules.get("duration"),
    }
    _replace(target, source, "rotation_rules", rotation)
    _mark_unknown(
        target,
        source,
        {"rotation_rules": "rotation_rules", "rotation_lambda_arn": "rotation_lambda_arn"},
    )


def _acl(target: Change, source: Change) -> None:
    policy = _first(source.after.get("access_control_policy"))
    grants = []
    for grant in as_list(policy.get("grant")):
        grantee = _first(as_dict(grant).get("grantee"))
        grants.append(
            {
                "type": grantee.get("type"),
                "uri": grantee.get("uri"),
                "id": grantee.get("id"),
                "permission": as_dict(grant).get("permission"),
            }
        )
    _replace(target, source, "acl", source.after.get("acl"))
    _replace(target, source, "grants", grants)
    _mark_unknown(target, source, {"acl": "acl", "access_control_policy": "grants"})


def _ownership(target: Change, source: Change) -> None:
    ownership = _first(source.after.get("rule")).get("object_ownership")
    _replace(target, source, "object_ownership", ownership)
    _mark_unknown(target, source, {"rule": "object_ownership"})


def _efs_backup(target: Change, source: Change) -> None:
    status = _first(source.after.get("backup_policy")).get("status")
    _replace(target, source, "backup_policy", {"status": status})
    _mark_unknown(target, source, {"backup_policy": "backup_policy.status"})


def _recorder_status(target: Change, source: Change) -> None:
    _replace(target, source, "is_enabled", source.after.get("is_enabled"))
    _mark_unknown(target, source, {"is_enabled": "is_enabled"})


def _login_profile(target: Change, source: Change) -> None:
    _replace(target, source, "password_enabled", True)


def _sg_rule(target: Change, source: Change) -> None:
    after = source.after
    if source.type == "aws_security_group_rule":
        direction = "ingress" if after.get("type") == "ingress" else "egress"
        others = (
            [after["source_security_group_id"]] if after.get("source_security_group_id") else []
        )
        rule = {
            "protocol": str(after.get("protocol", "-1")),
            "from_port": after.get("from_port", 0),
            "to_port": after.get("to_port", 0),
            "cidr_blocks": [str(c) for c in as_list(after.get("cidr_blocks"))],
            "ipv6_cidr_blocks": [str(c) for c in as_list(after.get("ipv6_cidr_blocks"))],
            "description": after.get("description"),
            "self": after.get("self") is True,
            "security_groups": others,
        }
    else:  # aws_vpc_security_group_ingress_rule / _egress_rule: one address per rule
        direction = "ingress" if source.type.endswith("ingress_rule") else "egress"
        protocol = str(after.get("ip_protocol", "-1"))
        others = (
            [after["referenced_security_group_id"]]
            if after.get("referenced_security_group_id")
            else []
        )
        rule = {
            "protocol": protocol,
            "from_port": after.get("from_port") if after.get("from_port") is not None else 0,
            "to_port": after.get("to_port") if after.get("to_port") is not None else 0,
            "cidr_blocks": [after["cidr_ipv4"]] if after.get("cidr_ipv4") else [],
            "ipv6_cidr_blocks": [after["cidr_ipv6"]] if after.get("cidr_ipv6") else [],
            "description": after.get("description"),
            "self": False,
            "security_groups": others,
        }
    rules = target.attributes.setdefault(direction, [])
    if isinstance(rules, list):
        # Only the fields the rule is judged on; a new rule's id or arn is always unknown.
        if source.whole_unknown or any(p.split(".")[0] in _RULE_FIELDS for p in source.unknown):
            target.unknown_fitted.add(f"{direction}.{len(rules)}")
        if source.whole_unknown or (
            source.type == "aws_security_group_rule" and "type" in source.unknown
        ):
            # Which way it goes is not known: it may open the other direction.
            target.unknown_fitted.add("egress" if direction == "ingress" else "ingress")
        if source.sensitive:
            target.sensitive_fitted.add(direction)
        rules.append(rule)


_RULE_FIELDS = {
    "type", "protocol", "ip_protocol", "from_port", "to_port", "cidr_blocks", "ipv6_cidr_blocks",
    "cidr_ipv4", "cidr_ipv6", "self",
}  # fmt: skip


def _parameter_group(target: Change, source: Change) -> None:
    parameters = as_list(source.after.get("parameter"))
    if source.sensitive:
        target.sensitive_fitted.add("parameter_group")
    target.attributes["parameter_group"] = {
        "name": source.after.get("name") or "",
        "family": source.after.get("family") or "",
        "parameters": {
            str(p.get("name")): str(p.get("value"))
            for p in parameters
            if isinstance(p, dict) and p.get("name") is not None
        },
    }
    _mark_unknown(target, source, {"parameter": "parameter_group.parameters"})


Fold = Callable[[Change, Change], None]

# split type -> (attribute naming the target, target type, attribute identifying a target, fold)
SPLIT: dict[str, tuple[str, str, str, Fold]] = {
    "aws_s3_bucket_versioning": ("bucket", "aws_s3_bucket", "bucket", _versioning),
    "aws_s3_bucket_server_side_encryption_configuration": (
        "bucket",
        "aws_s3_bucket",
        "bucket",
        _encryption,
    ),
    "aws_s3_bucket_public_access_block": (
        "bucket",
        "aws_s3_bucket",
        "bucket",
        _public_access_block,
    ),
    "aws_s3_bucket_logging": ("bucket", "aws_s3_bucket", "bucket", _logging),
    "aws_s3_bucket_policy": ("bucket", "aws_s3_bucket", "bucket", _policy),
    "aws_s3_bucket_object_lock_configuration": ("bucket", "aws_s3_bucket", "bucket", _object_lock),
    "aws_backup_vault_lock_configuration": (
        "backup_vault_name",
        "aws_backup_vault",
        "name",
        _vault_lock,
    ),
    "aws_secretsmanager_secret_rotation": (
        "secret_id",
        "aws_secretsmanager_secret",
        "name",
        _rotation,
    ),
    "aws_iam_user_login_profile": ("user", "aws_iam_user", "name", _login_profile),
    "aws_s3_bucket_ownership_controls": ("bucket", "aws_s3_bucket", "bucket", _ownership),
    "aws_s3_bucket_acl": ("bucket", "aws_s3_bucket", "bucket", _acl),
    "aws_efs_backup_policy": ("file_system_id", "aws_efs_file_system", "id", _efs_backup),
    "aws_config_configuration_recorder_status": (
        "name",
        "aws_config_configuration_recorder",
        "name",
        _recorder_status,
    ),
    "aws_secretsmanager_secret_policy": (
        "secret_arn",
        "aws_secretsmanager_secret",
        "arn",
        _policy,
    ),
    "aws_security_group_rule": ("security_group_id", "aws_security_group", "name", _sg_rule),
    "aws_vpc_security_group_ingress_rule": (
        "security_group_id",
        "aws_security_group",
        "name",
        _sg_rule,
    ),
    "aws_vpc_security_group_egress_rule": (
        "security_group_id",
        "aws_security_group",
        "name",
        _sg_rule,
    ),
}

# target type -> (attribute naming the group, group type): the target points at what it uses.
USES: dict[str, tuple[str, str]] = {
    "aws_db_instance": ("parameter_group_name", "aws_db_parameter_group"),
    "aws_rds_cluster": ("db_cluster_parameter_group_name", "aws_rds_cluster_parameter_group"),
    "aws_redshift_cluster": ("cluster_parameter_group_name", "aws_redshift_parameter_group"),
}


# What each fold reads of its split resource (and of a parameter group), by JSON type.
# A value of another type (a string "false" for a flag, one CIDR text for a list) is
# refused, not read as harmless; null is unset or unknown, read as such.
_BOOL = "true or false"
_NUMBER = "a number"
_STRING = "a string"
_STRINGS = "a list of strings"
_BLOCK = "a block (a list of objects)"
_POLICY = "a policy (a JSON string or an object)"
_RULE_READS = {
    "from_port": _NUMBER, "to_port": _NUMBER, "description": _STRING,
    "security_group_id": _STRING,
}  # fmt: skip
_READS: dict[str, dict[str, str]] = {
    "aws_s3_bucket_versioning": {"versioning_configuration": _BLOCK},
    "aws_s3_bucket_server_side_encryption_configuration": {"rule": _BLOCK},
    "aws_s3_bucket_public_access_block": dict.fromkeys(_BLOCK_FLAGS, _BOOL),
    "aws_s3_bucket_logging": {"target_bucket": _STRING, "target_prefix": _STRING},
    "aws_s3_bucket_policy": {"policy": _POLICY},
    "aws_s3_bucket_object_lock_configuration": {"rule": _BLOCK},
    "aws_backup_vault_lock_configuration": {
        "min_retention_days": _NUMBER, "max_retention_days": _NUMBER,
        "changeable_for_days": _NUMBER,
    },
    "aws_secretsmanager_secret_rotation": {
        "rotation_rules": _BLOCK, "rotation_lambda_arn": _STRING,
    },
    "aws_security_group_rule": {
        **_RULE_READS, "type": _STRING, "protocol": _STRING, "cidr_blocks": _STRINGS,
        "ipv6_cidr_blocks": _STRINGS, "self": _BOOL, "source_security_group_id": _STRING,
    },
    "aws_vpc_security_group_ingress_rule": {
        **_RULE_READS, "ip_protocol": _STRING, "cidr_ipv4": _STRING, "cidr_ipv6": _STRING,
        "referenced_security_group_id": _STRING,
    },
    "aws_db_parameter_group": {"name": _STRING, "family": _STRING, "parameter": _BLOCK},
    "aws_s3_bucket_ownership_controls": {"rule": _BLOCK},
    "aws_s3_bucket_acl": {"acl": _STRING, "access_control_policy": _BLOCK},
    "aws_efs_backup_policy": {"backup_policy": _BLOCK},
    "aws_config_configuration_recorder_status": {"is_enabled": _BOOL},
    "aws_secretsmanager_secret_policy": {"policy": _POLICY},
}  # fmt: skip
_READS["aws_vpc_security_group_egress_rule"] = _READS["aws_vpc_security_group_ingress_rule"]
_READS["aws_rds_cluster_parameter_group"] = _READS["aws_db_parameter_group"]
_READS["aws_redshift_parameter_group"] = _READS["aws_db_parameter_group"]


def misread(resource_type: str, after: dict[str, Any]) -> tuple[str, str] | None:
    """(The JSON path below `after`, what was expected) of the first value a fold would
    read that is of another type; None when every one can be read."""
    reads = dict(_READS.get(resource_type, {}))
    if resource_type in SPLIT:
        reads.setdefault(SPLIT[resource_type][0], _STRING)  # the attribute naming the target
    return first_misread(reads, after)


def first_misread(reads: dict[str, str], after: dict[str, Any]) -> tuple[str, str] | None:
    """The first of `reads` (attribute -> what it must be) that `after` holds as another
    type: (its JSON path below `after`, what was expected); None when all can be read."""
    for name, expected in reads.items():
        value = after.get(name)
        if value is None:
            continue
        wrong = wrong_type(value, expected)
        if wrong is not None:
            return step(name) + wrong, expected
    return None


def wrong_type(value: Any, expected: str) -> str | None:
    """Where ``value`` is not what ``expected`` says ("" itself, "[2]" an item), or None."""
    if expected in (_STRINGS, _BLOCK):
        if not isinstance(value, list):
            return ""
        item_type = str if expected == _STRINGS else dict
        return next(
            (f"[{i}]" for i, item in enumerate(value) if not isinstance(item, item_type | None)),
            None,
        )
    kinds = {
        _BOOL: (bool,),
        _NUMBER: (int, float),
        _STRING: (str,),
        _POLICY: (str, dict),
    }[expected]
    if isinstance(value, bool) and bool not in kinds:
        return ""
    return None if isinstance(value, kinds) else ""


def fold_all(changes: list[Change], config: Configuration) -> tuple[int, int]:
    """Fold every split resource into its target; (folded, unmatched) counts."""
    folded = unmatched = 0
    index = Index(changes)
    for source in changes:
        if source.type not in SPLIT:
            continue
        attribute, target_type, key, fold = SPLIT[source.type]
        target = find_target(source, attribute, target_type, index, config, key)
        if target is None:
            unmatched += 1
            continue
        fold(target, source)
        source.parents.append(target.address)
        folded += 1
    for target in changes:
        if target.type not in USES:
            continue
        attribute, group_type = USES[target.type]
        group = find_target(target, attribute, group_type, index, config, "name")
        if group is not None:
            _parameter_group(target, group)
            group.parents.append(target.address)
            folded += 1
    return folded, unmatched
