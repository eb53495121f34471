"""AWS Config recorders with their recording status. A region without a recorder gets one
that records nothing (recording_group.all_supported = false, is_enabled = false), so the
gap is a finding, not silence."""

from __future__ import annotations

from typing import Any

from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    config = c.client("config")
    # Neither call pages: a region has at most one recorder.
    recorders = config.describe_configuration_recorders().get("ConfigurationRecorders", [])
    for recorder in recorders:
        c.each(f"recorder {recorder['name']}", _recorder, c, config, recorder)
    if not recorders:
        c.add(
            "aws_config_configuration_recorder",
            c.arn("config", "configuration-recorder"),
            "none",
            {
                "role_arn": None,
                "recording_group": {
                    "all_supported": False,
                    "include_global_resource_types": False,
                    "resource_types": [],
                },
                "is_enabled": False,
            },
        )


def _recorder(c: Collection, config: Any, recorder: dict[str, Any]) -> None:
    name = recorder["name"]
    group = recorder.get("recordingGroup")
    attributes: dict[str, Any] = {
        "name": name,
        "role_arn": recorder.get("roleARN"),
        "recording_group": None if group is None else _group(group),
    }
    c.item(f"recorder {name}", attributes, "is_enabled", _recording, config, name)
    address = recorder.get("arn") or c.arn("config", f"configuration-recorder/{name}")
    c.add("aws_config_configuration_recorder", address, name, attributes)


def _group(group: dict[str, Any]) -> dict[str, Any]:
    strategy = group.get("recordingStrategy")
    return {
        "all_supported": bool(group.get("allSupported", False)),
        "include_global_resource_types": bool(group.get("includeGlobalResourceTypes", False)),
        "resource_types": list(group.get("resourceTypes", [])),
        "recording_strategy": None if strategy is None else {"use_only": strategy.get("useOnly")},
    }


def _recording(config: Any, name: str) -> bool:
    answer = config.describe_configuration_recorder_status(ConfigurationRecorderNames=[name])
    statuses = answer.get("ConfigurationRecordersStatus", [])
    return any(bool(s.get("recording", False)) for s in statuses)


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "config:DescribeConfigurationRecorderStatus",
    "config:DescribeConfigurationRecorders",
)

SERVICE = Service("config", collect, actions=ACTIONS)
