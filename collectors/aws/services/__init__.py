"""The AWS services the collector reads, by the name `--services` takes."""

from collectors.aws.services import (
    backup,
    cloudtrail,
    dynamodb,
    ec2,
    iam,
    kms,
    logs,
    rds,
    redshift,
    s3,
    sagemaker,
    secretsmanager,
)
from collectors.aws.services.base import Service

SERVICES: dict[str, Service] = {
    module.SERVICE.name: module.SERVICE
    for module in (
        rds,
        s3,
        kms,
        cloudtrail,
        logs,
        iam,
        ec2,
        dynamodb,
        redshift,
        backup,
        secretsmanager,
        sagemaker,
    )
}
