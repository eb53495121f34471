"""examples/scheduling: cron, systemd and Kubernetes set-ups for `opa-comply drift`.

kubectl, systemd-analyze and a cron daemon are not on the test machine, so the manifests,
unit files and crontab are checked structurally only: parsed, cross-referenced with each
other, the Makefile, the Dockerfile, and the config, waiver and channel loaders `drift`
itself uses. Two things run for real: the Kubernetes pod's policy copy and OPA sidecar
(the real OPA binary with the CronJob's arguments, then the scanner's own arguments,
`drift --dry-run`, through it), and the crontab line's shell plumbing (flock, timeout,
the env file, the log and the line cron mails), with the scanner replaced by a stub whose
exit code the test chooses.
"""

from __future__ import annotations

import configparser
import fcntl
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from compliance_opa.alerts.settings import alert_settings, resolve_channels
from compliance_opa.config.load import load_config
from compliance_opa.config.waivers_file import load_waivers
from compliance_opa.domain.waivers import WaiverPolicy
from compliance_opa.state.store import default_state_path
from tests.conftest import REPO, VIOLATING, free_port, opa_binary, run_cli

SCHEDULING = REPO / "examples" / "scheduling"
KUBERNETES = SCHEDULING / "kubernetes"
CRONTAB = SCHEDULING / "cron" / "opa-comply-drift.cron"
ENV_EXAMPLE = SCHEDULING / "cron" / "opa-comply.env.example"
SERVICE = SCHEDULING / "systemd" / "opa-comply-drift.service"
TIMER = SCHEDULING / "systemd" / "opa-comply-drift.timer"
CONFIG = SCHEDULING / "opa-comply.yaml"
WAIVERS = SCHEDULING / "waivers.yaml"
DOCS = REPO / "docs" / "scheduling.md"

PLACEHOLDER = "REPLACE_ME"
# The interface of `opa-comply drift` the examples are written against.
DRIFT_OPTIONS = {
    "--config",
    "--state",
    "--scope",
    "--waivers",
    "--report-dir",
    "--dry-run",
    "--fail-on",
    "--opa-url",
}
CHANNEL_TYPES = {"slack", "pagerduty", "webhook", "email"}


# --- helpers ---------------------------------------------------------------------------


def _yaml_files() -> list[Path]:
    return sorted([*SCHEDULING.rglob("*.yaml"), *SCHEDULING.rglob("*.yml")])


def _manifests() -> dict[str, dict[str, Any]]:
    """Every Kubernetes object in examples/scheduling/kubernetes, by `Kind/name`."""
    objects: dict[str, dict[str, Any]] = {}
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document is None or document.get("kind") == "Kustomization":
                continue
            key = f"{document['kind']}/{document['metadata']['name']}"
            assert key not in objects, f"{key} defined twice"
            objects[key] = document
    return objects


def _cronjob() -> dict[str, Any]:
    cronjobs = [doc for doc in _manifests().values() if doc["kind"] == "CronJob"]
    assert len(cronjobs) == 1
    return cronjobs[0]


def _pod() -> dict[str, Any]:
    pod: dict[str, Any] = _cronjob()["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return pod


def _container(pod: dict[str, Any], name: str, *, init: bool = False) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        c for c in pod["initContainers" if init else "containers"] if c["name"] == name
    ]
    assert len(found) == 1, f"no single {'init ' if init else ''}container {name!r}"
    return found[0]


def _sidecar() -> dict[str, Any]:
    return _container(_pod(), "opa", init=True)


def _scanner() -> dict[str, Any]:
    return _container(_pod(), "scanner")


def _env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def _mounts(pod: dict[str, Any], container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """mountPath -> the pod volume mounted there (with the mount's readOnly flag)."""
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    return {
        mount["mountPath"]: {**volumes[mount["name"]], "readOnly": mount.get("readOnly", False)}
        for mount in container.get("volumeMounts", [])
    }


def _arg_value(argv: list[str], option: str) -> str:
    for index, argument in enumerate(argv):
        if argument == option:
            return argv[index + 1]
        if argument.startswith(option + "="):
            return argument.split("=", 1)[1]
    raise AssertionError(f"{option} not in {argv}")


def _makefile_opa_version() -> str:
    match = re.search(r"^OPA_VERSION := (\S+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert match is not None
    return match.group(1)


def _project_version() -> str:
    match = re.search(r'^version = "([^"]+)"$', (REPO / "pyproject.toml").read_text(), re.M)
    assert match is not None
    return match.group(1)


def _config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return config


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def _crontab() -> tuple[dict[str, str], list[str]]:
    """(environment settings, job lines) of the crontab."""
    settings: dict[str, str] = {}
    jobs: list[str] = []
    for raw in CRONTAB.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        setting = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", line)
        if setting:
            settings[setting.group(1)] = setting.group(2)
        else:
            jobs.append(line)
    return settings, jobs


def _cron_job() -> tuple[list[str], str]:
    _, jobs = _crontab()
    assert len(jobs) == 1, jobs
    fields = jobs[0].split(None, 5)
    assert len(fields) == 6, "five schedule fields and a command"
    return fields[:5], fields[5]


def _cron_drift_argv() -> list[str]:
    _, command = _cron_job()
    inner = next(word for word in shlex.split(command) if "opa-comply drift" in word)
    words = shlex.split(inner)
    return words[words.index("exec") + 2 :]


def _systemd_drift_argv() -> list[str]:
    return shlex.split(_unit(SERVICE)["Service"]["ExecStart"])[1:]


def _env_file(text: str) -> dict[str, str]:
    """NAME=value lines, the way systemd's EnvironmentFile= reads this simple format."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, separator, value = line.partition("=")
            assert separator, line
            assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), line
            values[name] = value
    return values


_SECRET_PATTERNS = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret key assignment": re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*\S"),
    "Slack webhook": re.compile(r"hooks\.slack\.com/services/T[0-9A-Z]+/B[0-9A-Z]+/\w+"),
    "Slack token": re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "32-hex key (PagerDuty routing key)": re.compile(r"\b[0-9a-fA-F]{32}\b"),
}


def _secret_like(text: str) -> list[str]:
    """What in `text` looks like a real credential rather than a placeholder."""
    found = [name for name, pattern in _SECRET_PATTERNS.items() if pattern.search(text)]
    for password in re.findall(r"://[^/\s:@]+:([^@\s]+)@", text):
        if password != PLACEHOLDER:
            found.append("password in a URL")
    for token in re.findall(r"[A-Za-z0-9+/_=-]{32,}", text):
        if all(re.search(kind, token) for kind in ("[0-9]", "[a-z]", "[A-Z]")):
            found.append("high-entropy token")
    return found


# --- every file ------------------------------------------------------------------------


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(SCHEDULING)))
def test_every_yaml_file_parses(path: Path) -> None:
    documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    assert documents
    for document in documents:
        assert isinstance(document, dict)
        if path.parent == KUBERNETES:
            assert {"apiVersion", "kind"} <= set(document)
            assert document["kind"] == "Kustomization" or document["metadata"]["name"]


def test_no_example_holds_anything_that_looks_like_a_real_secret() -> None:
    for path in sorted(p for p in SCHEDULING.rglob("*") if p.is_file()):
        assert _secret_like(path.read_text(encoding="utf-8")) == [], path


@pytest.mark.parametrize(
    "sample",
    [
        "AWS_ACCESS_KEY_ID=AKIA" + "Z7Q2" * 4,
        "aws_secret_access_key = abc",
        "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/a1B2c3D4e5F6g7H8",
        "token: xoxb-" + "1234567890-abcdefghij",
        "-----BEGIN " + "OPENSSH PRIVATE KEY-----",
        "PAGERDUTY_ROUTING_KEY=" + "0123456789abcdef" * 2,
        "postgresql://opa_comply:" + "hunter2" + "@db1:5432/postgres",
        "OPA_COMPLY_WEBHOOK_SECRET=" + "q8Zr2LkW9vTn4XbY7mHs3DcF6gJp1QaE",
    ],
)
def test_the_secret_check_catches_real_looking_values(sample: str) -> None:
    assert _secret_like(sample)


@pytest.mark.parametrize(
    "sample",
    [
        "postgresql://opa_comply:REPLACE_ME@db1.internal.example:5432/postgres",
        "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/REPLACE_ME",
        "arn:aws:iam::111111111111:role/REPLACE_ME-opa-comply-scanner",
        "postgresql://opa_comply@db1.internal.example:5432/postgres?sslmode=verify-full",
    ],
)
def test_the_secret_check_lets_placeholders_through(sample: str) -> None:
    assert _secret_like(sample) == []


def test_docs_cover_every_example_file() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for path in sorted(p for p in SCHEDULING.rglob("*") if p.is_file()):
        assert str(path.relative_to(REPO)) in docs, path


# --- the example config ----------------------------------------------------------------


def test_configmap_embeds_the_example_files_verbatim() -> None:
    configmap = _manifests()["ConfigMap/opa-comply-config"]
    assert configmap["data"] == {
        "opa-comply.yaml": CONFIG.read_text(encoding="utf-8"),
        "waivers.yaml": WAIVERS.read_text(encoding="utf-8"),
    }


def test_example_config_loads_with_the_commands_own_loader() -> None:
    loaded = load_config(CONFIG)  # every section against the schemas `drift` uses
    alerting = alert_settings(str(CONFIG), loaded.alerts)  # rules name known channels
    assert set(loaded.drift["collect"]) == {"aws", "postgres"}
    assert loaded.drift["scope"] == "production"
    assert loaded.aws["role_arns"]
    assert loaded.aws["regions"]
    # The DSN carries a password: it comes from OPA_COMPLY_POSTGRES_DSN, not the file.
    assert "dsns" not in loaded.postgres
    assert {c["type"] for c in _config()["alerts"]["channels"].values()} == CHANNEL_TYPES
    used = {name for rule in alerting.rules for name in rule.channels}
    assert used == set(alerting.channels), "a channel no rule sends to"
    # Relative, so one file serves /etc/opa-comply/ and the ConfigMap's /config/ alike.
    assert loaded.waivers["file"] == str(CONFIG.parent / WAIVERS.name)


def test_example_waivers_file_loads() -> None:
    loaded = load_config(CONFIG)
    policy = WaiverPolicy.from_config(loaded.waivers)
    assert (policy.max_days, policy.warn_days) == (90, 14)
    assert load_waivers(Path(loaded.waivers["file"]), policy, date.today()) == ()


def _secret_env_names() -> set[str]:
    """Every environment variable the config names for a credential, plus the DSN."""
    names = {"OPA_COMPLY_POSTGRES_DSN"}
    for channel in _config()["alerts"]["channels"].values():
        names.update(value for key, value in channel.items() if key.endswith("_env"))
        # Credentials are named, never written: only a webhook's URL may be literal.
        assert not {"username", "routing_key", "secret", "password"} & set(channel)
        assert "url" not in channel or channel["type"] == "webhook"
    return names


def _kubernetes_environment() -> dict[str, str]:
    """The scanner's environment as the kubelet builds it, from the example Secret."""
    secret = _manifests()["Secret/opa-comply-secrets"]["stringData"]
    return {
        name: entry["value"]
        if "value" in entry
        else secret[entry["valueFrom"]["secretKeyRef"]["key"]]
        for name, entry in _env(_scanner()).items()
    }


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param(lambda: _env_file(ENV_EXAMPLE.read_text(encoding="utf-8")), id="env-file"),
        pytest.param(_kubernetes_environment, id="kubernetes"),
    ],
)
def test_every_credential_the_config_names_is_provided(environment: Any) -> None:
    provided: dict[str, str] = environment()
    alerting = alert_settings(str(CONFIG), load_config(CONFIG).alerts)
    # What `drift` does before collecting: raises naming any variable that is missing.
    assert set(resolve_channels(alerting.channels, provided)) == set(alerting.channels)
    assert _secret_env_names() <= set(provided)
    assert provided["OPA_COMPLY_POSTGRES_DSN"].startswith("postgresql://")


# --- Kubernetes ------------------------------------------------------------------------


def test_kustomization_lists_every_manifest_except_the_secret_example() -> None:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    expected = {
        p.name
        for p in KUBERNETES.glob("*.yaml")
        if p.name not in {"kustomization.yaml", "secret.example.yaml"}
    }
    assert set(kustomization["resources"]) == expected
    # Placeholders must never overwrite the real Secret on `kubectl apply -k`.
    assert "secret.example.yaml" not in kustomization["resources"]
    namespace = _manifests()[f"Namespace/{kustomization['namespace']}"]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_cronjob_never_overlaps_and_always_ends() -> None:
    cronjob = _cronjob()
    assert cronjob["apiVersion"] == "batch/v1"
    spec = cronjob["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    minute, *rest = spec["schedule"].split()
    assert minute.isdigit(), "hourly"
    assert rest == ["*", "*", "*", "*"], "hourly"
    assert 0 < spec["startingDeadlineSeconds"] < 3600
    job = spec["jobTemplate"]["spec"]
    assert isinstance(job["backoffLimit"], int)
    assert 0 <= job["backoffLimit"] <= 3
    # The Job, retries included, is over before the next hourly run is due.
    assert 0 < job["activeDeadlineSeconds"] < 3600
    assert _pod()["restartPolicy"] == "Never"  # Job retries are the backoffLimit's


def test_pod_failure_policy_fails_fast_on_answers_that_would_not_change() -> None:
    rules = _cronjob()["spec"]["jobTemplate"]["spec"]["podFailurePolicy"]["rules"]
    fail_job = [rule for rule in rules if rule["action"] == "FailJob"]
    assert len(fail_job) == 1
    exits = fail_job[0]["onExitCodes"]
    assert exits["containerName"] == "scanner"
    assert exits["operator"] == "In"
    assert 2 in exits["values"]  # bad input or config: retrying cannot help
    assert 3 not in exits["values"]  # infrastructure: retried up to backoffLimit
    assert {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]} in rules


def test_opa_is_a_native_sidecar_gating_the_scanner() -> None:
    pod = _pod()
    sidecar = _sidecar()
    assert sidecar["restartPolicy"] == "Always"
    assert all(c["name"] != "opa" for c in pod["containers"])
    # The startupProbe (not readiness) is what holds the scanner back until OPA is up.
    probe = sidecar["startupProbe"]["httpGet"]
    assert probe["path"] == "/health?bundles"
    assert (
        sidecar["startupProbe"]["failureThreshold"] * sidecar["startupProbe"]["periodSeconds"] >= 30
    )
    ports = {port["name"]: port["containerPort"] for port in sidecar["ports"]}
    diagnostic_port = ports[probe["port"]] if isinstance(probe["port"], str) else probe["port"]
    assert _arg_value(sidecar["args"], "--diagnostic-addr").endswith(f":{diagnostic_port}")
    assert sidecar["readinessProbe"]["httpGet"] == probe


def test_opa_image_is_the_pinned_version() -> None:
    assert _sidecar()["image"] == f"openpolicyagent/opa:{_makefile_opa_version()}-static"


def test_opa_serves_the_data_api_on_loopback_only() -> None:
    args = _sidecar()["args"]
    assert args[:2] == ["run", "--server"]
    host, _, port = _arg_value(args, "--addr").rpartition(":")
    assert host == "127.0.0.1"
    assert port.isdigit()
    # The kubelet probes the pod IP, so only the read-only diagnostics listen there.
    assert _arg_value(args, "--diagnostic-addr").rpartition(":")[0] in {"0.0.0.0", ""}


def test_scanner_reaches_the_sidecar_through_opa_url() -> None:
    addr = _arg_value(_sidecar()["args"], "--addr")
    assert _env(_scanner())["OPA_URL"]["value"] == f"http://{addr}"
    assert "--opa-url" not in _scanner()["args"]


def test_policies_are_copied_from_the_scanner_image_into_opa_read_only() -> None:
    pod = _pod()
    names = [c["name"] for c in pod["initContainers"]]
    assert names.index("policies") < names.index("opa"), "copied before OPA starts"
    copy = _container(pod, "policies", init=True)
    assert copy["image"] == _scanner()["image"], "the policies of the scanner's release"
    assert "restartPolicy" not in copy  # an ordinary init container: runs to completion
    command = copy["command"]
    assert command[:2] == ["cp", "-R"]
    source, target = command[2], command[3]
    # Where the Dockerfile puts the policies.
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "WORKDIR /app" in dockerfile
    assert "COPY policies ./policies" in dockerfile
    assert source == "/app/policies/."
    copy_mounts = _mounts(pod, copy)
    opa_mounts = _mounts(pod, _sidecar())
    served = _sidecar()["args"][-1]
    assert copy_mounts[target.rstrip("/")]["name"] == opa_mounts[served]["name"]
    assert "emptyDir" in opa_mounts[served]
    assert opa_mounts[served]["readOnly"] is True
    assert copy_mounts[target.rstrip("/")]["readOnly"] is False


def test_scanner_image_is_this_release() -> None:
    assert _scanner()["image"].rsplit(":", 1)[1] == _project_version()
    assert 'ENTRYPOINT ["opa-comply"]' in (REPO / "Dockerfile").read_text()
    assert "command" not in _scanner(), "keep the image's opa-comply entrypoint"


def test_state_is_postgresql_from_the_secret() -> None:
    state = _env(_scanner())["OPA_COMPLY_STATE"]
    assert "value" not in state
    secret = _manifests()["Secret/opa-comply-secrets"]
    reference = state["valueFrom"]["secretKeyRef"]
    assert reference["name"] == "opa-comply-secrets"
    assert secret["stringData"][reference["key"]].startswith("postgresql://")
    assert "--state" not in _scanner()["args"]


def test_every_secret_key_ref_names_the_example_secret_and_one_of_its_keys() -> None:
    secrets = {k: v for k, v in _manifests().items() if v["kind"] == "Secret"}
    assert list(secrets) == ["Secret/opa-comply-secrets"]
    secret = secrets["Secret/opa-comply-secrets"]
    pod = _pod()
    references = [
        entry["valueFrom"]["secretKeyRef"]
        for container in [*pod["initContainers"], *pod["containers"]]
        for entry in container.get("env", [])
        if "secretKeyRef" in entry.get("valueFrom", {})
    ]
    assert len(references) >= 7
    for reference in references:
        assert reference["name"] == secret["metadata"]["name"]
        assert reference["key"] in secret["stringData"]
    assert {r["key"] for r in references} == set(secret["stringData"]), "an unused key"


def test_secret_example_holds_placeholders_only() -> None:
    secret = _manifests()["Secret/opa-comply-secrets"]
    assert "data" not in secret
    for key, value in secret["stringData"].items():
        assert PLACEHOLDER in value, key


def test_no_secret_is_a_literal_env_value() -> None:
    for name, entry in _env(_scanner()).items():
        if name in _secret_env_names() or name == "OPA_COMPLY_STATE":
            assert "value" not in entry, name
        else:
            assert _secret_like(str(entry.get("value", ""))) == []


def test_pod_security_context_is_restricted() -> None:
    pod = _pod()
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True
    # Numeric: the scanner image's USER is a name the kubelet cannot check.
    assert isinstance(context["runAsUser"], int)
    assert context["runAsUser"] > 0
    assert "USER scanner" in (REPO / "Dockerfile").read_text()
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    for container in [*pod["initContainers"], *pod["containers"]]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False, container["name"]
        assert security["readOnlyRootFilesystem"] is True, container["name"]
        assert security["capabilities"] == {"drop": ["ALL"]}, container["name"]
        assert not security.get("privileged", False)
        assert security.get("runAsUser", context["runAsUser"]) != 0


def test_every_container_has_resources() -> None:
    pod = _pod()
    for container in [*pod["initContainers"], *pod["containers"]]:
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]
        assert "memory" in resources["limits"], container["name"]


def test_scanner_writes_only_to_empty_dirs_and_reads_its_config_from_the_configmap() -> None:
    pod = _pod()
    scanner = _scanner()
    mounts = _mounts(pod, scanner)
    report_dir = _arg_value(scanner["args"], "--report-dir")
    assert "emptyDir" in mounts[report_dir]
    assert not mounts[report_dir]["readOnly"]
    assert "emptyDir" in mounts["/tmp"], "read-only root: temporary files need a volume"
    configmap = _manifests()["ConfigMap/opa-comply-config"]
    config = _arg_value(scanner["args"], "--config")
    waivers = f"{config.rsplit('/', 1)[0]}/{_config()['waivers']['file']}"  # config-relative
    for path in (config, waivers):
        folder, name = path.rsplit("/", 1)
        assert mounts[folder]["configMap"]["name"] == configmap["metadata"]["name"], path
        assert mounts[folder]["readOnly"] is True
        assert name in configmap["data"], path


def test_service_account_uses_irsa() -> None:
    accounts = {k: v for k, v in _manifests().items() if v["kind"] == "ServiceAccount"}
    account = accounts[f"ServiceAccount/{_pod()['serviceAccountName']}"]
    arn = account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
    assert re.fullmatch(r"arn:aws:iam::\d{12}:role/\S+", arn)
    assert PLACEHOLDER in arn
    scanner_env = _env(_scanner())
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(scanner_env)


def test_network_policy_selects_the_drift_pod() -> None:
    policy = next(v for v in _manifests().values() if v["kind"] == "NetworkPolicy")
    labels = _cronjob()["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    selector = policy["spec"]["podSelector"]["matchLabels"]
    assert selector.items() <= labels.items()
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    assert policy["spec"]["ingress"] == []


# --- systemd ---------------------------------------------------------------------------


def test_service_is_a_hardened_oneshot_as_a_dedicated_user() -> None:
    service = _unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    assert service["User"] not in {"", "root", "0"}
    assert Path(service["EnvironmentFile"].lstrip("-")).is_absolute()
    assert "XDG_STATE_HOME=/var/lib" in service["Environment"].split()
    assert "opa-comply" in service["StateDirectory"].split()
    for option, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
    }.items():
        assert service[option] == value, option
    writable = service["ReadWritePaths"].split()
    assert "/var/lib/opa-comply" in writable  # XDG_STATE_HOME/opa-comply: state.db
    report_dir = _arg_value(_systemd_drift_argv(), "--report-dir")
    assert any(report_dir == p or report_dir.startswith(p + "/") for p in writable)
    timeout = re.fullmatch(r"(\d+)min", service["TimeoutStartSec"])
    assert timeout is not None
    assert 0 < int(timeout.group(1)) < 60, "ends within its hour"
    assert Path(shlex.split(service["ExecStart"])[0]).is_absolute()


def test_default_state_store_lands_in_the_state_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = _unit(SERVICE)["Service"]
    environment = dict(item.split("=", 1) for item in service["Environment"].split())
    monkeypatch.setenv("XDG_STATE_HOME", environment["XDG_STATE_HOME"])
    path = default_state_path()  # where `drift` puts SQLite without --state
    assert path == Path("/var/lib/opa-comply/state.db")
    state_directories = [f"/var/lib/{name}" for name in service["StateDirectory"].split()]
    assert str(path.parent) in state_directories
    assert str(path.parent) in service["ReadWritePaths"].split()


def test_timer_runs_the_service_hourly_and_catches_up() -> None:
    timer = _unit(TIMER)
    assert timer["Timer"]["Unit"] == SERVICE.name
    assert timer["Timer"]["OnCalendar"] == "hourly"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["RandomizedDelaySec"]
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert "Install" not in _unit(SERVICE), "the timer, not the service, is enabled"


# --- cron ------------------------------------------------------------------------------


def _cron_field_ok(field: str, low: int, high: int) -> bool:
    for part in field.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part)
        if match is None:
            return False
        numbers = [int(n) for n in match.group(2, 3, 4) if n is not None]
        if match.group(4) is not None and int(match.group(4)) == 0:
            return False
        bounds = numbers[:-1] if match.group(4) is not None else numbers
        if not all(low <= n <= high for n in bounds):
            return False
    return True


def test_crontab_line_runs_hourly_under_flock() -> None:
    schedule, command = _cron_job()
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    for field, (low, high) in zip(schedule, ranges, strict=True):
        assert _cron_field_ok(field, low, high), field
    assert schedule[0].isdigit(), "hourly"
    assert schedule[1:] == ["*", "*", "*", "*"], "hourly"
    words = shlex.split(command)
    assert words[:2] == ["flock", "-n"]
    lock = next(word for word in words[2:] if word.startswith("/"))
    assert not lock.startswith("/tmp/"), "a lock in /tmp can be taken by anyone"
    assert "%" not in command, "cron turns % into a newline"
    timeout = words.index("timeout")
    limit = re.fullmatch(r"(\d+)m", words[timeout + 3])
    assert limit is not None
    assert int(limit.group(1)) < 60
    assert re.search(r">>\s*/\S+\.log 2>&1", command), "logged to a file"
    assert f". /etc/opa-comply/{ENV_EXAMPLE.name.removesuffix('.example')}" in command


def test_crontab_shares_the_systemd_units_state_and_paths() -> None:
    settings, _ = _crontab()
    service = _unit(SERVICE)["Service"]
    assert f"XDG_STATE_HOME={settings['XDG_STATE_HOME']}" in service["Environment"].split()
    assert settings["SHELL"] == "/bin/sh"
    assert "MAILTO" in settings
    assert _cron_drift_argv() == _systemd_drift_argv()
    env_file = service["EnvironmentFile"].lstrip("-")
    assert f". {env_file} " in _cron_job()[1]


# --- one drift invocation everywhere ---------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(_cron_drift_argv, id="cron"),
        pytest.param(_systemd_drift_argv, id="systemd"),
        pytest.param(lambda: list(_scanner()["args"]), id="kubernetes"),
    ],
)
def test_drift_invocation_uses_the_documented_options(argv: Any) -> None:
    arguments: list[str] = argv()
    assert arguments[0] == "drift"
    options = {a.split("=", 1)[0] for a in arguments[1:] if a.startswith("--")}
    assert options <= DRIFT_OPTIONS
    assert _arg_value(arguments, "--fail-on") == "none"  # findings are alerts, not failures
    assert {"--config", "--report-dir"} <= options


def test_drift_options_exist_in_the_cli() -> None:
    help_text = run_cli("drift", "--help", env={"COLUMNS": "200", "TERM": "dumb"})
    if help_text.code != 0 and "No such command" in help_text.stderr:
        pytest.skip("`opa-comply drift` is not built yet")
    assert help_text.code == 0, help_text.stderr
    used = {
        a.split("=", 1)[0]
        for argv in (_cron_drift_argv(), _systemd_drift_argv(), _scanner()["args"])
        for a in argv
        if a.startswith("--")
    }
    for option in sorted(used):
        assert option in help_text.stdout, option


# --- the env example -------------------------------------------------------------------


def test_env_example_holds_placeholders_only() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    values = _env_file(text)
    assert values
    for name, value in values.items():
        assert PLACEHOLDER in value, name
    for line in text.splitlines():  # commented-out examples too
        if "://" in line and "@" in line:
            assert f":{PLACEHOLDER}@" in line or not re.search(r"://[^/@:]+:[^@]+@", line)
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(values)
    assert re.search(r"(?m)^#.*\b0?6[04]0\b", text), "file mode advice"


def test_env_example_reads_the_same_in_sh_and_systemd(tmp_path: Path) -> None:
    """The cron line sources it with sh; systemd reads it as NAME=value lines."""
    script = f'set -a && . "{ENV_EXAMPLE}" && set +a && env -0'
    completed = subprocess.run(
        ["sh", "-c", script], capture_output=True, check=True, env={"PATH": "/usr/bin:/bin"}
    )
    exported = dict(
        entry.split("=", 1) for entry in completed.stdout.decode().split("\0") if "=" in entry
    )
    for name, value in _env_file(ENV_EXAMPLE.read_text(encoding="utf-8")).items():
        assert exported[name] == value, name


# --- run for real: the crontab line's shell plumbing ------------------------------------


def _run_cron_line(tmp_path: Path, scanner_exit: int, hold_lock: bool = False) -> tuple[str, str]:
    """Run the crontab's command as cron would (sh -c, the crontab's environment), with
    its paths moved under tmp_path and the scanner replaced by a stub. Returns (what cron
    would mail, the log)."""
    if not (shutil.which("flock") and shutil.which("timeout")):
        pytest.skip("flock(1) or timeout(1) not installed")
    settings, _ = _crontab()
    _, command = _cron_job()
    state, logs, etc = tmp_path / "state", tmp_path / "log", tmp_path / "etc"
    for folder in (state, logs, etc):
        folder.mkdir()
    shutil.copy(ENV_EXAMPLE, etc / "opa-comply.env")
    stub = tmp_path / "opa-comply"
    stub.write_text(
        '#!/bin/sh\necho "stub: $* slack=$SLACK_WEBHOOK_URL state=$XDG_STATE_HOME"\n'
        f"exit {scanner_exit}\n"
    )
    stub.chmod(0o755)
    moved = (
        command.replace("/opt/opa-comply/bin/opa-comply", str(stub))
        .replace("/var/lib/opa-comply", str(state))
        .replace("/var/log/opa-comply", str(logs))
        .replace("/etc/opa-comply/opa-comply.env", str(etc / "opa-comply.env"))
    )
    assert "/var/" not in moved
    assert "/opt/" not in moved
    environment = {name: value for name, value in settings.items() if name != "MAILTO"}
    with open(state / "drift.lock", "w") as lock:
        if hold_lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a run still going
        completed = subprocess.run(
            ["sh", "-c", moved], capture_output=True, text=True, env=environment, timeout=60
        )
    assert completed.stderr == ""
    log = logs / "drift.log"
    return completed.stdout, log.read_text() if log.exists() else ""


def test_cron_line_logs_a_successful_run_and_mails_nothing(tmp_path: Path) -> None:
    mailed, log = _run_cron_line(tmp_path, 0)
    assert mailed == ""
    assert "== opa-comply drift" in log
    # The env file was sourced and exported; the crontab's own settings reached the scan.
    assert "slack=https://hooks.slack.com/services/REPLACE_ME" in log
    assert "state=/var/lib" in log
    assert "stub: drift --config" in log


@pytest.mark.parametrize("code", [2, 3])
def test_cron_line_mails_one_line_when_the_scan_fails(tmp_path: Path, code: int) -> None:
    mailed, log = _run_cron_line(tmp_path, code)
    log_path = tmp_path / "log" / "drift.log"
    assert mailed.splitlines() == [
        f"opa-comply drift failed with exit {code} (75: the previous run still held the"
        f" lock); see {log_path}"
    ]
    assert "stub: drift" in log


def test_cron_line_skips_while_the_previous_run_holds_the_lock(tmp_path: Path) -> None:
    mailed, log = _run_cron_line(tmp_path, 0, hold_lock=True)
    assert "exit 75" in mailed
    assert "stub:" not in log, "no second scan"


# --- run for real: the pod's policy copy and OPA sidecar, with the real CLI -------------


def _moved(argument: str, moves: dict[str, Path]) -> str:
    """`argument` with a leading container path replaced by the host folder standing in."""
    for inside, outside in moves.items():
        if argument == inside or argument.startswith(inside.rstrip("/") + "/"):
            return str(outside) + argument[len(inside.rstrip("/")) :]
    return argument


@pytest.fixture
def sidecar_as_configured(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The `policies` init container's command and the OPA sidecar's arguments, exactly as
    in the CronJob except for the ports (free loopback ports) and the emptyDir (a temp
    folder), run with the real OPA. Yields (OPA_URL as the scanner gets it, probe URL)."""
    pod = _pod()
    copy, sidecar = _container(pod, "policies", init=True), _sidecar()
    volume = tmp_path / "policies-volume"
    volume.mkdir()  # an emptyDir starts empty
    [target] = [m for m, v in _mounts(pod, copy).items() if v["name"] == "policies"]
    # /app/policies is where the Dockerfile copies policies/ (checked above).
    moves = {"/app/policies": REPO / "policies", target: volume}
    command = [_moved(arg, moves) for arg in copy["command"]]
    subprocess.run(command, check=True, timeout=60)

    api_port, diagnostic_port = free_port(), free_port()
    api_addr = _arg_value(sidecar["args"], "--addr")
    diagnostic_addr = _arg_value(sidecar["args"], "--diagnostic-addr")
    [served] = [m for m, v in _mounts(pod, sidecar).items() if v["name"] == "policies"]
    args = [
        _moved(arg, {served: volume})
        .replace(f"={api_addr}", f"=127.0.0.1:{api_port}")
        .replace(f"={diagnostic_addr}", f"=127.0.0.1:{diagnostic_port}")
        for arg in sidecar["args"]
    ]
    scanner_url = _env(_scanner())["OPA_URL"]["value"].replace(api_addr, f"127.0.0.1:{api_port}")
    probe = sidecar["startupProbe"]
    probe_url = f"http://127.0.0.1:{diagnostic_port}{probe['httpGet']['path']}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([str(opa_binary()), *args], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + probe["failureThreshold"] * probe["periodSeconds"]
            while True:
                try:
                    if requests.get(probe_url, timeout=probe["timeoutSeconds"]).ok:
                        break
                except requests.RequestException:
                    pass
                assert process.poll() is None, "OPA exited"
                assert time.monotonic() < deadline, "the startupProbe would never pass"
                time.sleep(0.1)
            yield scanner_url, probe_url
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_cronjobs_scanner_runs_drift_through_the_sidecar(
    sidecar_as_configured: tuple[str, str], tmp_path: Path
) -> None:
    scanner_url, probe_url = sidecar_as_configured
    # The diagnostics listener answers health, never the data API; the API has our policies.
    diagnostics = probe_url.split("/health", 1)[0]
    assert requests.get(f"{diagnostics}/v1/policies", timeout=5).status_code == 404
    assert requests.get(f"{scanner_url}/v1/policies", timeout=5).json()["result"]

    pod, scanner = _pod(), _scanner()
    mounts = _mounts(pod, scanner)
    # The ConfigMap's files as the kubelet mounts them, but for drift.collect: there is no
    # AWS or PostgreSQL here, so the repository's example snapshots stand in for collection.
    [config_mount] = [path for path, volume in mounts.items() if "configMap" in volume]
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for name, text in _manifests()["ConfigMap/opa-comply-config"]["data"].items():
        if name == CONFIG.name:
            document = yaml.safe_load(text)
            del document["drift"]["collect"]
            text = yaml.safe_dump(document)
        (config_dir / name).write_text(text, encoding="utf-8")
    reports = tmp_path / "reports"
    report_dir = _arg_value(scanner["args"], "--report-dir")
    args = [_moved(arg, {config_mount: config_dir, report_dir: reports}) for arg in scanner["args"]]
    environment = {
        **_kubernetes_environment(),  # the example Secret's placeholders
        "OPA_URL": scanner_url,
        "OPA_COMPLY_STATE": f"sqlite:///{tmp_path / 'state.db'}",  # no PostgreSQL here
    }
    # --dry-run: compare and plan the alerts, send nothing (the channels are placeholders).
    result = run_cli(*args, *VIOLATING, "--dry-run", env=environment)
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["opa"]["url"] == scanner_url
    assert report["drift"]["previous_scan"] is None
    assert report["drift"]["new"]
    assert {"opa-comply.json", "opa-comply.sarif"} <= {p.name for p in reports.iterdir()}
    routed = re.findall(r"would send trigger to ([\w.-]+):", result.stderr)
    assert routed, "the example rules route none of the example findings"
    assert set(routed) <= set(_config()["alerts"]["channels"])
    # The copy is complete: OPA loaded exactly the policies the managed sidecar loads.
    managed = run_cli("scan", *VIOLATING, "--format", "json", "--fail-on", "none")
    assert managed.code == 0, managed.stderr
    assert report["opa"]["policy_digest"] == managed.json()["opa"]["policy_digest"]
