"""Load balancers: application, network and gateway (elbv2: aws_lb, aws_lb_listener) and
classic (aws_elb). An ALB's WAFv2 web ACL (aws_wafv2_web_acl_association) is folded in."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    elbv2 = c.client("elbv2")
    for lb in c.pages(elbv2, "describe_load_balancers", "LoadBalancers"):
        c.each(f"load balancer {lb['LoadBalancerName']}", _load_balancer, c, elbv2, lb)
    elb = c.client("elb")
    for lb in c.pages(elb, "describe_load_balancers", "LoadBalancerDescriptions"):
        c.each(f"classic load balancer {lb['LoadBalancerName']}", _classic, c, elb, lb)


def _load_balancer(c: Collection, elbv2: Any, lb: dict[str, Any]) -> None:
    arn, name, kind = lb["LoadBalancerArn"], lb["LoadBalancerName"], lb.get("Type", "application")
    what = f"load balancer {name}"
    attributes: dict[str, Any] = {
        "name": name,
        "arn": arn,
        "load_balancer_type": kind,
        "internal": lb.get("Scheme") == "internal",
    }
    c.item(what, attributes, "settings", _settings, elbv2, arn)
    attributes |= _lb_attributes(attributes.pop("settings", None), kind)
    if kind == "application":
        c.item(what, attributes, "web_acl_arn", _web_acl, c, arn)
    else:  # WAF cannot be associated with network or gateway load balancers
        attributes["web_acl_arn"] = None
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _v2_tags, elbv2, arn)
    c.add("aws_lb", arn, name, attributes, tags.get("tags", {}))
    for listener in c.pages(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=arn):
        _listener(c, name, listener)


def _settings(elbv2: Any, arn: str) -> dict[str, str]:
    answer = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)
    return {a["Key"]: str(a.get("Value", "")) for a in answer.get("Attributes", [])}


def _lb_attributes(settings: dict[str, str] | None, kind: str) -> dict[str, Any]:
    """The Terraform attributes read from the load balancer's attribute keys. A key the answer
    lacks is left out (the checks say indeterminate) unless it cannot apply to this type."""
    if settings is None:
        return {}
    found: dict[str, Any] = {}

    def flag(key: str, attribute: str) -> None:
        if key in settings:
            found[attribute] = settings[key].lower() == "true"

    flag("deletion_protection.enabled", "enable_deletion_protection")
    if "access_logs.s3.enabled" in settings:
        found["access_logs"] = {
            "bucket": settings.get("access_logs.s3.bucket") or None,
            "enabled": settings["access_logs.s3.enabled"].lower() == "true",
            "prefix": settings.get("access_logs.s3.prefix") or None,
        }
    if kind == "application":
        flag("routing.http.drop_invalid_header_fields.enabled", "drop_invalid_header_fields")
        if "routing.http.desync_mitigation_mode" in settings:
            found["desync_mitigation_mode"] = settings["routing.http.desync_mitigation_mode"]
    else:  # HTTP settings of application load balancers only
        found["drop_invalid_header_fields"] = None
        found["desync_mitigation_mode"] = None
    return found


def _web_acl(c: Collection, arn: str) -> str | None:
    answer = c.client("wafv2").get_web_acl_for_resource(ResourceArn=arn)
    acl = answer.get("WebACL") or {}
    return str(acl["ARN"]) if acl.get("ARN") else None


def _v2_tags(elbv2: Any, arn: str) -> dict[str, str]:
    for found in elbv2.describe_tags(ResourceArns=[arn]).get("TagDescriptions", []):
        if found.get("ResourceArn") == arn:
            return tag_map(found.get("Tags"))
    return {}


def _listener(c: Collection, lb_name: str, listener: dict[str, Any]) -> None:
    certificates = listener.get("Certificates") or []
    attributes = {
        "arn": listener["ListenerArn"],
        "load_balancer_arn": listener.get("LoadBalancerArn"),
        "port": listener.get("Port"),
        "protocol": listener.get("Protocol"),
        "ssl_policy": listener.get("SslPolicy") or None,
        "certificate_arn": certificates[0].get("CertificateArn") if certificates else None,
        "default_action": [_action(a) for a in listener.get("DefaultActions", [])],
    }
    name = f"{lb_name}:{listener.get('Port')}"
    c.add("aws_lb_listener", listener["ListenerArn"], name, attributes)


def _action(action: dict[str, Any]) -> dict[str, Any]:
    redirect = action.get("RedirectConfig")
    return {
        "type": action.get("Type"),
        "redirect": None
        if not redirect
        else {
            "protocol": redirect.get("Protocol"),
            "port": redirect.get("Port"),
            "status_code": redirect.get("StatusCode"),
        },
    }


def _classic(c: Collection, elb: Any, lb: dict[str, Any]) -> None:
    name = lb["LoadBalancerName"]
    what = f"classic load balancer {name}"
    attributes: dict[str, Any] = {
        "name": name,
        "arn": c.arn("elasticloadbalancing", f"loadbalancer/{name}"),
        "internal": lb.get("Scheme") == "internal",
        "listener": [
            {
                "lb_port": listener.get("LoadBalancerPort"),
                "lb_protocol": listener.get("Protocol"),
                "instance_port": listener.get("InstancePort"),
                "instance_protocol": listener.get("InstanceProtocol"),
                "ssl_certificate_id": listener.get("SSLCertificateId"),
            }
            for listener in (d.get("Listener", {}) for d in lb.get("ListenerDescriptions", []))
        ],
    }
    c.item(what, attributes, "access_logs", _classic_logs, elb, name)
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _classic_tags, elb, name)
    c.add("aws_elb", attributes["arn"], name, attributes, tags.get("tags", {}))


def _classic_logs(elb: Any, name: str) -> dict[str, Any] | None:
    found = elb.describe_load_balancer_attributes(LoadBalancerName=name)
    log = found.get("LoadBalancerAttributes", {}).get("AccessLog") or {}
    if not log.get("Enabled") and not log.get("S3BucketName"):
        return None  # never configured
    return {
        "bucket": log.get("S3BucketName") or None,
        "enabled": bool(log.get("Enabled", False)),
        "bucket_prefix": log.get("S3BucketPrefix") or None,
        "interval": log.get("EmitInterval"),
    }


def _classic_tags(elb: Any, name: str) -> dict[str, str]:
    for found in elb.describe_tags(LoadBalancerNames=[name]).get("TagDescriptions", []):
        if found.get("LoadBalancerName") == name:
            return tag_map(found.get("Tags"))
    return {}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "wafv2:GetWebACLForResource",
)

SERVICE = Service("elb", collect, actions=ACTIONS)
