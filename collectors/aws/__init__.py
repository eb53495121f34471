"""The AWS collector: live inventory through boto3, read-only, with coverage in `sources`."""

from collectors.aws.collect import collect_aws
from collectors.aws.options import AwsOptions, TagKeys

__all__ = ["AwsOptions", "TagKeys", "collect_aws"]
