"""deploy/: the Kubernetes manifest and Prometheus scrape job for `opa-comply serve`, and the
configs shown in docs/serve.md.

No cluster and no Prometheus here, so the files are checked structurally, against the real
things they name: every object against the Kubernetes JSON schemas (kubernetes-validate,
strict: an unknown or misspelt field fails), the container's arguments parsed by the real
`opa-comply serve` command, the probes' and scrape job's paths against the app's routes,
the environment variables against the code that reads them, and every config (the
ConfigMap's, the docs' `serve:` blocks) through the loader `serve` itself uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import typer
import yaml
from starlette.routing import Route

from compliance_opa.cli.app import app as cli_app
from compliance_opa.config.load import load_config
from compliance_opa.config.serve import RunTaskSettings, ServeSettings
from compliance_opa.engine.binary import find_opa_binary
from compliance_opa.errors import EngineError
from compliance_opa.service import app as service_app
from compliance_opa.service import dashboard, run_task, store_metrics
from compliance_opa.state.store import default_state_path
from compliance_opa.support.strict_yaml import StrictLoader
from tests.conftest import REPO, run_cli

DEPLOY = REPO / "deploy"
MANIFEST = DEPLOY / "kubernetes" / "opa-comply-serve.yaml"
SCRAPE = DEPLOY / "prometheus" / "scrape-config.yaml"
DOCS = [REPO / "docs" / "serve.md", DEPLOY / "README.md"]
# The oldest Kubernetes the examples are written for (the drift CronJob's native sidecar
# needs 1.29) and the newest the schemas know.
KUBERNETES_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
# Variables the container may set, none of them a secret: each is checked below.
PLAIN_ENV = {"OPA_BINARY", "XDG_STATE_HOME", "PYTHONDONTWRITEBYTECODE"}
SECRET_ENV = {"OPA_COMPLY_STATE", "OPA_COMPLY_RUN_TASK_KEY"}


# --- helpers -----------------------------------------------------------------------------


def documents(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    return [d for d in yaml.load_all(text, Loader=StrictLoader) if d is not None]


def objects() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for document in documents(MANIFEST):
        key = f"{document['kind']}/{document['metadata']['name']}"
        assert key not in found, f"{key} defined twice"
        found[key] = document
    return found


def deployment() -> dict[str, Any]:
    return objects()["Deployment/opa-comply-serve"]


def pod_spec() -> dict[str, Any]:
    spec: dict[str, Any] = deployment()["spec"]["template"]["spec"]
    return spec


def container() -> dict[str, Any]:
    (only,) = pod_spec()["containers"]
    assert only["name"] == "serve"
    return dict(only)


def config_map() -> dict[str, Any]:
    return objects()["ConfigMap/opa-comply-serve-config"]


def env_of(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in item.get("env", [])}


def serve_command() -> Any:
    """The real `opa-comply serve` command (typer's own click)."""
    return typer.main.get_command(cli_app).commands["serve"]  # type: ignore[attr-defined]


def parsed_args() -> dict[str, Any]:
    """The container's arguments as the real `opa-comply serve` parses them."""
    args = container()["args"]
    assert args[0] == "serve", "the image's entrypoint is opa-comply: args start with serve"
    with serve_command().make_context("serve", list(args[1:])) as context:
        return dict(context.params)


def mounts() -> dict[str, dict[str, Any]]:
    return {m["mountPath"]: m for m in container()["volumeMounts"]}


def volume(name: str) -> dict[str, Any]:
    (found,) = [v for v in pod_spec()["volumes"] if v["name"] == name]
    return dict(found)


def mounted_volume(path: Path) -> tuple[dict[str, Any], Path]:
    """The volume a file path in the container lies in, and the path inside it."""
    for mount_path, mount in sorted(mounts().items(), key=lambda m: -len(m[0])):
        if path.is_relative_to(mount_path):
            return volume(mount["name"]), path.relative_to(mount_path)
    raise AssertionError(f"{path} is on no mounted volume (the root filesystem is read-only)")


def all_routes() -> list[Any]:
    return [*service_app.CORE_ROUTES, *run_task.ROUTES, *store_metrics.ROUTES, *dashboard.ROUTES]


def route_for(path: str) -> Any:
    for route in all_routes():
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            return route
    return None


def fenced_blocks(path: Path) -> Iterator[tuple[str, str, int]]:
    """(info string, body, line number) of every fenced code block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = re.match(r"^(\s*)(```+)(.*)$", lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, info = opening.groups()
        start = index + 1
        index = start
        while index < len(lines) and not lines[index].strip().startswith(fence):
            index += 1
        body = "\n".join(line.removeprefix(indent) for line in lines[start:index])
        yield info.strip(), body, start
        index += 1


def yaml_blocks(path: Path) -> list[tuple[Any, str, int]]:
    """(document, text, line number) of every YAML block, each parsed strictly."""
    blocks = []
    for info, body, line in fenced_blocks(path):
        if info.split()[:1] in (["yaml"], ["yml"]):
            blocks.append((yaml.load(body, Loader=StrictLoader), body, line))  # noqa: S506
    return blocks


def scrape_jobs(document: Any) -> list[dict[str, Any]]:
    jobs = document["scrape_configs"]
    assert isinstance(jobs, list)
    assert jobs
    return jobs


# --- Kubernetes --------------------------------------------------------------------------


def test_every_object_parses_strictly_and_is_named() -> None:
    found = objects()
    assert set(found) == {
        "ConfigMap/opa-comply-serve-config",
        "Deployment/opa-comply-serve",
        "Service/opa-comply-serve",
    }
    for key, document in found.items():
        assert document["apiVersion"], key
        assert document["kind"], key
        assert document["metadata"]["namespace"] == "opa-comply", key
        assert document["metadata"]["labels"]["app.kubernetes.io/name"] == "opa-comply", key


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_matches_the_kubernetes_schema(version: str) -> None:
    for key, document in objects().items():
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{key} against Kubernetes {version}: {exc.message}")


def test_the_schema_check_catches_a_misspelt_field() -> None:
    """The check above can fail: strict schemas refuse what Kubernetes would drop."""
    document = deployment()
    document["spec"]["template"]["spec"]["containers"][0]["securityContext"][
        "readOnlyRootFileSystem"
    ] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(document, KUBERNETES_VERSIONS[0], strict=True)


def test_container_arguments_are_accepted_by_the_real_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPA_COMPLY_STATE", raising=False)
    args = container()["args"]
    options = {a for a in args if a.startswith("--")}
    shown = run_cli("serve", "--help")
    assert shown.code == 0, shown.stderr
    listed = set(re.findall(r"(--[a-z][a-z-]+)", shown.stdout))
    assert options <= listed, f"not in `opa-comply serve --help`: {options - listed}"
    params = parsed_args()
    # Inside the pod, on every interface, with TLS: the tokens never travel in clear.
    assert params["host"] == "0.0.0.0"
    assert params["tls_cert"] is not None
    assert params["tls_key"] is not None
    (port,) = container()["ports"]
    assert params["port"] == port["containerPort"]
    # A state URL with a password never on the command line: from the environment.
    assert params["state"] is None
    assert "--state" not in args


def test_config_tls_and_state_paths_are_on_the_volumes_they_need() -> None:
    params = parsed_args()
    config_volume, config_name = mounted_volume(Path(params["config"]))
    assert config_volume["configMap"]["name"] == config_map()["metadata"]["name"]
    assert str(config_name) in config_map()["data"]
    for option, key in (("tls_cert", "tls.crt"), ("tls_key", "tls.key")):
        tls_volume, name = mounted_volume(Path(params[option]))
        assert "secret" in tls_volume
        assert str(name) == key
    read_only = {path for path, m in mounts().items() if m.get("readOnly")}
    assert {"/config", "/tls"} <= read_only


def test_probes_point_at_routes_the_app_has() -> None:
    serve = container()
    routes = {r.path: r for r in service_app.CORE_ROUTES if isinstance(r, Route)}
    expected = {
        "startupProbe": service_app.healthz,
        "livenessProbe": service_app.healthz,
        "readinessProbe": service_app.ready,
    }
    for probe, handler in expected.items():
        get = serve[probe]["httpGet"]
        assert routes[get["path"]].endpoint is handler, probe
        assert "GET" in (routes[get["path"]].methods or set()), probe
        assert get["port"] == serve["ports"][0]["name"], probe
        assert get["scheme"] == "HTTPS", f"{probe}: the server speaks TLS only"
    assert serve["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert serve["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"


def test_environment_variables_are_the_ones_our_code_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = env_of(container())
    assert set(env) == PLAIN_ENV | SECRET_ENV
    # Secrets come from Secrets, never as values in the manifest.
    for name in SECRET_ENV:
        assert "value" not in env[name], name
        assert "secretKeyRef" in env[name]["valueFrom"], name
    for name in PLAIN_ENV:
        assert "value" in env[name], name
    # The state store: the variable `serve --state` reads.
    (state,) = [p for p in serve_command().params if p.name == "state"]
    assert state.envvar == "OPA_COMPLY_STATE"
    # The HMAC key: the variable the config names, which is the default of config/serve.py.
    settings = ServeSettings.from_section(loaded_configmap_config(tmp_path).serve)
    assert settings.run_task.hmac_key_env == RunTaskSettings().hmac_key_env
    assert settings.run_task.hmac_key_env in env
    # OPA_BINARY is how the managed sidecar finds OPA.
    monkeypatch.setenv("OPA_BINARY", str(tmp_path / "no-opa-here"))
    with pytest.raises(EngineError, match="OPA_BINARY"):
        find_opa_binary()
    # XDG_STATE_HOME places the default store, on a writable volume.
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"]["value"])
    assert default_state_path().is_relative_to(env["XDG_STATE_HOME"]["value"])
    state_volume, _ = mounted_volume(default_state_path())
    assert "emptyDir" in state_volume


def test_secret_references_are_documented() -> None:
    text = (REPO / "docs" / "serve.md").read_text(encoding="utf-8")
    for variable in env_of(container()).values():
        ref = variable.get("valueFrom", {}).get("secretKeyRef")
        if ref is not None:
            assert ref["name"] in text, ref
            assert ref["key"] in text, ref
    tls = volume("tls")["secret"]["secretName"]
    assert tls in text


def test_the_pod_is_locked_down() -> None:
    pod = pod_spec()["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] != 0
    assert pod["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod_spec()["automountServiceAccountToken"] is False
    security = container()["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security.get("privileged", False) is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert "add" not in security["capabilities"]
    # The managed OPA's socket folder and log live in the temp folder: a writable emptyDir.
    tmp_volume, _ = mounted_volume(Path("/tmp/opa-comply-sidecar/opa.sock"))
    assert "emptyDir" in tmp_volume
    assert "TMPDIR" not in env_of(container())
    resources = container()["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"])
    assert "memory" in resources["limits"]


def test_the_configmap_config_loads_as_serve_loads_it(tmp_path: Path) -> None:
    loaded = loaded_configmap_config(tmp_path)
    settings = ServeSettings.from_section(loaded.serve)
    scopes = {scope for token in settings.tokens for scope in token.scopes}
    assert {"read", "validate"} <= scopes
    assert len({t.sha256 for t in settings.tokens}) == len(settings.tokens)
    assert settings.public_url.startswith("https://")
    # HCP Terraform redirects the plan's URL to its archivist: both hosts are allowed.
    assert {"app.terraform.io", "archivist.terraform.io"} <= set(settings.run_task.allowed_hosts)
    assert not settings.run_task.insecure_hosts


def loaded_configmap_config(tmp_path: Path) -> Any:
    path = tmp_path / "opa-comply.yaml"
    path.write_text(config_map()["data"]["opa-comply.yaml"], encoding="utf-8")
    return load_config(path)


def test_the_service_reaches_the_pods() -> None:
    service = objects()["Service/opa-comply-serve"]
    labels = deployment()["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment()["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == container()["ports"][0]["name"]


# --- Prometheus --------------------------------------------------------------------------


def check_scrape_job(job: dict[str, Any]) -> None:
    assert job["metrics_path"] == "/metrics"
    route = route_for("/metrics")
    assert route is not None
    assert route.endpoint is store_metrics.metrics
    authorization = job["authorization"]
    assert authorization.get("type", "Bearer") == "Bearer"
    assert authorization["credentials_file"].startswith("/"), "the token from a file"
    assert "credentials" not in authorization
    assert "bearer_token" not in job
    assert job["scheme"] == "https"


def test_scrape_job_reads_metrics_with_a_bearer_token_file() -> None:
    (document,) = documents(SCRAPE)
    (job,) = scrape_jobs(document)
    check_scrape_job(job)
    service = objects()["Service/opa-comply-serve"]
    namespace = service["metadata"]["namespace"]
    # Every replica, found through the Service's endpoint slices in its namespace.
    (discovery,) = job["kubernetes_sd_configs"]
    assert discovery["role"] == "endpointslice"
    assert discovery["namespaces"]["names"] == [namespace]
    keep = [r for r in job["relabel_configs"] if r.get("action") == "keep"]
    (rule,) = keep
    assert re.fullmatch(rule["regex"], f"{service['metadata']['name']};https")
    assert job["tls_config"]["server_name"] == f"{service['metadata']['name']}.{namespace}.svc"


# --- docs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_config_blocks_in_the_docs_load(doc: Path, tmp_path: Path) -> None:
    configs = 0
    for number, (block, text, line) in enumerate(yaml_blocks(doc)):
        if isinstance(block, dict) and "serve" in block:
            path = tmp_path / f"block-{number}.yaml"
            path.write_text(text, encoding="utf-8")
            loaded = load_config(path)
            assert ServeSettings.from_section(loaded.serve), f"{doc.name} line {line}"
            configs += 1
        if isinstance(block, dict) and "scrape_configs" in block:
            for job in scrape_jobs(block):
                check_scrape_job(job)
    if doc.name == "serve.md":
        assert configs >= 1


def test_curl_examples_in_the_docs_call_routes_the_app_has() -> None:
    paths = []
    for _, body, line in fenced_blocks(REPO / "docs" / "serve.md"):
        for match in re.finditer(r"\$URL(/[^\s\"'?\\]*)", body):
            paths.append((match.group(1), line))
    assert len(paths) >= 8
    for path, line in paths:
        assert route_for(path) is not None, f"docs/serve.md line {line}: no route for {path}"
