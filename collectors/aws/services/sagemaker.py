"""SageMaker models, endpoint configurations, endpoints and notebook instances.

Not stored: container environment variables (they often carry credentials) and
notebook URLs (they open a session in the notebook).
"""

from __future__ import annotations

from typing import Any

from collectors.aws.model import first_tag, tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    sagemaker = c.client("sagemaker")
    # Each item is described separately: one that fails (or was just deleted) is recorded
    # and the rest are still collected.
    for listed in c.pages(sagemaker, "list_models", "Models"):
        name = listed["ModelName"]
        c.each(f"model {name}", _model, c, sagemaker, name)
    for listed in c.pages(sagemaker, "list_endpoint_configs", "EndpointConfigs"):
        name = listed["EndpointConfigName"]
        c.each(f"endpoint configuration {name}", _endpoint_config, c, sagemaker, name)
    for listed in c.pages(sagemaker, "list_endpoints", "Endpoints"):
        name = listed["EndpointName"]
        c.each(f"endpoint {name}", _endpoint, c, sagemaker, name)
    for listed in c.pages(sagemaker, "list_notebook_instances", "NotebookInstances"):
        name = listed["NotebookInstanceName"]
        c.each(f"notebook instance {name}", _notebook, c, sagemaker, name)


def _endpoint(c: Collection, sagemaker: Any, name: str) -> None:
    endpoint = sagemaker.describe_endpoint(EndpointName=name)
    attributes = {
        "name": endpoint["EndpointName"],
        "endpoint_config_name": endpoint.get("EndpointConfigName", ""),
        "endpoint_status": endpoint.get("EndpointStatus"),
    }
    _add(c, sagemaker, "aws_sagemaker_endpoint", endpoint["EndpointArn"], attributes)


def _add(c: Collection, sagemaker: Any, kind: str, arn: str, attributes: dict[str, Any]) -> None:
    c.add(
        kind,
        arn,
        attributes["name"],
        attributes,
        _read_tags(c, sagemaker, kind, attributes["name"], arn),
    )


def _read_tags(c: Collection, sagemaker: Any, kind: str, name: str, arn: str) -> dict[str, str]:
    tags: dict[str, Any] = {}
    c.item(f"{kind} {name}", tags, "tags", _tags, c, sagemaker, arn)
    found: dict[str, str] = tags.get("tags", {})
    return found


def _model(c: Collection, sagemaker: Any, name: str) -> None:
    model = sagemaker.describe_model(ModelName=name)
    container = model.get("PrimaryContainer") or (model.get("Containers") or [{}])[0]
    vpc = model.get("VpcConfig")
    attributes: dict[str, Any] = {
        "name": model["ModelName"],
        "execution_role_arn": model.get("ExecutionRoleArn", ""),
        "enable_network_isolation": bool(model.get("EnableNetworkIsolation", False)),
        "vpc_config": None
        if not vpc
        else {
            "subnets": list(vpc.get("Subnets", [])),
            "security_group_ids": list(vpc.get("SecurityGroupIds", [])),
        },
        "primary_container": {
            "image": container.get("Image", ""),
            "model_data_url": container.get("ModelDataUrl"),
            "mode": container.get("Mode", "SingleModel"),
        },
    }
    tags = _read_tags(c, sagemaker, "aws_sagemaker_model", model["ModelName"], model["ModelArn"])
    # Not AWS attributes: what the model's owners record in tags (see the inventory schema).
    keys = c.account.options.tag_keys
    attributes["model_family"] = first_tag(tags, keys.model_family)
    tested_on = first_tag(tags, keys.adversarial_testing_date)
    report = first_tag(tags, keys.adversarial_testing_report)
    attributes["adversarial_testing"] = (
        None
        if tested_on is None and report is None
        else {"performed": True, "date": tested_on, "report_uri": report}
    )
    c.add("aws_sagemaker_model", model["ModelArn"], model["ModelName"], attributes, tags)


def _endpoint_config(c: Collection, sagemaker: Any, name: str) -> None:
    config = sagemaker.describe_endpoint_config(EndpointConfigName=name)
    capture = config.get("DataCaptureConfig")
    attributes: dict[str, Any] = {
        "name": config["EndpointConfigName"],
        "kms_key_arn": config.get("KmsKeyId"),
        "production_variants": [
            {
                "variant_name": v.get("VariantName", ""),
                "model_name": v.get("ModelName", ""),
                "instance_type": v.get("InstanceType"),
                "initial_instance_count": v.get("InitialInstanceCount"),
            }
            for v in config.get("ProductionVariants", [])
        ],
        "data_capture_config": None
        if not capture
        else {
            "enable_capture": bool(capture.get("EnableCapture", False)),
            "initial_sampling_percentage": int(capture.get("InitialSamplingPercentage", 0)),
            "destination_s3_uri": capture.get("DestinationS3Uri", ""),
            "kms_key_id": capture.get("KmsKeyId"),
            "capture_options": [
                {"capture_mode": o["CaptureMode"]} for o in capture.get("CaptureOptions", [])
            ],
        },
    }
    _add(
        c,
        sagemaker,
        "aws_sagemaker_endpoint_configuration",
        config["EndpointConfigArn"],
        attributes,
    )


def _notebook(c: Collection, sagemaker: Any, name: str) -> None:
    notebook = sagemaker.describe_notebook_instance(NotebookInstanceName=name)
    attributes: dict[str, Any] = {
        "name": notebook["NotebookInstanceName"],
        "instance_type": notebook.get("InstanceType", ""),
        "role_arn": notebook.get("RoleArn", ""),
        "kms_key_id": notebook.get("KmsKeyId"),
        "direct_internet_access": notebook.get("DirectInternetAccess", "Enabled"),
        "root_access": notebook.get("RootAccess", "Enabled"),
        "subnet_id": notebook.get("SubnetId"),
        "security_groups": list(notebook.get("SecurityGroups", [])),
        "volume_size": int(notebook.get("VolumeSizeInGB", 5)),
        "platform_identifier": notebook.get("PlatformIdentifier", ""),
    }
    _add(
        c, sagemaker, "aws_sagemaker_notebook_instance", notebook["NotebookInstanceArn"], attributes
    )


def _tags(c: Collection, sagemaker: Any, arn: str) -> dict[str, str]:
    return tag_map(list(c.pages(sagemaker, "list_tags", "Tags", ResourceArn=arn)))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "sagemaker:DescribeEndpoint",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DescribeModel",
    "sagemaker:DescribeNotebookInstance",
    "sagemaker:ListEndpointConfigs",
    "sagemaker:ListEndpoints",
    "sagemaker:ListModels",
    "sagemaker:ListNotebookInstances",
    "sagemaker:ListTags",
)

SERVICE = Service("sagemaker", collect, actions=ACTIONS)
