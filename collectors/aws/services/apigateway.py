"""API Gateway: REST APIs (stages, their method settings, methods) and HTTP/WebSocket APIs
(v2: stages, routes), and custom domain names. A REST stage's WAFv2 web ACL comes with the
stage (webAclArn). REST and v2 APIs list the same custom domains: each is collected once, as
aws_api_gateway_domain_name when the REST listing has it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from collectors.aws.services.base import Collection, Service

# Terraform's method settings, by the API's names.
METHOD_SETTINGS = {
    "metricsEnabled": "metrics_enabled",
    "loggingLevel": "logging_level",
    "dataTraceEnabled": "data_trace_enabled",
    "throttlingBurstLimit": "throttling_burst_limit",
    "throttlingRateLimit": "throttling_rate_limit",
    "cachingEnabled": "caching_enabled",
    "cacheTtlInSeconds": "cache_ttl_in_seconds",
    "cacheDataEncrypted": "cache_data_encrypted",
    "requireAuthorizationForCacheControl": "require_authorization_for_cache_control",
    "unauthorizedCacheControlHeaderStrategy": "unauthorized_cache_control_header_strategy",
}


def collect(c: Collection) -> None:
    rest = c.client("apigateway")
    for api in c.pages(rest, "get_rest_apis", "items"):
        c.each(f"REST API {api['id']}", _rest_api, c, rest, api)
    domains: set[str] = set()
    for domain in c.pages(rest, "get_domain_names", "items"):
        domains.add(domain["domainName"])
        attributes = {
            "domain_name": domain["domainName"],
            "arn": _arn(c, f"/domainnames/{domain['domainName']}"),
            "security_policy": domain.get("securityPolicy"),
        }
        c.add(
            "aws_api_gateway_domain_name",
            attributes["arn"],
            domain["domainName"],
            attributes,
            domain.get("tags"),
        )
    v2 = c.client("apigatewayv2")
    for api in c.pages(v2, "get_apis", "Items"):
        c.each(f"API {api['ApiId']}", _v2_api, c, v2, api)
    for domain in c.pages(v2, "get_domain_names", "Items"):
        if domain["DomainName"] not in domains:
            _v2_domain(c, domain)


def _arn(c: Collection, path: str) -> str:
    return f"arn:{c.partition}:apigateway:{c.region}::{path}"


def _rest_api(c: Collection, rest: Any, api: dict[str, Any]) -> None:
    ident, api_name = api["id"], api.get("name", api["id"])
    for stage in rest.get_stages(restApiId=ident).get("item", []):
        _stage(c, ident, api_name, stage)
    for resource in c.pages(rest, "get_resources", "items", restApiId=ident, embed=["methods"]):
        for verb, method in (resource.get("resourceMethods") or {}).items():
            c.each(
                f"method {verb} {resource.get('path')} of REST API {ident}",
                _method,
                c,
                rest,
                ident,
                api_name,
                resource,
                verb,
                method,
            )


def _stage(c: Collection, ident: str, api_name: str, stage: dict[str, Any]) -> None:
    name = stage["stageName"]
    logs = stage.get("accessLogSettings") or {}
    arn = _arn(c, f"/restapis/{ident}/stages/{name}")
    attributes = {
        "stage_name": name,
        "rest_api_id": ident,
        "arn": arn,
        "access_log_settings": None
        if not logs.get("destinationArn")
        else {"destination_arn": logs["destinationArn"], "format": logs.get("format")},
        "xray_tracing_enabled": bool(stage.get("tracingEnabled", False)),
        "cache_cluster_enabled": bool(stage.get("cacheClusterEnabled", False)),
        "cache_cluster_size": stage.get("cacheClusterSize"),
        "web_acl_arn": stage.get("webAclArn") or None,
    }
    c.add("aws_api_gateway_stage", arn, f"{api_name}/{name}", attributes, stage.get("tags"))
    for path, settings in (stage.get("methodSettings") or {}).items():
        found = {attribute: settings.get(key) for key, attribute in METHOD_SETTINGS.items()}
        c.add(
            "aws_api_gateway_method_settings",
            f"{arn}/settings/{quote(path, safe='')}",
            f"{api_name}/{name}/{path}",
            {"rest_api_id": ident, "stage_name": name, "method_path": path, "settings": found},
        )


def _method(
    c: Collection,
    rest: Any,
    ident: str,
    api_name: str,
    resource: dict[str, Any],
    verb: str,
    method: dict[str, Any],
) -> None:
    if "authorizationType" not in method:  # not embedded in the listing: read it
        method = rest.get_method(restApiId=ident, resourceId=resource["id"], httpMethod=verb)
    attributes = {
        "rest_api_id": ident,
        "resource_id": resource["id"],
        "http_method": verb,
        "authorization": method.get("authorizationType"),
        "authorizer_id": method.get("authorizerId"),
        "api_key_required": bool(method.get("apiKeyRequired", False)),
    }
    arn = _arn(c, f"/restapis/{ident}/resources/{resource['id']}/methods/{verb}")
    c.add("aws_api_gateway_method", arn, f"{api_name} {verb} {resource.get('path')}", attributes)


def _v2_api(c: Collection, v2: Any, api: dict[str, Any]) -> None:
    ident, api_name = api["ApiId"], api.get("Name", api["ApiId"])
    for stage in c.pages(v2, "get_stages", "Items", ApiId=ident):
        name = stage["StageName"]
        logs = stage.get("AccessLogSettings") or {}
        arn = _arn(c, f"/apis/{ident}/stages/{name}")
        attributes = {
            "name": name,
            "api_id": ident,
            "arn": arn,
            "access_log_settings": None
            if not logs.get("DestinationArn")
            else {"destination_arn": logs["DestinationArn"], "format": logs.get("Format")},
        }
        c.add("aws_apigatewayv2_stage", arn, f"{api_name}/{name}", attributes, stage.get("Tags"))
    for route in c.pages(v2, "get_routes", "Items", ApiId=ident):
        attributes = {
            "api_id": ident,
            "route_key": route.get("RouteKey"),
            "authorization_type": route.get("AuthorizationType") or "NONE",
            "authorizer_id": route.get("AuthorizerId"),
        }
        arn = _arn(c, f"/apis/{ident}/routes/{route['RouteId']}")
        c.add("aws_apigatewayv2_route", arn, f"{api_name} {route.get('RouteKey')}", attributes)


def _v2_domain(c: Collection, domain: dict[str, Any]) -> None:
    name = domain["DomainName"]
    configurations = domain.get("DomainNameConfigurations") or [{}]
    configuration = configurations[0]
    attributes = {
        "domain_name": name,
        "arn": _arn(c, f"/domainnames/{name}"),
        "domain_name_configuration": {
            "security_policy": configuration.get("SecurityPolicy"),
            "endpoint_type": configuration.get("EndpointType"),
            "certificate_arn": configuration.get("CertificateArn"),
        },
    }
    c.add("aws_apigatewayv2_domain_name", attributes["arn"], name, attributes, domain.get("Tags"))


# API Gateway authorizes its management API by HTTP verb: every read is apigateway:GET.
ACTIONS = ("apigateway:GET",)

SERVICE = Service("apigateway", collect, actions=ACTIONS)
