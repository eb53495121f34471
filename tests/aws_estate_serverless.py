"""Provision the serverless, messaging and edge estate in moto (one account, base
credentials, two regions): for every collected type a compliant resource ("good-...") and a
non-compliant one ("bad-..."), with the checks each must fail. The end-to-end test
(tests/integration/test_aws_collect_serverless.py) compares the scan with this record."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import boto3

from tests.aws_estate import Estate

ACCOUNT = "123456789012"  # moto's account for the base credentials
REGIONS = ("eu-west-1", "us-east-1")
SERVICES = (
    "lambda", "sns", "sqs", "kinesis", "events", "elb", "cloudfront", "apigateway", "acm",
    "elasticache",
)  # fmt: skip

# Values that must never reach a snapshot.
ENV_SECRET = "lambda-env-value-must-not-leak-3b9d"
AUTH_TOKEN = "elasticache-auth-token-must-not-leak-8e4f"

PRODUCTION = [{"Key": "Environment", "Value": "production"}]
# More event buses than one page of ListEventBuses (moto answers 50 at a time, with a
# NextToken, and botocore has no paginator for it), in the first region.
PAGED_BUSES = 52

Client = Callable[..., Any]


def provision(endpoint: str) -> Estate:
    estate = Estate()

    def client(service: str, region: str) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    role = client("iam", "us-east-1").create_role(
        RoleName="lambda-exec",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    for region in REGIONS:
        key = client("kms", region).create_key()["KeyMetadata"]["Arn"]
        _lambda(estate, region, client("lambda", region), role, key)
        _sns(estate, region, client("sns", region), key)
        _sqs(estate, region, client("sqs", region), key)
        _kinesis(estate, region, client("kinesis", region), key)
        _events(estate, region, client("events", region))
        _elb(estate, region, client)
        _apigateway(estate, region, client)
        _acm(estate, region, client("acm", region))
        _elasticache(estate, region, client("elasticache", region))
    _cloudfront(estate, client("cloudfront", "us-east-1"), client("wafv2", "us-east-1"))
    return estate


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def _lambda(estate: Estate, region: str, lam: Any, role: str, key: str) -> None:
    dlq = f"arn:aws:sqs:{region}:{ACCOUNT}:good-queue-dlq"
    common = {"Role": role, "Handler": "handler.handler", "Code": {"ZipFile": _zip()}}
    lam.create_function(
        FunctionName="good-function",
        Runtime="python3.12",
        Environment={"Variables": {"TABLE_NAME": "orders"}},
        KMSKeyArn=key,
        DeadLetterConfig={"TargetArn": dlq},
        TracingConfig={"Mode": "Active"},
        **common,
    )
    lam.create_function(
        FunctionName="bad-function",
        Runtime="python3.8",
        Environment={"Variables": {"DB_PASSWORD": ENV_SECRET, "TABLE_NAME": "orders"}},
        **common,
    )
    # No KMS key for variables (001), no DLQ (004), PassThrough tracing (005), a deprecated
    # runtime (006) and a secret-named variable (007).
    # moto keeps no DeadLetterConfig (CreateFunction drops it): the good function fails 004.
    estate.expect(ACCOUNT, region, "aws_lambda_function", "good-function", "AWS-LMB-004")
    estate.expect(
        ACCOUNT, region, "aws_lambda_function", "bad-function",
        "AWS-LMB-001", "AWS-LMB-004", "AWS-LMB-005", "AWS-LMB-006", "AWS-LMB-007",
    )  # fmt: skip
    lam.create_function_url_config(FunctionName="good-function", AuthType="AWS_IAM")
    lam.create_function_url_config(FunctionName="bad-function", AuthType="NONE")
    estate.expect(ACCOUNT, region, "aws_lambda_function_url", "good-function")
    estate.expect(ACCOUNT, region, "aws_lambda_function_url", "bad-function", "AWS-LMB-002")
    lam.add_permission(
        FunctionName="good-function",
        StatementId="good-s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::good-uploads",
        SourceAccount=ACCOUNT,
    )
    lam.add_permission(
        FunctionName="bad-function",
        StatementId="bad-anyone",
        Action="lambda:InvokeFunction",
        Principal="*",
    )
    estate.expect(ACCOUNT, region, "aws_lambda_permission", "good-function/good-s3")
    estate.expect(
        ACCOUNT, region, "aws_lambda_permission", "bad-function/bad-anyone", "AWS-LMB-003"
    )


def _open_policy(arn: str, action: str, condition: dict[str, Any] | None) -> str:
    statement: dict[str, Any] = {
        "Sid": "Publish",
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Resource": arn,
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _sns(estate: Estate, region: str, sns: Any, key: str) -> None:
    good = sns.create_topic(Name="good-topic", Attributes={"KmsMasterKeyId": key})["TopicArn"]
    bad = sns.create_topic(Name="bad-topic")["TopicArn"]
    own = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    sns.set_topic_attributes(
        TopicArn=good, AttributeName="Policy", AttributeValue=_open_policy(good, "sns:Publish", own)
    )
    sns.set_topic_attributes(
        TopicArn=bad, AttributeName="Policy", AttributeValue=_open_policy(bad, "sns:Publish", None)
    )
    estate.expect(ACCOUNT, region, "aws_sns_topic", "good-topic")
    estate.expect(ACCOUNT, region, "aws_sns_topic", "bad-topic", "AWS-SNS-001", "AWS-SNS-002")


def _sqs(estate: Estate, region: str, sqs: Any, key: str) -> None:
    dlq_url = sqs.create_queue(
        QueueName="good-queue-dlq", Attributes={"SqsManagedSseEnabled": "true"}
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    good_arn = f"arn:aws:sqs:{region}:{ACCOUNT}:good-queue"
    sqs.create_queue(
        QueueName="good-queue",
        Attributes={
            "KmsMasterKeyId": key,
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
            "Policy": _open_policy(
                good_arn, "sqs:SendMessage", {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:x"}}
            ),
        },
    )
    bad_arn = f"arn:aws:sqs:{region}:{ACCOUNT}:bad-queue"
    sqs.create_queue(
        QueueName="bad-queue",
        Attributes={
            "SqsManagedSseEnabled": "false",
            "Policy": _open_policy(bad_arn, "sqs:SendMessage", None),
        },
    )
    estate.expect(ACCOUNT, region, "aws_sqs_queue", "good-queue-dlq")  # a DLQ needs none
    estate.expect(ACCOUNT, region, "aws_sqs_queue", "good-queue")
    estate.expect(
        ACCOUNT, region, "aws_sqs_queue", "bad-queue", "AWS-SQS-001", "AWS-SQS-002", "AWS-SQS-003"
    )


def _kinesis(estate: Estate, region: str, kinesis: Any, key: str) -> None:
    kinesis.create_stream(StreamName="good-stream", ShardCount=1)
    kinesis.start_stream_encryption(StreamName="good-stream", EncryptionType="KMS", KeyId=key)
    kinesis.create_stream(StreamName="bad-stream", ShardCount=1)
    estate.expect(ACCOUNT, region, "aws_kinesis_stream", "good-stream")
    estate.expect(ACCOUNT, region, "aws_kinesis_stream", "bad-stream", "AWS-KIN-001")


def _events(estate: Estate, region: str, events: Any) -> None:
    events.create_event_bus(Name="good-bus")
    events.create_event_bus(Name="bad-bus")
    events.put_permission(
        EventBusName="good-bus",
        Action="events:PutEvents",
        Principal="*",
        StatementId="org",
        Condition={"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": "o-a1b2c3d4e5"},
    )
    # The whole policy, as moto writes PutPermission's Principal "*" as the ARN
    # arn:aws:iam::*:root, which the policy library does not read as everyone.
    bus_arn = f"arn:aws:events:{region}:{ACCOUNT}:event-bus/bad-bus"
    events.put_permission(
        EventBusName="bad-bus", Policy=_open_policy(bus_arn, "events:PutEvents", None)
    )
    estate.expect(ACCOUNT, region, "aws_cloudwatch_event_bus_policy", "good-bus")
    estate.expect(ACCOUNT, region, "aws_cloudwatch_event_bus_policy", "bad-bus", "AWS-EVB-001")
    if region != REGIONS[0]:
        return
    for index in range(PAGED_BUSES):
        name = f"good-paged-bus-{index:02d}"
        events.create_event_bus(Name=name)
        events.put_permission(
            EventBusName=name,
            Action="events:PutEvents",
            Principal="111111111111",
            StatementId="partner",
        )
        estate.expect(ACCOUNT, region, "aws_cloudwatch_event_bus_policy", name)


def _elb(estate: Estate, region: str, client: Client) -> None:
    ec2 = client("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    certificate = client("acm", region).request_certificate(DomainName="shop.example.com")[
        "CertificateArn"
    ]
    elbv2 = client("elbv2", region)
    arns = {
        name: elbv2.create_load_balancer(
            Name=name,
            Subnets=subnets,
            Scheme="internet-facing",
            Type="application",
            Tags=PRODUCTION,
        )["LoadBalancers"][0]["LoadBalancerArn"]
        for name in ("good-alb", "bad-alb")
    }
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arns["good-alb"],
        Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "good-alb-logs"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "routing.http.desync_mitigation_mode", "Value": "strictest"},
            {"Key": "deletion_protection.enabled", "Value": "true"},
        ],
    )
    # moto leaves access_logs.s3.enabled and drop_invalid_header_fields out of an untouched
    # load balancer (AWS answers them).
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arns["bad-alb"],
        Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "false"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "false"},
            {"Key": "routing.http.desync_mitigation_mode", "Value": "monitor"},
        ],
    )
    wafv2 = client("wafv2", region)
    acl = wafv2.create_web_acl(
        Name="good-regional",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={
            "SampledRequestsEnabled": False,
            "CloudWatchMetricsEnabled": False,
            "MetricName": "good",
        },
    )["Summary"]["ARN"]
    wafv2.associate_web_acl(WebACLArn=acl, ResourceArn=arns["good-alb"])
    estate.expect(ACCOUNT, region, "aws_lb", "good-alb")
    estate.expect(
        ACCOUNT, region, "aws_lb", "bad-alb",
        "AWS-ELB-003", "AWS-ELB-004", "AWS-ELB-005", "AWS-ELB-007", "AWS-WAF-001",
    )  # fmt: skip
    redirect = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                                       "StatusCode": "HTTP_301"}}  # fmt: skip
    fixed = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}
    elbv2.create_listener(
        LoadBalancerArn=arns["good-alb"], Protocol="HTTP", Port=80, DefaultActions=[redirect]
    )
    elbv2.create_listener(
        LoadBalancerArn=arns["good-alb"],
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[fixed],
    )
    elbv2.create_listener(
        LoadBalancerArn=arns["bad-alb"], Protocol="HTTP", Port=80, DefaultActions=[fixed]
    )
    elbv2.create_listener(
        LoadBalancerArn=arns["bad-alb"],
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-2016-08",
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[fixed],
    )
    estate.expect(ACCOUNT, region, "aws_lb_listener", "good-alb:80")
    estate.expect(ACCOUNT, region, "aws_lb_listener", "good-alb:443")
    estate.expect(ACCOUNT, region, "aws_lb_listener", "bad-alb:80", "AWS-ELB-001")
    estate.expect(ACCOUNT, region, "aws_lb_listener", "bad-alb:443", "AWS-ELB-002")
    elb = client("elb", region)
    elb.create_load_balancer(
        LoadBalancerName="good-clb",
        Listeners=[
            {
                "Protocol": "HTTPS",
                "LoadBalancerPort": 443,
                "InstanceProtocol": "HTTPS",
                "InstancePort": 8443,
                "SSLCertificateId": certificate,
            }
        ],
        AvailabilityZones=[f"{region}a"],
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName="good-clb",
        LoadBalancerAttributes={
            "AccessLog": {"Enabled": True, "S3BucketName": "good-clb-logs", "EmitInterval": 60}
        },
    )
    elb.create_load_balancer(
        LoadBalancerName="bad-clb",
        Listeners=[
            {
                "Protocol": "HTTP",
                "LoadBalancerPort": 80,
                "InstanceProtocol": "HTTP",
                "InstancePort": 8080,
            }
        ],
        AvailabilityZones=[f"{region}a"],
    )
    estate.expect(ACCOUNT, region, "aws_elb", "good-clb")
    estate.expect(ACCOUNT, region, "aws_elb", "bad-clb", "AWS-ELB-004", "AWS-ELB-006")


def _apigateway(estate: Estate, region: str, client: Client) -> None:
    rest = client("apigateway", region)
    wafv2 = client("wafv2", region)
    acl = wafv2.create_web_acl(
        Name="good-api-acl",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={
            "SampledRequestsEnabled": False,
            "CloudWatchMetricsEnabled": False,
            "MetricName": "api",
        },
    )["Summary"]["ARN"]
    for kind in ("good", "bad"):
        api = rest.create_rest_api(name=f"{kind}-api")["id"]
        root = rest.get_resources(restApiId=api)["items"][0]["id"]
        rest.put_method(
            restApiId=api,
            resourceId=root,
            httpMethod="GET",
            authorizationType="AWS_IAM" if kind == "good" else "NONE",
        )
        rest.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        deployment = rest.create_deployment(restApiId=api)["id"]
        rest.create_stage(
            restApiId=api,
            stageName="prod",
            deploymentId=deployment,
            tracingEnabled=kind == "good",
            cacheClusterEnabled=True,
            cacheClusterSize="0.5",
        )
        operations = [
            {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
            {"op": "replace", "path": "/*/*/caching/dataEncrypted", "value": str(kind == "good")},
        ]
        if kind == "good":
            operations.append({"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"})
            operations.append(
                {
                    "op": "replace",
                    "path": "/accessLogSettings/destinationArn",
                    "value": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:api-access",
                }
            )
        rest.update_stage(restApiId=api, stageName="prod", patchOperations=operations)
        if kind == "good":
            stage_arn = f"arn:aws:apigateway:{region}::/restapis/{api}/stages/prod"
            wafv2.associate_web_acl(WebACLArn=acl, ResourceArn=stage_arn)
    estate.expect(ACCOUNT, region, "aws_api_gateway_method", "good-api GET /")
    estate.expect(ACCOUNT, region, "aws_api_gateway_method", "bad-api GET /", "AWS-APIGW-002")
    estate.expect(ACCOUNT, region, "aws_api_gateway_stage", "good-api/prod")
    estate.expect(
        ACCOUNT, region, "aws_api_gateway_stage", "bad-api/prod",
        "AWS-APIGW-001", "AWS-APIGW-006", "AWS-WAF-001",
    )  # fmt: skip
    estate.expect(ACCOUNT, region, "aws_api_gateway_method_settings", "good-api/prod/*/*")
    estate.expect(
        ACCOUNT, region, "aws_api_gateway_method_settings", "bad-api/prod/*/*",
        "AWS-APIGW-005", "AWS-APIGW-007",
    )  # fmt: skip
    certificate = f"arn:aws:acm:{region}:{ACCOUNT}:certificate/0000"
    rest.create_domain_name(
        domainName="good.api.example.com",
        regionalCertificateArn=certificate,
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_2",
    )
    rest.create_domain_name(
        domainName="bad.api.example.com",
        regionalCertificateArn=certificate,
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_0",
    )
    estate.expect(ACCOUNT, region, "aws_api_gateway_domain_name", "good.api.example.com")
    estate.expect(
        ACCOUNT, region, "aws_api_gateway_domain_name", "bad.api.example.com", "AWS-APIGW-004"
    )
    v2 = client("apigatewayv2", region)
    for kind in ("good", "bad"):
        api = v2.create_api(Name=f"{kind}-http", ProtocolType="HTTP")["ApiId"]
        v2.create_route(
            ApiId=api,
            RouteKey="GET /items",
            AuthorizationType="AWS_IAM" if kind == "good" else "NONE",
        )
        logs = (
            {
                "AccessLogSettings": {
                    "DestinationArn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:x",
                    "Format": "$context.requestId",
                }
            }
            if kind == "good"
            else {}
        )
        v2.create_stage(ApiId=api, StageName="live", **logs)
        estate.expect(ACCOUNT, region, "aws_apigatewayv2_stage", f"{kind}-http/live",
                      *(() if kind == "good" else ("AWS-APIGW-001",)))  # fmt: skip
        estate.expect(ACCOUNT, region, "aws_apigatewayv2_route", f"{kind}-http GET /items",
                      *(() if kind == "good" else ("AWS-APIGW-003",)))  # fmt: skip
    v2.create_domain_name(
        DomainName="good.http.example.com",
        DomainNameConfigurations=[
            {"CertificateArn": certificate, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}
        ],
    )
    estate.expect(ACCOUNT, region, "aws_apigatewayv2_domain_name", "good.http.example.com")


def _acm(estate: Estate, region: str, acm: Any) -> None:
    # shop.example.com was requested for the listeners above: a compliant certificate too.
    acm.request_certificate(DomainName="good.example.com", KeyAlgorithm="EC_prime256v1")
    acm.request_certificate(
        DomainName="*.bad.example.com",
        Options={"CertificateTransparencyLoggingPreference": "DISABLED"},
    )
    estate.expect(ACCOUNT, region, "aws_acm_certificate", "shop.example.com")
    estate.expect(ACCOUNT, region, "aws_acm_certificate", "good.example.com")
    estate.expect(
        ACCOUNT, region, "aws_acm_certificate", "*.bad.example.com", "AWS-ACM-001", "AWS-ACM-003"
    )


def _elasticache(estate: Estate, region: str, elasticache: Any) -> None:
    elasticache.create_replication_group(
        ReplicationGroupId="good-cache",
        ReplicationGroupDescription="good",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheClusters=2,
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        AuthToken=AUTH_TOKEN,
        SnapshotRetentionLimit=7,
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
        Tags=PRODUCTION,
    )
    elasticache.create_replication_group(
        ReplicationGroupId="bad-cache",
        ReplicationGroupDescription="bad",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheClusters=1,
        Tags=PRODUCTION,
    )
    estate.expect(ACCOUNT, region, "aws_elasticache_replication_group", "good-cache")
    estate.expect(
        ACCOUNT, region, "aws_elasticache_replication_group", "bad-cache",
        "AWS-EC-001", "AWS-EC-002", "AWS-EC-003", "AWS-EC-004", "AWS-EC-005",
    )  # fmt: skip


def _cloudfront(estate: Estate, cloudfront: Any, wafv2: Any) -> None:
    acl = wafv2.create_web_acl(
        Name="good-cloudfront",
        Scope="CLOUDFRONT",
        DefaultAction={"Allow": {}},
        VisibilityConfig={
            "SampledRequestsEnabled": False,
            "CloudWatchMetricsEnabled": False,
            "MetricName": "cf",
        },
    )["Summary"]["ARN"]
    for kind in ("good", "bad"):
        good = kind == "good"
        origin = {
            "Id": "app",
            "DomainName": "origin.example.com",
            "CustomOriginConfig": {
                "HTTPPort": 80,
                "HTTPSPort": 443,
                "OriginProtocolPolicy": "https-only" if good else "http-only",
                "OriginSslProtocols": {
                    "Quantity": 1,
                    "Items": ["TLSv1.2"] if good else ["TLSv1"],
                },
            },
        }
        # An S3 origin without origin access control or identity on the bad one only: moto
        # keeps no OriginAccessControlId and answers no S3OriginConfig, so a protected S3
        # origin cannot be expressed (it would read as unprotected).
        bucket = {
            "Id": "assets",
            "DomainName": f"{kind}-assets.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }
        origins = [origin] if good else [origin, bucket]
        config: dict[str, Any] = {
            "CallerReference": kind,
            "Comment": kind,
            "Enabled": True,
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": {
                "TargetOriginId": "app",
                "ViewerProtocolPolicy": "redirect-to-https" if good else "allow-all",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
            "ViewerCertificate": {
                "CloudFrontDefaultCertificate": False,
                "ACMCertificateArn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/cf",
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            }
            if good
            else {"CloudFrontDefaultCertificate": True},
        }
        if good:
            config["WebACLId"] = acl
            config["Logging"] = {
                "Enabled": True,
                "IncludeCookies": False,
                "Bucket": "good-cf-logs.s3.amazonaws.com",
                "Prefix": "cf/",
            }
        ident = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
        estate.expect(
            ACCOUNT, None, "aws_cloudfront_distribution", ident,
            *(() if good else (
                "AWS-CF-001", "AWS-CF-002", "AWS-CF-003", "AWS-CF-004", "AWS-CF-005",
                "AWS-CF-006", "AWS-CF-007",
            )),
        )  # fmt: skip
