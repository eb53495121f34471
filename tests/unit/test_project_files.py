"""docker-compose.yml, the pinned OPA version and the OPA type-check schema stay consistent."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from compliance_opa.engine.binary import PINNED_OPA_VERSION
from scripts.opa_type_schema import SCHEMA, derive
from tests.conftest import REPO


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return document


def test_one_pinned_opa_version_everywhere() -> None:
    makefile = (REPO / "Makefile").read_text()
    match = re.search(r"^OPA_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert match is not None
    assert match.group(1) == PINNED_OPA_VERSION
    assert _compose()["services"]["opa"]["image"] == f"openpolicyagent/opa:{PINNED_OPA_VERSION}"


def test_compose_serves_our_policies_to_the_scanner_on_a_private_network() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"opa", "postgres", "scanner"}
    opa = services["opa"]
    assert opa["command"][:2] == ["run", "--server"]
    assert "--addr=0.0.0.0:8181" in opa["command"]
    assert opa["command"][-1] == "/policies"
    assert "./policies:/policies:ro" in opa["volumes"]
    assert "ports" not in opa  # reachable only on the private network
    assert compose["networks"]["compliance"]["internal"] is True
    for service in services.values():
        assert service["networks"] == ["compliance"]
    scanner = services["scanner"]
    assert scanner["environment"]["OPA_URL"] == "http://opa:8181"
    assert scanner["command"][0] == "scan"
    assert scanner["depends_on"]["opa"]["condition"] == "service_healthy"
    assert services["postgres"]["image"].startswith("postgres:")
    # No password in the file: compose refuses to start without one from the environment.
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_compose_scanner_inputs_exist_in_examples() -> None:
    scanner = _compose()["services"]["scanner"]
    assert "./examples:/inventories:ro" in scanner["volumes"]
    for argument in scanner["command"]:
        if argument.startswith("/inventories/"):
            assert (REPO / "examples" / argument.removeprefix("/inventories/")).is_file()


def test_type_check_schema_covers_every_resource_type() -> None:
    published = json.loads(SCHEMA.read_text())
    derived = derive(published)
    dispatched = [
        b["if"]["properties"]["type"]["const"]
        for b in published["definitions"]["resource"]["allOf"]
    ]
    defined = set(published["definitions"]) - {"source", "resource"}
    assert set(dispatched) == defined
    branches = derived["definitions"]["resource"]["properties"]["attributes"]["anyOf"]
    assert [b["$ref"] for b in branches] == [f"#/definitions/{t}" for t in dispatched]
    assert all(derived["definitions"][t]["additionalProperties"] is False for t in dispatched)
    assert "additionalProperties" not in published["definitions"]["aws_db_instance"]


def test_inventory_schema_is_built_from_its_parts() -> None:
    from scripts.build_inventory_schema import OUTPUT, build, render

    assert OUTPUT.read_text() == render(build()), "run scripts/build_inventory_schema.py"


def test_readme_documents_every_parameter() -> None:
    defaults = json.loads((REPO / "policies" / "config" / "data.json").read_text())
    readme = (REPO / "README.md").read_text()
    missing = [name for name in defaults if f"`{name}`" not in readme]
    assert missing == []
