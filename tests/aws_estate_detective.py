"""Provision, in moto, the storage, detective-control and monitoring estate of wave 2: for
each type a compliant resource ("good-...") and a non-compliant one ("bad-..."), and the
CloudTrail metric-filter join (a trail whose log group has the CIS filters and alarms,
and one with no log group). Account A is hardened in both regions; account B has no
detective control at all, so each of its regions shows the gaps as findings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3

from tests.aws_estate import BAD_TAGS, GOOD_TAGS, Estate, session_for

ACCOUNT_A, ACCOUNT_B = "333333333333", "444444444444"
ACCOUNTS = (ACCOUNT_A, ACCOUNT_B)
REGIONS = ("eu-west-1", "us-east-1")
FILLER_PARAMETERS = 11  # more than moto's page of DescribeParameters (10)
SECRET_PARAMETER_VALUE = "ssm-parameter-value-must-not-leak-2b8d"

CIS_ALARM_CHECKS = Path(__file__).resolve().parents[1] / "policies/checks/aws/cloudwatch"
OPENSEARCH_CHECKS = tuple(f"AWS-OS-00{n}" for n in range(1, 8))


def _tags(tags: dict[str, str], **extra: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {**tags, **extra}.items()]


def cis_filters() -> dict[str, str]:
    """Check id -> a filter pattern holding that CIS alarm check's required comparisons."""
    patterns: dict[str, str] = {}
    for path in sorted(CIS_ALARM_CHECKS.glob("*_alarm.rego")):
        text = path.read_text()
        check = re.search(r"id: (AWS-CW-\d+)", text)
        block = re.search(r"^_required := \[(.*?)^\]", text, re.S | re.M)
        if not check or not block:
            continue
        terms = [a or b for a, b in re.findall(r'`([^`]*)`|"((?:[^"\\]|\\.)*)"', block.group(1))]
        patterns[check.group(1)] = "{ (" + ") && (".join(terms) + ") }"
    return patterns


def provision(endpoint: str) -> Estate:
    estate = Estate()
    for account in ACCOUNTS:
        session = session_for(endpoint, account)

        def client(service: str, region: str, s: boto3.Session = session) -> Any:
            return s.client(service, region_name=region, endpoint_url=endpoint)

        hardened = account == ACCOUNT_A
        for region in REGIONS:
            _detective(estate, account, region, client, hardened)
        if hardened:
            s3control = client("s3control", "us-east-1")
            s3control.meta.events.register("before-sign.s3-control", _no_account_host)
            s3control.put_public_access_block(
                AccountId=account,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
            estate.expect(account, None, "aws_s3_account_public_access_block", account)
            _storage(estate, account, "eu-west-1", client, with_fillers=True)
            _storage(estate, account, "us-east-1", client, with_fillers=False)
            _trails(estate, account, "eu-west-1", client)
        else:  # never set: all four flags off
            estate.expect(
                account, None, "aws_s3_account_public_access_block", account, "AWS-S3-101"
            )
    return estate


def _no_account_host(request: Any, **_: Any) -> None:
    from collectors.aws.services.s3control import _no_account_host as strip

    strip(request)


def _detective(estate: Estate, account: str, region: str, client: Any, hardened: bool) -> None:
    if hardened:
        client("guardduty", region).create_detector(
            Enable=True,
            Features=[{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}],
        )
        detector = client("guardduty", region).list_detectors()["DetectorIds"][0]
        estate.expect(account, region, "aws_guardduty_detector", detector)
        client("securityhub", region).enable_security_hub(EnableDefaultStandards=True)
        estate.expect(account, region, "aws_securityhub_account", "default")
        # moto does not implement GetEnabledStandards: the hub's standards stay unknown.
        estate.expect_indeterminate(
            account, region, "aws_securityhub_account", "default", "AWS-SH-002"
        )
        config = client("config", region)
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": f"arn:aws:iam::{account}:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
            }
        )
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "cfg"})
        config.start_configuration_recorder(ConfigurationRecorderName="default")
        estate.expect(account, region, "aws_config_configuration_recorder", "default")
    else:  # nothing turned on: one resource per region says so
        # No detector: suspended (001), and none of its protections on (002).
        estate.expect(account, region, "aws_guardduty_detector", "none", "AWS-GD-001", "AWS-GD-002")
        estate.expect(account, region, "aws_securityhub_account", "default", "AWS-SH-001")
        estate.expect(
            account, region, "aws_config_configuration_recorder", "none",
            "AWS-CFG-001", "AWS-CFG-002",
        )  # fmt: skip


def _storage(estate: Estate, account: str, region: str, client: Any, with_fillers: bool) -> None:
    key = client("kms", region).create_key(Description="storage")["KeyMetadata"]["Arn"]
    efs = client("efs", region)
    efs.create_file_system(
        CreationToken="good-efs", Encrypted=True, KmsKeyId=key, Backup=True,
        Tags=_tags(GOOD_TAGS, Name="good-efs"),
    )  # fmt: skip
    efs.create_file_system(CreationToken="bad-efs", Tags=_tags(BAD_TAGS, Name="bad-efs"))
    estate.expect(account, region, "aws_efs_file_system", "good-efs")
    # Unencrypted, so no customer key for its classified data, and no backup policy.
    estate.expect(
        account, region, "aws_efs_file_system", "bad-efs", "AWS-EFS-001", "AWS-EFS-002",
        "AWS-EFS-003",
    )  # fmt: skip

    search = client("opensearch", region)
    search.create_domain(
        DomainName="good-search",
        EngineVersion="OpenSearch_2.11",
        EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": key},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={
            "EnforceHTTPS": True,
            "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07",
        },
        VPCOptions={"SubnetIds": ["subnet-0123456789abcdef0"], "SecurityGroupIds": ["sg-1"]},
        AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": False},
        LogPublishingOptions={
            "AUDIT_LOGS": {
                "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{region}:{account}:log-group:audit",
                "Enabled": True,
            }
        },
        ClusterConfig={"ZoneAwarenessEnabled": True, "InstanceCount": 2},
        TagList=_tags(GOOD_TAGS),
    )
    estate.expect(account, region, "aws_opensearch_domain", "good-search")
    # Production domains in one zone (008), with none of the other protections.
    for name, engine, kind in (
        ("bad-search", "OpenSearch_2.11", "aws_opensearch_domain"),
        ("bad-elastic", "Elasticsearch_7.10", "aws_elasticsearch_domain"),
    ):
        search.create_domain(DomainName=name, EngineVersion=engine, TagList=_tags(BAD_TAGS))
        estate.expect(account, region, kind, name, *OPENSEARCH_CHECKS, "AWS-OS-008")

    fsx = client("fsx", region)
    fsx.create_file_system(
        FileSystemType="WINDOWS", StorageCapacity=32, SubnetIds=["subnet-0123456789abcdef0"],
        KmsKeyId=key, Tags=_tags(GOOD_TAGS, Name="good-fsx"),
        WindowsConfiguration={"ThroughputCapacity": 8, "AutomaticBackupRetentionDays": 14},
    )  # fmt: skip
    estate.expect(account, region, "aws_fsx_windows_file_system", "good-fsx")
    fsx.create_file_system(
        FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=["subnet-0123456789abcdef0"],
        Tags=_tags(BAD_TAGS, Name="bad-fsx"),
        LustreConfiguration={"DeploymentType": "PERSISTENT_2", "AutomaticBackupRetentionDays": 0},
    )  # fmt: skip
    # No key named (the AWS-managed one) for classified data; backups off.
    estate.expect(
        account, region, "aws_fsx_lustre_file_system", "bad-fsx", "AWS-FSX-001", "AWS-FSX-002"
    )

    transfer = client("transfer", region)
    transfer.create_server(
        EndpointType="VPC", Protocols=["SFTP"],
        SecurityPolicyName="TransferSecurityPolicy-2024-01",
        Tags=_tags(GOOD_TAGS, Name="good-sftp"),
    )  # fmt: skip
    estate.expect(account, region, "aws_transfer_server", "good-sftp")
    transfer.create_server(
        EndpointType="PUBLIC", Protocols=["FTP"],
        SecurityPolicyName="TransferSecurityPolicy-2018-11", Tags=_tags(BAD_TAGS, Name="bad-ftp"),
    )  # fmt: skip
    estate.expect(
        account, region, "aws_transfer_server", "bad-ftp", "AWS-TRF-001", "AWS-TRF-002",
        "AWS-TRF-003",
    )  # fmt: skip

    ssm = client("ssm", region)
    ssm.put_parameter(
        Name="/good/db-password", Value=SECRET_PARAMETER_VALUE, Type="SecureString", KeyId=key,
        Tags=_tags(GOOD_TAGS),
    )  # fmt: skip
    estate.expect(account, region, "aws_ssm_parameter", "/good/db-password")
    ssm.put_parameter(
        Name="/bad/db-password", Value=SECRET_PARAMETER_VALUE, Type="String", Tags=_tags(BAD_TAGS)
    )
    estate.expect(
        account, region, "aws_ssm_parameter", "/bad/db-password", "AWS-SSM-001", "AWS-SSM-002"
    )
    for n in range(FILLER_PARAMETERS if with_fillers else 0):
        ssm.put_parameter(Name=f"/filler/setting-{n:02d}", Value="on", Type="String")
        estate.expect(account, region, "aws_ssm_parameter", f"/filler/setting-{n:02d}")

    cloudwatch = client("cloudwatch", region)
    for name, actions in (
        ("good-alarm", [f"arn:aws:sns:{region}:{account}:ops"]),
        ("bad-alarm", []),
    ):
        cloudwatch.put_metric_alarm(
            AlarmName=name, MetricName="Errors", Namespace="App", Statistic="Sum", Period=300,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=actions,
        )  # fmt: skip
    estate.expect(account, region, "aws_cloudwatch_metric_alarm", "good-alarm")
    estate.expect(account, region, "aws_cloudwatch_metric_alarm", "bad-alarm", "AWS-CW-103")


def _trails(estate: Estate, account: str, region: str, client: Any) -> None:
    """good-trail delivers to a log group with every CIS filter and an alarm that acts on
    each; bad-trail delivers to a log group with no metric filter."""
    bucket = f"trail-logs-{account}"
    client("s3", region).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
    )
    logs, cloudwatch = client("logs", region), client("cloudwatch", region)
    logs.create_log_group(logGroupName="cloudtrail/good-trail")
    topic = f"arn:aws:sns:{region}:{account}:security-alerts"
    for check, pattern in cis_filters().items():
        metric = check.replace("-", "")
        logs.put_metric_filter(
            logGroupName="cloudtrail/good-trail", filterName=check.lower(), filterPattern=pattern,
            metricTransformations=[
                {"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1"}
            ],
        )  # fmt: skip
        alarm = f"cis-{check.lower()}"
        cloudwatch.put_metric_alarm(
            AlarmName=alarm, MetricName=metric, Namespace="CISBenchmark", Statistic="Sum",
            Period=300, EvaluationPeriods=1, Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic],
        )  # fmt: skip
        estate.expect(account, region, "aws_cloudwatch_metric_alarm", alarm)
    trail = client("cloudtrail", region)
    trail.create_trail(
        Name="good-trail", S3BucketName=bucket, IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=client("kms", region).create_key()["KeyMetadata"]["Arn"],
        CloudWatchLogsLogGroupArn=(
            f"arn:aws:logs:{region}:{account}:log-group:cloudtrail/good-trail:*"
        ),
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/trail-to-logs",
    )  # fmt: skip
    trail.start_logging(Name="good-trail")
    trail.put_event_selectors(
        TrailName="good-trail",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            }
        ],
    )
    logs.create_log_group(logGroupName="cloudtrail/bad-trail")
    trail.create_trail(
        Name="bad-trail", S3BucketName=bucket, IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{region}:{account}:log-group:cloudtrail/bad-trail:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/trail-to-logs",
    )  # fmt: skip
    estate.expect(account, region, "aws_cloudtrail", "good-trail")
    # Not logging, no key, no validation, no S3 data events, and a log group without
    # metric filters: every CIS alarm check fails on it.
    estate.expect(
        account, region, "aws_cloudtrail", "bad-trail",
        "AWS-CT-002", "AWS-CT-003", "AWS-CT-004", "AWS-CT-006", "AWS-CT-007",
        *cis_filters(),
    )  # fmt: skip
