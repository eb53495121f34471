"""The AWS collector: live inventory through boto3, read-only, with coverage in `sources`.

`collect_aws` is imported on first use: a scan of files never loads boto3.
"""

from typing import Any

from collectors.aws.options import AwsOptions, TagKeys

__all__ = ["AwsOptions", "TagKeys", "collect_aws"]


def __getattr__(name: str) -> Any:
    if name == "collect_aws":
        from collectors.aws.collect import collect_aws

        return collect_aws
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
