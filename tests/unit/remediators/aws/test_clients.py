"""RemediationClients without a network: caching, regions, the botocore settings."""

from __future__ import annotations

from remediators.aws.clients import AwsRemediationOptions, RemediationClients
from tests.aws_scan import base_credentials

ENDPOINT = "http://127.0.0.1:9"


def test_clients_are_cached_per_service_and_region() -> None:
    with base_credentials():
        clients = RemediationClients(AwsRemediationOptions(endpoint_url=ENDPOINT))
        ec2 = clients.client("ec2", "eu-west-1")
        assert clients.client("ec2", "eu-west-1") is ec2
        assert clients.client("ec2", "us-east-1") is not ec2
        assert clients.client("kms", "eu-west-1") is not ec2
        assert ec2.meta.endpoint_url == ENDPOINT
        assert ec2.meta.region_name == "eu-west-1"


def test_account_wide_calls_go_to_the_configured_region() -> None:
    with base_credentials():
        configured = RemediationClients(
            AwsRemediationOptions(endpoint_url=ENDPOINT, region="eu-central-1")
        )
        assert configured.client("iam", "").meta.region_name == "eu-central-1"
        # No region in the options: the profile's (AWS_DEFAULT_REGION in the base credentials).
        profile = RemediationClients(AwsRemediationOptions(endpoint_url=ENDPOINT))
        assert profile.client("iam", "").meta.region_name == "eu-west-1"


def test_retries_and_timeouts_are_bounded() -> None:
    with base_credentials():
        clients = RemediationClients(
            AwsRemediationOptions(endpoint_url=ENDPOINT), max_attempts=2, connect_timeout=1.5
        )
        config = clients.client("dynamodb", "eu-west-1").meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}
    assert config.connect_timeout == 1.5
    assert config.read_timeout == 30.0
