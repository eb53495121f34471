"""Write the bundled policies' check catalogue (compliance_opa/engine/policy_catalogue.json).

Run after changing a check: `.venv/bin/python scripts/build_policy_catalogue.py` (OPA from
OPA_BINARY or the project's .tools/bin). The managed OPA loads only the checks of an
input's resource types by this catalogue (engine/catalogue.py); a stale one only costs
speed (the policies then load whole), and tests/integration/test_policy_catalogue.py fails
until it is written again.
"""

from __future__ import annotations

import json
import sys

from compliance_opa.engine.catalogue import SHIPPED, build, has_links, read_folder
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.inventory import envelope
from compliance_opa.support.bundled import policies_dir


def main() -> int:
    folder = read_folder(policies_dir())
    with open_engine(EngineSettings()) as client:
        report = client.evaluate(envelope.document([], [], {})).result
    catalogue = build(report, folder.texts)
    if catalogue is None or has_links(folder.root):
        print("the bundled policies allow no catalogue", file=sys.stderr)
        return 1
    SHIPPED.write_text(json.dumps(catalogue.as_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED} ({len(catalogue.checks)} checks, {catalogue.digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
