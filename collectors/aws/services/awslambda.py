"""Lambda functions, their function URLs and the statements of their resource policies.

Environment variables are collected by NAME only: a value may be a secret, so every value
is replaced by VALUE_NOT_COLLECTED. The Terraform shape (environment.variables, a map) is
kept so the checks read plans and collections alike: whether a function has variables
(AWS-LMB-003) and what they are named (secret-like names) are both in the names.
"""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# Stands for every environment variable value: the collector never reads one into a snapshot.
VALUE_NOT_COLLECTED = "(value not collected)"

# Condition keys of a Lambda policy statement, as the Terraform attributes they become.
CONDITION_KEYS = {
    "aws:sourcearn": "source_arn",
    "aws:sourceaccount": "source_account",
    "aws:principalorgid": "principal_org_id",
    "lambda:functionurlauthtype": "function_url_auth_type",
}


def collect(c: Collection) -> None:
    lam = c.client("lambda")
    for function in c.pages(lam, "list_functions", "Functions"):
        c.each(f"function {function['FunctionName']}", _function, c, lam, function)


def _function(c: Collection, lam: Any, function: dict[str, Any]) -> None:
    name, arn = function["FunctionName"], function["FunctionArn"]
    what = f"function {name}"
    target = (function.get("DeadLetterConfig") or {}).get("TargetArn")
    attributes: dict[str, Any] = {
        "function_name": name,
        "arn": arn,
        "runtime": function.get("Runtime"),  # none for container images
        "package_type": function.get("PackageType", "Zip"),
        "kms_key_arn": function.get("KMSKeyArn") or None,
        "dead_letter_config": {"target_arn": target} if target else None,
        "tracing_config": {
            "mode": (function.get("TracingConfig") or {}).get("Mode", "PassThrough")
        },
    }
    environment = function.get("Environment") or {}
    if "Variables" in environment or not environment.get("Error"):
        variables = environment.get("Variables") or {}
        attributes["environment"] = (
            {"variables": {key: VALUE_NOT_COLLECTED for key in sorted(variables)}}
            if variables
            else None
        )
    else:  # Lambda could not decrypt them: which variables exist is not known
        c.problems.append(f"environment variables not readable for {what}")
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _tags, lam, arn)
    c.add("aws_lambda_function", arn, name, attributes, tags.get("tags", {}))
    # Function URLs and resource policies belong to the function or to one of its aliases
    # or published versions (a qualifier).
    listed: dict[str, list[str]] = {}
    c.item(what, listed, "qualifiers", _qualifiers, c, lam, name)
    for qualifier in [None, *listed.get("qualifiers", [])]:
        label = name if qualifier is None else f"{name}:{qualifier}"
        c.each(f"function URL of {label}", _url, c, lam, name, arn, qualifier)
        c.each(f"policy of function {label}", _permissions, c, lam, name, arn, qualifier)


def _tags(lam: Any, arn: str) -> dict[str, str]:
    return tag_map(lam.list_tags(Resource=arn).get("Tags"))


def _qualifiers(c: Collection, lam: Any, name: str) -> list[str]:
    aliases = [a["Name"] for a in c.pages(lam, "list_aliases", "Aliases", FunctionName=name)]
    versions = [
        v["Version"]
        for v in c.pages(lam, "list_versions_by_function", "Versions", FunctionName=name)
        if v.get("Version") != "$LATEST"
    ]
    return aliases + versions


def _qualified(params: dict[str, Any], qualifier: str | None) -> dict[str, Any]:
    return params if qualifier is None else {**params, "Qualifier": qualifier}


def _url(c: Collection, lam: Any, name: str, arn: str, qualifier: str | None) -> None:
    config = c.optional(
        lam.get_function_url_config,
        {"ResourceNotFoundException"},
        **_qualified({"FunctionName": name}, qualifier),
    )
    if config is None:
        return  # no URL
    qualified_arn = arn if qualifier is None else f"{arn}:{qualifier}"
    attributes = {
        "function_name": name,
        "qualifier": qualifier,
        "authorization_type": config.get("AuthType"),
        "function_url": config.get("FunctionUrl"),
    }
    label = name if qualifier is None else f"{name}:{qualifier}"
    c.add("aws_lambda_function_url", f"{qualified_arn}/url", label, attributes)


def _permissions(c: Collection, lam: Any, name: str, arn: str, qualifier: str | None) -> None:
    answer = c.optional(
        lam.get_policy,
        {"ResourceNotFoundException"},
        **_qualified({"FunctionName": name}, qualifier),
    )
    if answer is None:
        return  # no resource policy
    statements = json.loads(answer["Policy"]).get("Statement", [])
    qualified_arn = arn if qualifier is None else f"{arn}:{qualifier}"
    label = name if qualifier is None else f"{name}:{qualifier}"
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        if statement.get("Effect") != "Allow":
            continue  # a permission (aws_lambda_permission) always allows
        sid = str(statement.get("Sid") or index)
        attributes = {
            "function_name": name,
            "qualifier": qualifier,
            "statement_id": sid,
            "action": _text(statement.get("Action")),
            "principal": _principal(statement.get("Principal")),
        } | _conditions(statement.get("Condition"))
        c.add(
            "aws_lambda_permission",
            f"{qualified_arn}/permission/{sid}",
            f"{label}/{sid}",
            attributes,
        )


def _principal(principal: Any) -> str | None:
    """The one principal of a statement as Terraform names it: "*", a service or an ARN."""
    if isinstance(principal, dict):
        values = [v for value in principal.values() for v in _list(value)]
    else:
        values = _list(principal)
    if "*" in values:
        return "*"
    return str(sorted(values)[0]) if values else None


def _conditions(condition: Any) -> dict[str, str | None]:
    """The narrowing conditions Terraform models, whatever operator (StringEquals, ArnLike)."""
    found: dict[str, str | None] = dict.fromkeys(CONDITION_KEYS.values())
    for entries in (condition or {}).values() if isinstance(condition, dict) else ():
        for key, value in (entries or {}).items() if isinstance(entries, dict) else ():
            attribute = CONDITION_KEYS.get(str(key).lower())
            if attribute is not None:
                found[attribute] = _text(value)
    return found


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def _text(value: Any) -> str | None:
    values = _list(value)
    return ",".join(values) if values else None


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "lambda:GetFunctionUrlConfig",
    "lambda:GetPolicy",
    "lambda:ListAliases",
    "lambda:ListFunctions",
    "lambda:ListTags",
    "lambda:ListVersionsByFunction",
)

SERVICE = Service("lambda", collect, actions=ACTIONS)
