# ruff: noqa: E501 - plan fixtures read best one change per line
"""The plan adapter folds the wave-2 split and attached resources into what they configure:
flow logs and VPC endpoints into their VPC, policy attachments into the user or role,
GuardDuty features into the detector, WAF associations into the load balancer or stage,
Security Hub standards into the account, a trail's metric filters and their alarms into
the trail, and single-value splits (EFS backup policy, Config recorder status, secret
policy, S3 ownership controls and MFA delete, Redshift parameter group). A parent the plan
creates starts with empty lists; one it only updates keeps them missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory
from tests.conftest import write_json
from tests.plan_builder import resource_change

ACCOUNT = "111111111111"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCOUNT}:security-alarms"
GROUP_ARN = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:trail-events:*"


def _inventory(
    tmp_path: Path, changes: list[dict[str, Any]], configuration: dict[str, Any] | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    document: dict[str, Any] = {"format_version": "1.2", "resource_changes": changes}
    if configuration is not None:
        document["configuration"] = configuration
    inventory = load_inventory(write_json(tmp_path / "plan.json", document))
    [source] = inventory.document["sources"]
    return {r["address"]: r for r in inventory.resources}, source


def test_flow_logs_and_endpoints_attach_to_their_vpc(tmp_path: Path) -> None:
    found, source = _inventory(tmp_path, [
        resource_change("aws_vpc.main", "aws_vpc", {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}, ["create"]),
        resource_change("aws_vpc.bare", "aws_vpc", {"id": "vpc-2", "cidr_block": "10.1.0.0/16"}, ["create"]),
        resource_change("aws_vpc.old", "aws_vpc", {"id": "vpc-3", "cidr_block": "10.2.0.0/16"}, ["update"]),
        resource_change("aws_flow_log.main", "aws_flow_log", {"vpc_id": "vpc-1", "traffic_type": "REJECT", "log_destination_type": "s3"}, ["create"]),
        resource_change("aws_flow_log.subnet", "aws_flow_log", {"subnet_id": "subnet-9", "traffic_type": "ALL"}, ["create"]),
        resource_change("aws_vpc_endpoint.s3", "aws_vpc_endpoint", {"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"}, ["create"]),
        resource_change("aws_vpc_endpoint.kms", "aws_vpc_endpoint", {"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.kms"}, ["create"], {"vpc_endpoint_type": True}),
    ])  # fmt: skip
    main = found["aws_vpc.main"]
    assert main["attributes"]["flow_logs"] == [
        {"traffic_type": "REJECT", "log_destination_type": "s3", "log_destination": None}
    ]
    assert main["attributes"]["vpc_endpoints"] == [
        {"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"},
        {"service_name": "com.amazonaws.eu-west-1.kms", "vpc_endpoint_type": "Gateway"},
    ]
    assert "vpc_endpoints.1" in main["unknown"]  # its type is known only after apply
    # Created with nothing attached: known empty. Only updated: may have some outside.
    assert found["aws_vpc.bare"]["attributes"]["flow_logs"] == []
    assert found["aws_vpc.bare"]["attributes"]["vpc_endpoints"] == []
    assert "flow_logs" not in found["aws_vpc.old"]["attributes"]
    assert found["aws_vpc.old"]["attributes"]["is_default"] is False  # that one is aws_default_vpc
    # The subnet's flow log is not a VPC's: neither attached nor counted as unmatched.
    assert set(found) == {"aws_vpc.main", "aws_vpc.bare", "aws_vpc.old"}
    assert source["status"] == "complete", source["detail"]
    assert "3 split resources folded in" in source["detail"]


def test_policy_attachments_follow_references(tmp_path: Path) -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    configuration = {"root_module": {"resources": [
        {"address": "aws_iam_user_policy_attachment.a", "expressions": {"user": {"references": ["aws_iam_user.alice.name", "aws_iam_user.alice"]}}},
        {"address": "aws_iam_role_policy_attachment.r", "expressions": {"role": {"references": ["aws_iam_role.app.name", "aws_iam_role.app"]}}},
    ]}}  # fmt: skip
    found, source = _inventory(tmp_path, [
        resource_change("aws_iam_user.alice", "aws_iam_user", {"name": "alice", "path": "/"}, ["create"]),
        resource_change("aws_iam_user.bob", "aws_iam_user", {"name": "bob", "path": "/"}, ["create"]),
        resource_change("aws_iam_role.app", "aws_iam_role", {"name": "app", "path": "/"}, ["create"], {"managed_policy_arns": True}),
        resource_change("aws_iam_user_policy_attachment.a", "aws_iam_user_policy_attachment", {"policy_arn": admin}, ["create"], {"user": True}),
        resource_change("aws_iam_role_policy_attachment.r", "aws_iam_role_policy_attachment", {"policy_arn": admin}, ["create"], {"role": True}),
    ], configuration)  # fmt: skip
    assert found["aws_iam_user.alice"]["attributes"]["attached_policy_arns"] == [admin]
    assert found["aws_iam_user.bob"]["attributes"]["attached_policy_arns"] == []
    role = found["aws_iam_role.app"]
    assert role["attributes"]["managed_policy_arns"] == [admin]
    assert "managed_policy_arns" not in role["unknown"]
    assert source["status"] == "complete", source["detail"]


def test_detective_controls_take_their_features_standards_and_status(tmp_path: Path) -> None:
    cis = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
    found, source = _inventory(tmp_path, [
        resource_change("aws_guardduty_detector.main", "aws_guardduty_detector", {"id": "det-1", "enable": True}, ["update"]),
        resource_change("aws_guardduty_detector_feature.s3", "aws_guardduty_detector_feature", {"detector_id": "det-1", "name": "S3_DATA_EVENTS", "status": "ENABLED"}, ["create"]),
        resource_change("aws_securityhub_account.main", "aws_securityhub_account", {"enable_default_standards": False}, ["create"]),
        resource_change("aws_securityhub_standards_subscription.cis", "aws_securityhub_standards_subscription", {"standards_arn": cis}, ["create"]),
        resource_change("aws_accessanalyzer_analyzer.main", "aws_accessanalyzer_analyzer", {"analyzer_name": "main"}, ["create"]),
        resource_change("aws_accessanalyzer_analyzer.unused", "aws_accessanalyzer_analyzer", {"analyzer_name": "unused", "type": "ACCOUNT_UNUSED_ACCESS"}, ["create"]),
        resource_change("aws_config_configuration_recorder.main", "aws_config_configuration_recorder", {"name": "default"}, ["create"]),
        resource_change("aws_config_configuration_recorder_status.main", "aws_config_configuration_recorder_status", {"name": "default", "is_enabled": True}, ["create"]),
    ])  # fmt: skip
    assert found["aws_guardduty_detector.main"]["attributes"]["features"] == [
        {"name": "S3_DATA_EVENTS", "status": "ENABLED"}
    ]
    hub = found["aws_securityhub_account.main"]["attributes"]
    assert (hub["enabled"], hub["standards"]) == (True, [cis])
    assert found["aws_accessanalyzer_analyzer.main"]["attributes"]["enabled"] is True
    assert found["aws_accessanalyzer_analyzer.unused"]["attributes"]["enabled"] is False
    assert found["aws_config_configuration_recorder.main"]["attributes"]["is_enabled"] is True
    assert source["status"] == "complete", source["detail"]


def test_standards_with_two_hub_accounts_are_placed_nowhere(tmp_path: Path) -> None:
    found, source = _inventory(tmp_path, [
        resource_change("aws_securityhub_account.a", "aws_securityhub_account", {}, ["create"]),
        resource_change("aws_securityhub_account.b", "aws_securityhub_account", {}, ["create"]),
        resource_change("aws_securityhub_standards_subscription.x", "aws_securityhub_standards_subscription", {"standards_arn": "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"}, ["create"]),
    ])  # fmt: skip
    assert "standards" not in found["aws_securityhub_account.a"]["attributes"]
    assert source["status"] == "partial"
    assert "1 split resources whose target is not in the plan" in source["detail"]


def test_waf_association_gives_the_load_balancer_its_web_acl(tmp_path: Path) -> None:
    lb_arn = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/app/web/1"
    found, source = _inventory(tmp_path, [
        resource_change("aws_lb.web", "aws_lb", {"name": "web", "arn": lb_arn, "internal": False}, ["update"]),
        resource_change("aws_lb.api", "aws_lb", {"name": "api", "internal": False}, ["create"], {"arn": True}),
        resource_change("aws_wafv2_web_acl_association.web", "aws_wafv2_web_acl_association", {"resource_arn": lb_arn}, ["create"], {"web_acl_arn": True}),
        resource_change("aws_wafv2_web_acl_association.gone", "aws_wafv2_web_acl_association", {"resource_arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/other/2", "web_acl_arn": "arn:x"}, ["create"]),
    ])  # fmt: skip
    web = found["aws_lb.web"]
    assert "web_acl_arn" in web["unknown"]  # the ACL is created in the same plan
    assert source["status"] == "partial"  # the second association's target is elsewhere


def test_single_value_splits_fold_into_their_parent(tmp_path: Path) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ],
    }
    secret_arn = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf"
    found, source = _inventory(tmp_path, [
        resource_change("aws_efs_file_system.data", "aws_efs_file_system", {"id": "fs-1", "creation_token": "data", "encrypted": True}, ["update"]),
        resource_change("aws_efs_backup_policy.data", "aws_efs_backup_policy", {"file_system_id": "fs-1", "backup_policy": [{"status": "ENABLED"}]}, ["create"]),
        resource_change("aws_secretsmanager_secret.db", "aws_secretsmanager_secret", {"name": "db", "arn": secret_arn}, ["update"]),
        resource_change("aws_secretsmanager_secret_policy.db", "aws_secretsmanager_secret_policy", {"secret_arn": secret_arn, "policy": json.dumps(policy)}, ["create"]),
        resource_change("aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": "corp-logs"}, ["create"]),
        resource_change("aws_s3_bucket_ownership_controls.logs", "aws_s3_bucket_ownership_controls", {"bucket": "corp-logs", "rule": [{"object_ownership": "BucketOwnerEnforced"}]}, ["create"]),
        resource_change("aws_s3_bucket_acl.logs", "aws_s3_bucket_acl", {"bucket": "corp-logs", "access_control_policy": [{"grant": [{"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}], "permission": "READ"}], "owner": [{"id": "abc"}]}]}, ["create"]),
        resource_change("aws_s3_bucket_versioning.logs", "aws_s3_bucket_versioning", {"bucket": "corp-logs", "versioning_configuration": [{"status": "Enabled", "mfa_delete": "Disabled"}]}, ["create"]),
        resource_change("aws_redshift_cluster.dw", "aws_redshift_cluster", {"cluster_identifier": "dw", "cluster_parameter_group_name": "dw-tls"}, ["create"]),
        resource_change("aws_redshift_parameter_group.tls", "aws_redshift_parameter_group", {"name": "dw-tls", "family": "redshift-1.0", "parameter": [{"name": "require_ssl", "value": "true"}]}, ["create"]),
    ])  # fmt: skip
    assert found["aws_efs_file_system.data"]["attributes"]["backup_policy"] == {"status": "ENABLED"}
    assert found["aws_secretsmanager_secret.db"]["attributes"]["policy"] == policy
    bucket = found["aws_s3_bucket.logs"]["attributes"]
    assert bucket["object_ownership"] == "BucketOwnerEnforced"
    assert (bucket["acl"], bucket["grants"]) == (
        None,
        [
            {
                "type": "Group",
                "uri": "http://acs.amazonaws.com/groups/global/AllUsers",
                "id": None,
                "permission": "READ",
            }
        ],
    )
    assert bucket["versioning"] == {"status": "Enabled", "mfa_delete": "Disabled"}
    assert found["aws_redshift_cluster.dw"]["attributes"]["parameter_group"] == {
        "name": "dw-tls", "family": "redshift-1.0", "parameters": {"require_ssl": "true"}
    }  # fmt: skip
    assert "aws_redshift_parameter_group.tls" not in found
    assert source["status"] == "complete", source["detail"]


def _filter(name: str, pattern: str, metric: str, group: str = "trail-events") -> dict[str, Any]:
    return resource_change(f"aws_cloudwatch_log_metric_filter.{name}", "aws_cloudwatch_log_metric_filter", {
        "name": name, "pattern": pattern, "log_group_name": group,
        "metric_transformation": [{"name": metric, "namespace": "CISBenchmark", "value": "1"}],
    }, ["create"])  # fmt: skip


def _alarm(
    name: str, metric: str, actions: list[Any] | None, unknown: dict[str, Any] | None = None
) -> dict[str, Any]:
    return resource_change(f"aws_cloudwatch_metric_alarm.{name}", "aws_cloudwatch_metric_alarm", {
        "alarm_name": name, "metric_name": metric, "namespace": "CISBenchmark", "alarm_actions": actions,
    }, ["create"], unknown)  # fmt: skip


def test_a_trail_gets_the_metric_filters_and_alarms_of_its_log_group(tmp_path: Path) -> None:
    root = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
    found, source = _inventory(tmp_path, [
        resource_change("aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group", {"name": "trail-events", "arn": GROUP_ARN[:-2]}, ["create"]),
        resource_change("aws_cloudwatch_log_group.other", "aws_cloudwatch_log_group", {"name": "app"}, ["create"]),
        resource_change("aws_cloudtrail.main", "aws_cloudtrail", {"name": "main", "is_multi_region_trail": True, "cloud_watch_logs_group_arn": GROUP_ARN}, ["create"]),
        resource_change("aws_cloudtrail.plain", "aws_cloudtrail", {"name": "plain", "cloud_watch_logs_group_arn": None}, ["create"]),
        _filter("root", root, "RootUsage"),
        _filter("unwatched", "{ $.eventName = DeleteTrail }", "TrailChanges"),
        _filter("elsewhere", "{ $.errorCode = \"AccessDenied*\" }", "Denied", group="app"),
        _alarm("root", "RootUsage", [TOPIC]),
        _alarm("root-pending", "RootUsage", [], {"alarm_actions": [True]}),
    ])  # fmt: skip
    trail = found["aws_cloudtrail.main"]["attributes"]
    assert trail["metric_filters"] == [
        {"name": "root", "pattern": root, "metric_name": "RootUsage", "metric_namespace": "CISBenchmark",
         "alarms": [{"name": "root", "actions": [TOPIC], "actions_enabled": True},
                    {"name": "root-pending", "actions": ["(known after apply)"], "actions_enabled": True}]},
        {"name": "unwatched", "pattern": "{ $.eventName = DeleteTrail }", "metric_name": "TrailChanges",
         "metric_namespace": "CISBenchmark", "alarms": []},
    ]  # fmt: skip
    # No log group: nothing can watch its events, a known empty list.
    assert found["aws_cloudtrail.plain"]["attributes"]["metric_filters"] == []
    assert source["status"] == "complete", source["detail"]


def test_an_alarm_whose_metric_is_unknown_leaves_the_filters_undecided(tmp_path: Path) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group", {"name": "trail-events"}, ["create"]),
        resource_change("aws_cloudtrail.main", "aws_cloudtrail", {"name": "main", "cloud_watch_logs_group_arn": GROUP_ARN}, ["update"]),
        _filter("root", "{ $.userIdentity.type = \"Root\" }", "RootUsage"),
        _alarm("maybe", "RootUsage", [TOPIC], {"metric_name": True}),
    ])  # fmt: skip
    trail = found["aws_cloudtrail.main"]
    assert trail["attributes"]["metric_filters"][0]["alarms"] == []
    assert "metric_filters.0" in trail["unknown"]


def test_a_trail_whose_log_group_is_outside_the_plan_has_no_metric_filters(tmp_path: Path) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_cloudtrail.main", "aws_cloudtrail", {"name": "main", "cloud_watch_logs_group_arn": GROUP_ARN}, ["update"]),
        _filter("root", "{ $.userIdentity.type = \"Root\" }", "RootUsage"),
    ])  # fmt: skip
    assert "metric_filters" not in found["aws_cloudtrail.main"]["attributes"]


def test_an_attachment_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    path = write_json(tmp_path / "plan.json", {"format_version": "1.2", "resource_changes": [
        resource_change("aws_flow_log.x", "aws_flow_log", {"vpc_id": "vpc-1", "traffic_type": ["ALL"]}, ["create"]),
    ]})  # fmt: skip
    with pytest.raises(
        InputError, match=r"resource_changes\[0\]\.change\.after\.traffic_type: expected a string"
    ):
        load_inventory(path)


def test_created_resources_start_from_aws_defaults_that_folds_then_override(tmp_path: Path) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_secretsmanager_secret.new", "aws_secretsmanager_secret", {"name": "new"}, ["create"], {"policy": True, "arn": True}),
        resource_change("aws_efs_file_system.new", "aws_efs_file_system", {"creation_token": "new", "encrypted": True}, ["create"], {"id": True}),
        resource_change("aws_config_configuration_recorder.new", "aws_config_configuration_recorder", {"name": "new"}, ["create"]),
        resource_change("aws_s3_bucket.new", "aws_s3_bucket", {"bucket": "corp-new"}, ["create"], {"acl": True}),
        resource_change("aws_s3_bucket.public", "aws_s3_bucket", {"bucket": "corp-public"}, ["create"]),
        resource_change("aws_s3_bucket_acl.public", "aws_s3_bucket_acl", {"bucket": "corp-public", "acl": "public-read"}, ["create"]),
        resource_change("aws_s3_bucket.kept", "aws_s3_bucket", {"bucket": "corp-kept"}, ["update"]),
    ])  # fmt: skip
    secret = found["aws_secretsmanager_secret.new"]
    assert secret["attributes"]["policy"] is None
    assert "policy" not in secret["unknown"]
    assert found["aws_efs_file_system.new"]["attributes"]["backup_policy"] is None
    assert found["aws_config_configuration_recorder.new"]["attributes"]["is_enabled"] is False
    new = found["aws_s3_bucket.new"]
    assert (new["attributes"]["acl"], new["attributes"]["object_ownership"]) == (
        "private",
        "BucketOwnerEnforced",
    )
    assert "acl" not in new["unknown"]
    assert found["aws_s3_bucket.public"]["attributes"]["acl"] == "public-read"  # the fold decides
    assert (
        "object_ownership" not in found["aws_s3_bucket.kept"]["attributes"]
    )  # may be set elsewhere


def test_an_unplaced_split_resource_makes_created_defaults_unknown(tmp_path: Path) -> None:
    # Inside a module `bucket = var.bucket_id` names no resource, and a bucket_prefix
    # bucket's name is known only after apply: the ACL is not placed. It may be this
    # bucket's, so the created bucket's private default is not known any more.
    configuration = {"root_module": {"resources": [
        {"address": "aws_s3_bucket_acl.open", "expressions": {"bucket": {"references": ["var.bucket_id"]}}},
    ]}}  # fmt: skip
    found, source = _inventory(tmp_path, [
        resource_change("aws_s3_bucket.new", "aws_s3_bucket", {"bucket_prefix": "corp-"}, ["create"], {"bucket": True, "id": True}),
        resource_change("aws_s3_bucket_acl.open", "aws_s3_bucket_acl", {"acl": "public-read"}, ["create"], {"bucket": True}),
        resource_change("aws_iam_role.app", "aws_iam_role", {"name": "app"}, ["create"], {"managed_policy_arns": True}),
        resource_change("aws_iam_role.other", "aws_iam_role", {"name": "other"}, ["create"], {"managed_policy_arns": True}),
        # Known name of a role the plan creates twice over (by_value ambiguous): unplaced,
        # and only the roles of that name lose their default.
        resource_change("aws_iam_role_policy_attachment.admin", "aws_iam_role_policy_attachment", {"role": "app", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}, ["create"]),
        resource_change("aws_iam_role.app_copy", "aws_iam_role", {"name": "app"}, ["create"], {"managed_policy_arns": True}),
        # A flow log of a VPC outside the plan (a known ID no created VPC can have).
        resource_change("aws_vpc.new", "aws_vpc", {"cidr_block": "10.0.0.0/16"}, ["create"], {"id": True}),
        resource_change("aws_flow_log.old", "aws_flow_log", {"vpc_id": "vpc-0abc", "traffic_type": "ALL"}, ["create"]),
    ], configuration)  # fmt: skip
    assert source["status"] == "partial"
    bucket = found["aws_s3_bucket.new"]
    assert "acl" in bucket["unknown"]
    assert bucket["attributes"]["object_ownership"] == "BucketOwnerEnforced"  # not the ACL's
    assert "object_ownership" not in bucket["unknown"]
    assert "managed_policy_arns" in found["aws_iam_role.app"]["unknown"]
    assert "managed_policy_arns" in found["aws_iam_role.app_copy"]["unknown"]
    assert "managed_policy_arns" not in found["aws_iam_role.other"]["unknown"]
    assert found["aws_iam_role.other"]["attributes"]["managed_policy_arns"] == []
    assert found["aws_vpc.new"]["attributes"]["flow_logs"] == []
    assert "flow_logs" not in found["aws_vpc.new"]["unknown"]


def test_a_guardduty_feature_replaces_the_updated_detectors_listed_feature(tmp_path: Path) -> None:
    listed = [
        {"name": "S3_DATA_EVENTS", "status": "ENABLED"},
        {"name": "EKS_AUDIT_LOGS", "status": "ENABLED"},
    ]
    found, _ = _inventory(tmp_path, [
        resource_change("aws_guardduty_detector.main", "aws_guardduty_detector", {"id": "det-1", "enable": True, "features": listed}, ["update"]),
        resource_change("aws_guardduty_detector_feature.s3", "aws_guardduty_detector_feature", {"detector_id": "det-1", "name": "S3_DATA_EVENTS", "status": "DISABLED"}, ["update"]),
        resource_change("aws_guardduty_detector_feature.rds", "aws_guardduty_detector_feature", {"detector_id": "det-1", "name": "RDS_LOGIN_EVENTS", "status": "ENABLED"}, ["create"]),
    ])  # fmt: skip
    features = found["aws_guardduty_detector.main"]["attributes"]["features"]
    by_name = {f["name"]: f["status"] for f in features}
    assert len(features) == 3
    assert by_name == {
        "S3_DATA_EVENTS": "DISABLED",
        "EKS_AUDIT_LOGS": "ENABLED",
        "RDS_LOGIN_EVENTS": "ENABLED",
    }


def test_an_alarm_whose_actions_are_unknown_as_a_whole_is_not_read_as_acting(
    tmp_path: Path,
) -> None:
    # `alarm_actions = local.topics` known only after apply may be empty, and
    # `actions_enabled` known only after apply may be false: both stay unknown.
    found, _ = _inventory(tmp_path, [
        resource_change("aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group", {"name": "trail-events"}, ["create"]),
        resource_change("aws_cloudtrail.main", "aws_cloudtrail", {"name": "main", "cloud_watch_logs_group_arn": GROUP_ARN}, ["create"]),
        _filter("root", "{ $.userIdentity.type = \"Root\" }", "RootUsage"),
        _alarm("pending", "RootUsage", None, {"alarm_actions": True}),
        _alarm("switch", "RootUsage", [TOPIC], {"actions_enabled": True}),
    ])  # fmt: skip
    trail = found["aws_cloudtrail.main"]
    assert [a["actions"] for a in trail["attributes"]["metric_filters"][0]["alarms"]] == [
        [],
        [TOPIC],
    ]
    assert {
        "metric_filters.0.alarms.0.actions",
        "metric_filters.0.alarms.1.actions_enabled",
    } <= set(trail["unknown"])
    assert "metric_filters.0" not in trail["unknown"]


def test_policy_attachment_lists_and_exclusive_attachments_reach_their_principals(
    tmp_path: Path,
) -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    found, source = _inventory(tmp_path, [
        resource_change("aws_iam_user.alice", "aws_iam_user", {"name": "alice", "path": "/"}, ["create"]),
        resource_change("aws_iam_user.bob", "aws_iam_user", {"name": "bob", "path": "/"}, ["create"]),
        resource_change("aws_iam_role.app", "aws_iam_role", {"name": "app", "path": "/"}, ["create"], {"managed_policy_arns": True}),
        resource_change("aws_iam_role.ci", "aws_iam_role", {"name": "ci", "path": "/"}, ["create"], {"managed_policy_arns": True}),
        resource_change("aws_iam_policy_attachment.admins", "aws_iam_policy_attachment",
                        {"name": "admins", "policy_arn": admin, "users": ["alice"], "roles": ["app"], "groups": []}, ["create"]),
        resource_change("aws_iam_role_policy_attachments_exclusive.ci", "aws_iam_role_policy_attachments_exclusive",
                        {"role_name": "ci", "policy_arns": [read_only]}, ["create"]),
    ])  # fmt: skip
    assert found["aws_iam_user.alice"]["attributes"]["attached_policy_arns"] == [admin]
    assert found["aws_iam_user.bob"]["attributes"]["attached_policy_arns"] == []
    assert found["aws_iam_role.app"]["attributes"]["managed_policy_arns"] == [admin]
    assert found["aws_iam_role.ci"]["attributes"]["managed_policy_arns"] == [read_only]
    assert source["status"] == "complete", source["detail"]


def test_a_policy_attachment_whose_users_are_unknown_leaves_every_new_user_undecided(
    tmp_path: Path,
) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_iam_user.alice", "aws_iam_user", {"name": "alice", "path": "/"}, ["create"]),
        resource_change("aws_iam_policy_attachment.x", "aws_iam_policy_attachment",
                        {"name": "x", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}, ["create"], {"users": True}),
    ])  # fmt: skip
    assert "attached_policy_arns" in found["aws_iam_user.alice"]["unknown"]


def test_a_new_bucket_with_a_public_acl_is_not_read_as_acls_disabled(tmp_path: Path) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_s3_bucket.open", "aws_s3_bucket", {"bucket": "corp-open", "acl": "public-read"}, ["create"]),
        resource_change("aws_s3_bucket.quiet", "aws_s3_bucket", {"bucket": "corp-quiet"}, ["create"]),
    ])  # fmt: skip
    assert "object_ownership" in found["aws_s3_bucket.open"]["unknown"]
    assert found["aws_s3_bucket.quiet"]["attributes"]["object_ownership"] == "BucketOwnerEnforced"
    assert "object_ownership" not in found["aws_s3_bucket.quiet"]["unknown"]


def test_a_new_trail_delivering_to_a_group_outside_the_plan_keeps_its_filters_undecided(
    tmp_path: Path,
) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_cloudtrail.outside", "aws_cloudtrail", {"name": "outside", "cloud_watch_logs_group_arn": GROUP_ARN}, ["create"]),
        resource_change("aws_cloudtrail.none", "aws_cloudtrail", {"name": "none", "cloud_watch_logs_group_arn": None}, ["update"]),
    ])  # fmt: skip
    assert "metric_filters" not in found["aws_cloudtrail.outside"]["attributes"]
    assert found["aws_cloudtrail.none"]["attributes"]["metric_filters"] == []  # no group at all


def test_a_new_one_zone_file_system_keeps_its_backup_policy_undecided(tmp_path: Path) -> None:
    found, _ = _inventory(tmp_path, [
        resource_change("aws_efs_file_system.zone", "aws_efs_file_system",
                        {"creation_token": "zone", "encrypted": True, "availability_zone_name": "eu-west-1a"}, ["create"]),
    ])  # fmt: skip
    assert "backup_policy" not in found["aws_efs_file_system.zone"]["attributes"]
