"""The AWS services the collector reads, by the name `--services` takes."""

from collectors.aws.services import (
    accessanalyzer,
    acm,
    apigateway,
    awslambda,
    backup,
    cloudfront,
    cloudtrail,
    cloudwatch,
    compute,
    config,
    dynamodb,
    ec2,
    ecr,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    events,
    fsx,
    guardduty,
    iam,
    kinesis,
    kms,
    logs,
    neptune,
    opensearch,
    rds,
    redshift,
    s3,
    s3control,
    sagemaker,
    secretsmanager,
    securityhub,
    sns,
    sqs,
    ssm,
    transfer,
    vpc,
)
from collectors.aws.services.base import Service

# Actions of the run itself, not of one service: listing the enabled regions.
RUN_ACTIONS = ("ec2:DescribeRegions",)

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
        compute,
        vpc,
        eks,
        ecs,
        ecr,
        awslambda,
        sns,
        sqs,
        kinesis,
        events,
        elb,
        cloudfront,
        apigateway,
        acm,
        elasticache,
        efs,
        opensearch,
        fsx,
        transfer,
        ssm,
        guardduty,
        securityhub,
        config,
        accessanalyzer,
        s3control,
        cloudwatch,
        neptune,
    )
}


def policy_actions() -> list[str]:
    """Every IAM action the collector needs: what collectors/aws/iam-policy.json grants."""
    return sorted({*RUN_ACTIONS, *(a for s in SERVICES.values() for a in s.actions)})
