"""The OpenAPI 3.1 document of the API, built from the JSON Schemas the handlers enforce."""

from __future__ import annotations

from typing import Any

from compliance_opa import __version__
from compliance_opa.app.run_task import PAYLOAD_SCHEMA
from compliance_opa.domain.findings import FRAMEWORKS
from compliance_opa.reports import RENDERERS
from compliance_opa.service.api import FAIL_ON, VALIDATE_REQUEST_SCHEMA

_ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
            },
        }
    },
}

_FINDING: dict[str, Any] = {
    "type": "object",
    "required": ["check_id", "status", "severity", "risk", "controls", "remediation"],
    "properties": {
        "check_id": {"type": "string"},
        "title": {"type": "string"},
        "resource": {"type": "string"},
        "resource_type": {"type": "string"},
        "status": {"enum": ["fail", "indeterminate"]},
        "severity": {"enum": ["critical", "high", "medium", "low", "info"]},
        "risk": {"type": "integer", "minimum": 0, "maximum": 100},
        "controls": {"type": "object", "additionalProperties": {"type": "array"}},
        "message": {"type": "string"},
        "remediation": {"type": "string"},
        "unresolved_paths": {"type": "array", "items": {"type": "string"}},
    },
}

_VERDICT = {"enum": ["COMPLIANT", "NON_COMPLIANT", "INDETERMINATE"]}

_VALIDATION: dict[str, Any] = {
    "type": "object",
    "required": ["decision_id", "status", "policy_digest", "opa_version", "results"],
    "properties": {
        "decision_id": {"type": "string"},
        "status": _VERDICT,
        "policy_digest": {"type": "string"},
        "opa_version": {"type": "string"},
        "frameworks": {"type": "array", "items": {"type": "string"}},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["address", "type", "status", "checks_evaluated", "findings"],
                "properties": {
                    "address": {"type": "string"},
                    "type": {"type": "string"},
                    "status": _VERDICT,
                    "checks_evaluated": {"type": "integer"},
                    "reason": {"type": "string"},
                    "findings": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Finding"},
                    },
                },
            },
        },
    },
}

_EXAMPLE = {
    "resources": [
        {
            "address": "arn:aws:s3:::orders-exports",
            "type": "aws_s3_bucket",
            "provider": "aws",
            "account": "123456789012",
            "region": "eu-west-1",
            "name": "orders-exports",
            "attributes": {"versioning": {"enabled": True}},
        }
    ],
    "frameworks": ["pci_dss"],
}


def _errors(*statuses: int) -> dict[str, Any]:
    described = {
        "400": "bad input (JSON, shape, an unknown parameter)",
        "401": "no or unknown bearer token (the run task: no or a wrong signature)",
        "403": "the token lacks the scope",
        "413": "request body too large",
        "415": "not application/json",
        "422": "the body does not match the schema",
        "429": "rate limit reached (see Retry-After)",
        "503": "OPA is not ready or failed",
    }
    return {
        str(s): {
            "description": described[str(s)],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for s in statuses
    }


def document() -> dict[str, Any]:
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "opa-comply compliance service",
            "version": __version__,
            "description": "Real-time validation of resources and Terraform plans on OPA.",
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": _ERROR,
                "Finding": _FINDING,
                "ValidateRequest": VALIDATE_REQUEST_SCHEMA,
                "RunTaskRequest": PAYLOAD_SCHEMA,
                "Validation": _VALIDATION,
            },
        },
        "paths": {
            "/healthz": {
                "get": {
                    "summary": "Liveness (no token)",
                    "operationId": "healthz",
                    "responses": {"200": {"description": "the service runs"}},
                }
            },
            "/healthz/ready": {
                "get": {
                    "summary": "Readiness: OPA is up (no token)",
                    "operationId": "ready",
                    "responses": {
                        "200": {"description": "ready"},
                        "503": {"description": "OPA is starting or restarting"},
                    },
                }
            },
            "/v1/validate": {
                "post": {
                    "summary": "Judge resources (inventory shape or Terraform) on every check",
                    "operationId": "validate",
                    "security": bearer,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ValidateRequest"},
                                "example": _EXAMPLE,
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "a verdict per resource",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Validation"}
                                }
                            },
                        },
                        **_errors(400, 401, 403, 413, 415, 422, 429, 503),
                    },
                }
            },
            "/v1/plans": {
                "post": {
                    "summary": "Judge a Terraform plan JSON, as `opa-comply plan` does",
                    "operationId": "plans",
                    "security": bearer,
                    "parameters": [
                        {
                            "name": "fail_on",
                            "in": "query",
                            "schema": {"enum": list(FAIL_ON), "default": "low"},
                        },
                        {
                            "name": "format",
                            "in": "query",
                            "schema": {"enum": list(RENDERERS), "default": "json"},
                        },
                        {
                            "name": "framework",
                            "in": "query",
                            "schema": {"type": "array", "items": {"enum": list(FRAMEWORKS)}},
                            "style": "form",
                            "explode": True,
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "the report, with the gate's verdict",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_errors(400, 401, 403, 413, 415, 429, 503),
                    },
                }
            },
            "/v1/run-tasks/terraform": {
                "post": {
                    "summary": "HCP Terraform run task (signed by the platform, no bearer token)",
                    "operationId": "runTaskTerraform",
                    "security": [],
                    "parameters": [
                        {
                            "name": "X-TFC-Task-Signature",
                            "in": "header",
                            "required": True,
                            "description": "hex HMAC-SHA512 of the body with the run task's key",
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/RunTaskRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "accepted: judged in the background"},
                        **_errors(400, 401, 413, 415, 422, 503),
                    },
                }
            },
            "/v1/run-tasks": {
                "get": {
                    "summary": "Run-task history (the run-task scope)",
                    "operationId": "listRunTasks",
                    "security": bearer,
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "the newest run tasks first",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_errors(400, 401, 403),
                    },
                }
            },
            "/metrics": {
                "get": {
                    "summary": "Prometheus metrics (the read scope)",
                    "operationId": "metrics",
                    "security": bearer,
                    "responses": {
                        "200": {
                            "description": "Prometheus text format",
                            "content": {"text/plain": {"schema": {"type": "string"}}},
                        },
                        **_errors(401, 403),
                    },
                }
            },
        },
    }
