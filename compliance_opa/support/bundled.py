"""Where the bundled policies and inventory schemas live.

An installed wheel carries them under ``compliance_opa/_bundled``; a source
checkout (editable install) reads them from the repository root.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # compliance_opa/


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {name}/ not found next to {_PACKAGE_DIR}")


def policies_dir() -> Path:
    return _locate("policies")


def remediation_policy_dir() -> Path:
    """The default approval policy of `opa-comply remediate`."""
    return _locate("remediation_policy")


def inventory_schema_path() -> Path:
    return _locate("inventory_schemas") / "inventory.json"


def project_root() -> Path:
    """The repository root of a source checkout (home of the project-local OPA)."""
    return _PACKAGE_DIR.parent
