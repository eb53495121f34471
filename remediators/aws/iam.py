"""The IAM account password policy (one per account)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from remediators.aws._common import (
    CREDENTIAL_MAX_AGE_DAYS,
    MINIMUM_PASSWORD_LENGTH,
    PASSWORD_REUSE_PREVENTION,
    AwsFixer,
    account_of,
)
from remediators.base import Change

# The policy's fields: inventory name -> API name, as GetAccountPasswordPolicy gives them.
FIELDS = {
    "minimum_password_length": "MinimumPasswordLength",
    "require_symbols": "RequireSymbols",
    "require_numbers": "RequireNumbers",
    "require_uppercase_characters": "RequireUppercaseCharacters",
    "require_lowercase_characters": "RequireLowercaseCharacters",
    "allow_users_to_change_password": "AllowUsersToChangePassword",
    "max_password_age": "MaxPasswordAge",
    "password_reuse_prevention": "PasswordReusePrevention",
    "hard_expiry": "HardExpiry",
}
UNSET_AS_ZERO = ("max_password_age", "password_reuse_prevention")
CLASSES = (
    "require_symbols",
    "require_numbers",
    "require_uppercase_characters",
    "require_lowercase_characters",
)


class PasswordPolicy(AwsFixer):
    check_id = "AWS-IAM-006"
    resource_types = ("aws_iam_account_password_policy",)
    service = "iam"
    actions = (
        "iam:DeleteAccountPasswordPolicy",
        "iam:GetAccountPasswordPolicy",
        "iam:UpdateAccountPasswordPolicy",
    )

    def __init__(
        self,
        minimum_length: int = MINIMUM_PASSWORD_LENGTH,
        reuse_prevention: int = PASSWORD_REUSE_PREVENTION,
        max_age_days: int = CREDENTIAL_MAX_AGE_DAYS,
    ) -> None:
        self.minimum_length = minimum_length
        self.reuse_prevention = reuse_prevention
        self.max_age_days = max_age_days

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """Every field of the policy (null when AWS leaves it out), None when there is none."""
        iam = target.client("iam", "")
        try:
            policy = iam.get_account_password_policy()["PasswordPolicy"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
                return None
            raise
        return {name: policy.get(key) for name, key in FIELDS.items()}

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        """The check's minimums; a stricter existing value is kept, and so are the
        settings the check does not judge."""
        now = dict(current or {})
        age = now.get("max_password_age")
        reuse = now.get("password_reuse_prevention")
        return {
            "minimum_password_length": max(
                int(now.get("minimum_password_length") or 0), self.minimum_length
            ),
            **dict.fromkeys(CLASSES, True),
            "allow_users_to_change_password": bool(
                now.get("allow_users_to_change_password", True)
                if current is not None
                # A new policy lets users change their own passwords: with expiry on,
                # they could otherwise be locked out (describe says so).
                else True
            ),
            "max_password_age": age
            if isinstance(age, int) and 0 < age <= self.max_age_days
            else self.max_age_days,
            "password_reuse_prevention": max(int(reuse or 0), self.reuse_prevention),
            "hard_expiry": bool(now.get("hard_expiry") or False),
        }

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        iam = target.client("iam", "")
        if value is None:
            iam.delete_account_password_policy()
            return
        # UpdateAccountPasswordPolicy replaces the whole policy: a field left out takes
        # its default. "Never expire" and "no reuse limit" (null, or 0 as some answers
        # say) are said by leaving the field out: the API refuses 0 for both.
        request = {
            key: value[name]
            for name, key in FIELDS.items()
            if value.get(name) is not None and not (name in UNSET_AS_ZERO and value[name] == 0)
        }
        iam.update_account_password_policy(**request)

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        account = account_of(resource)
        radius = [
            f"every IAM user of account {account} with a console password: the next password "
            f"set must have {proposed['minimum_password_length']} or more characters with "
            "symbols, numbers, upper and lower case letters, and differ from the last "
            f"{proposed['password_reuse_prevention']}",
            f"passwords of account {account} older than {proposed['max_password_age']} days "
            "expire: their users must choose a new one at the next sign-in"
            + (
                " (with hard expiry, an administrator must reset it)"
                if proposed["hard_expiry"]
                else ""
            ),
        ]
        if current is None:
            radius.append(
                f"account {account} has no password policy now: the new one also lets every "
                "IAM user change their own password; a rollback deletes it"
            )
        return Change(
            summary=f"Strengthen the IAM account password policy of account {account}",
            setting="PasswordPolicy",
            current=current,
            proposed=proposed,
            blast_radius=tuple(radius),
            impact="account",
        )


FIXERS = (PasswordPolicy(),)
