"""IAM (account-wide): account summary, password policy, users, roles, customer policies,
and the inline policies of users and groups (each its own resource, as in Terraform)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# What IAM enforces when an account has no password policy of its own.
AWS_DEFAULT_PASSWORD_POLICY: dict[str, Any] = {
    "minimum_password_length": 8,
    "require_symbols": False,
    "require_numbers": False,
    "require_uppercase_characters": False,
    "require_lowercase_characters": False,
    "allow_users_to_change_password": False,
    "max_password_age": None,
    "password_reuse_prevention": None,
    "hard_expiry": False,
}


def collect(c: Collection) -> None:
    iam = c.client("iam")
    c.each("the account summary", _account, c, iam)
    c.each("the password policy", _password_policy, c, iam)
    for user in c.pages(iam, "list_users", "Users"):
        c.each(f"user {user['UserName']}", _user, c, iam, user)
    for group in c.pages(iam, "list_groups", "Groups"):
        what = f"group {group['GroupName']}"
        c.each(what, _inline_policies, c, iam, "group", group["GroupName"], group["Arn"])
    for role in c.pages(iam, "list_roles", "Roles"):
        c.each(f"role {role['RoleName']}", _role, c, iam, role)
    for policy in c.pages(iam, "list_policies", "Policies", Scope="Local"):
        c.each(f"policy {policy['PolicyName']}", _policy, c, iam, policy)


def _account(c: Collection, iam: Any) -> None:
    summary = iam.get_account_summary()["SummaryMap"]
    attributes = {
        "account_id": c.account_id,
        "root_mfa_enabled": bool(summary.get("AccountMFAEnabled", 0)),
        "root_access_keys_present": bool(summary.get("AccountAccessKeysPresent", 0)),
    }
    c.add(
        "aws_iam_account", f"arn:{c.partition}:iam::{c.account_id}:root", c.account_id, attributes
    )


def _password_policy(c: Collection, iam: Any) -> None:
    answer = c.optional(iam.get_account_password_policy, {"NoSuchEntity"})
    address = f"arn:{c.partition}:iam::{c.account_id}:account-password-policy"
    if answer is None:  # no policy: IAM's defaults apply, and the checks judge those
        name = f"{c.account_id} (no password policy: IAM defaults)"
        c.add("aws_iam_account_password_policy", address, name, dict(AWS_DEFAULT_PASSWORD_POLICY))
        return
    policy = answer["PasswordPolicy"]
    attributes = {
        "minimum_password_length": int(policy.get("MinimumPasswordLength", 8)),
        "require_symbols": bool(policy.get("RequireSymbols", False)),
        "require_numbers": bool(policy.get("RequireNumbers", False)),
        "require_uppercase_characters": bool(policy.get("RequireUppercaseCharacters", False)),
        "require_lowercase_characters": bool(policy.get("RequireLowercaseCharacters", False)),
        "allow_users_to_change_password": bool(policy.get("AllowUsersToChangePassword", False)),
        "max_password_age": policy.get("MaxPasswordAge"),
        "password_reuse_prevention": policy.get("PasswordReusePrevention"),
        "hard_expiry": bool(policy.get("HardExpiry", False)),
    }
    c.add("aws_iam_account_password_policy", address, c.account_id, attributes)


def _user(c: Collection, iam: Any, user: dict[str, Any]) -> None:
    name = user["UserName"]
    attributes: dict[str, Any] = {
        "name": name,
        "arn": user["Arn"],
        "path": user.get("Path", "/"),
        # Absent when the password was never used (or the user has none): null.
        "password_last_used_days": _days_since(user.get("PasswordLastUsed"), c.collected_at),
    }
    what = f"user {name}"
    login: dict[str, Any] = {}
    c.item(what, login, "profile", _login_profile, c, iam, name)
    if "profile" in login:
        attributes["password_enabled"] = login["profile"] is not None
        if login["profile"] is not None:
            created = login["profile"]["CreateDate"]
            attributes["password_age_days"] = _age_days(created, c.collected_at)
    c.item(what, attributes, "mfa_enabled", _has_mfa, c, iam, name)
    c.item(what, attributes, "access_keys", _access_keys, c, iam, what, name)
    c.item(what, attributes, "attached_policy_arns", _attached_user_policies, c, iam, name)
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _user_tags, c, iam, name)
    c.add("aws_iam_user", user["Arn"], name, attributes, tags.get("tags", {}))
    c.each(f"{what}'s inline policies", _inline_policies, c, iam, "user", name, user["Arn"])


def _inline_policies(c: Collection, iam: Any, kind: str, owner: str, owner_arn: str) -> None:
    """One aws_iam_user_policy / aws_iam_group_policy per inline policy of a user or group
    (a role's stay on the role, as Terraform's inline_policy blocks)."""
    listing = "list_user_policies" if kind == "user" else "list_group_policies"
    read = iam.get_user_policy if kind == "user" else iam.get_group_policy
    owner_key = "UserName" if kind == "user" else "GroupName"
    for policy_name in c.pages(iam, listing, "PolicyNames", **{owner_key: owner}):
        document = read(**{owner_key: owner, "PolicyName": policy_name})["PolicyDocument"]
        attributes = {"name": policy_name, kind: owner, "policy": document}
        address = f"{owner_arn}/inline-policy/{policy_name}"
        c.add(f"aws_iam_{kind}_policy", address, f"{owner}:{policy_name}", attributes)


def _login_profile(c: Collection, iam: Any, name: str) -> dict[str, Any] | None:
    """The user's console password settings (never the password); None when it has none."""
    answer = c.optional(iam.get_login_profile, {"NoSuchEntity"}, UserName=name)
    return None if answer is None else dict(answer["LoginProfile"])


def _has_mfa(c: Collection, iam: Any, name: str) -> bool:
    return any(True for _ in c.pages(iam, "list_mfa_devices", "MFADevices", UserName=name))


def _access_keys(c: Collection, iam: Any, what: str, name: str) -> list[dict[str, Any]]:
    keys = []
    for key in c.pages(iam, "list_access_keys", "AccessKeyMetadata", UserName=name):
        entry = {
            "access_key_id": mask_key_id(key["AccessKeyId"]),
            "status": key["Status"],
            "age_days": _age_days(key["CreateDate"], c.collected_at),
            "create_date": key["CreateDate"].isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        # One key's unread last use leaves its last_used_days out, not the whole list.
        c.item(what, entry, "last_used_days", _key_last_used, c, iam, key["AccessKeyId"])
        keys.append(entry)
    return keys


def _key_last_used(c: Collection, iam: Any, key_id: str) -> int | None:
    """Whole days since the key was last used; None when it never was."""
    used = iam.get_access_key_last_used(AccessKeyId=key_id).get("AccessKeyLastUsed", {})
    return _days_since(used.get("LastUsedDate"), c.collected_at)


def _attached_user_policies(c: Collection, iam: Any, name: str) -> list[str]:
    listing = c.pages(iam, "list_attached_user_policies", "AttachedPolicies", UserName=name)
    return sorted(p["PolicyArn"] for p in listing)


def mask_key_id(key_id: str) -> str:
    """Enough of an access key id to find it in the console, not the whole credential id."""
    return f"{key_id[:4]}...{key_id[-4:]}" if len(key_id) > 8 else "****"


def _age_days(created: datetime, now: datetime) -> int:
    return max(0, (now - created).days)


def _days_since(when: datetime | None, now: datetime) -> int | None:
    return None if when is None else _age_days(when, now)


def _user_tags(c: Collection, iam: Any, name: str) -> dict[str, str]:
    return tag_map(list(c.pages(iam, "list_user_tags", "Tags", UserName=name)))


def _role(c: Collection, iam: Any, role: dict[str, Any]) -> None:
    name = role["RoleName"]
    attributes: dict[str, Any] = {
        "name": name,
        "arn": role["Arn"],
        "path": role.get("Path", "/"),
        "assume_role_policy": role.get("AssumeRolePolicyDocument"),  # botocore decodes it
        "max_session_duration": int(role.get("MaxSessionDuration", 3600)),
    }
    what = f"role {name}"
    c.item(what, attributes, "managed_policy_arns", _attached_role_policies, c, iam, name)
    c.item(what, attributes, "inline_policy", _inline_role_policies, c, iam, name)
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _role_tags, c, iam, name)
    c.add("aws_iam_role", role["Arn"], name, attributes, tags.get("tags", {}))


def _attached_role_policies(c: Collection, iam: Any, name: str) -> list[str]:
    listing = c.pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)
    return sorted(p["PolicyArn"] for p in listing)


def _inline_role_policies(c: Collection, iam: Any, name: str) -> list[dict[str, Any]]:
    return [
        {
            "name": policy_name,
            "policy": iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"],
        }
        for policy_name in c.pages(iam, "list_role_policies", "PolicyNames", RoleName=name)
    ]


def _role_tags(c: Collection, iam: Any, name: str) -> dict[str, str]:
    return tag_map(list(c.pages(iam, "list_role_tags", "Tags", RoleName=name)))


def _policy(c: Collection, iam: Any, policy: dict[str, Any]) -> None:
    arn = policy["Arn"]
    attributes: dict[str, Any] = {
        "name": policy["PolicyName"],
        "arn": arn,
        "path": policy.get("Path", "/"),
        "attachment_count": policy.get("AttachmentCount"),
    }
    what = f"policy {policy['PolicyName']}"
    c.item(what, attributes, "policy", _policy_document, iam, arn, policy["DefaultVersionId"])
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _policy_tags, c, iam, arn)
    c.add("aws_iam_policy", arn, policy["PolicyName"], attributes, tags.get("tags", {}))


def _policy_document(iam: Any, arn: str, version: str) -> dict[str, Any]:
    document: dict[str, Any] = iam.get_policy_version(PolicyArn=arn, VersionId=version)[
        "PolicyVersion"
    ]["Document"]
    return document


def _policy_tags(c: Collection, iam: Any, arn: str) -> dict[str, str]:
    return tag_map(list(c.pages(iam, "list_policy_tags", "Tags", PolicyArn=arn)))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "iam:GetAccountPasswordPolicy",
    "iam:GetAccessKeyLastUsed",
    "iam:GetAccountSummary",
    "iam:GetGroupPolicy",
    "iam:GetLoginProfile",
    "iam:GetPolicyVersion",
    "iam:GetRolePolicy",
    "iam:GetUserPolicy",
    "iam:ListAccessKeys",
    "iam:ListAttachedRolePolicies",
    "iam:ListAttachedUserPolicies",
    "iam:ListGroupPolicies",
    "iam:ListGroups",
    "iam:ListMFADevices",
    "iam:ListPolicies",
    "iam:ListPolicyTags",
    "iam:ListRolePolicies",
    "iam:ListRoleTags",
    "iam:ListRoles",
    "iam:ListUserPolicies",
    "iam:ListUserTags",
    "iam:ListUsers",
)

SERVICE = Service("iam", collect, is_global=True, actions=ACTIONS)
