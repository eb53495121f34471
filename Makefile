# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
OPA_VERSION := 1.22.2
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools/bin
OPA := $(TOOLS)/opa
PY_SOURCES := compliance_opa collectors remediators tests scripts bench

.PHONY: setup browser postgres demo serve test bench lint typecheck policy-check policy-test plan-coverage pytest clean

setup: $(VENV)/.installed opa

# Re-installs only when the pins or the package metadata change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

opa:
	scripts/install-opa.sh $(OPA_VERSION) $(TOOLS)

# Debian's chromium and chromedriver, for the HTML report's browser test.
browser:
	scripts/install-browser.sh

# Debian's PostgreSQL server with pgaudit and plperl; the tests start their own clusters.
postgres:
	scripts/install-postgres.sh

# A drift scan on the embedded defaults: managed OPA sidecar, SQLite state in the user's
# state directory; run it twice and the second run shows every finding as persisting.
demo: setup
	$(BIN)/opa-comply drift examples/*.json examples/library/*.json --scope examples --format table --fail-on none --report-dir reports
	@echo "Reports written to reports/ (where classified data lives: reports/data-map.md); scan history in ~/.local/state/opa-comply/state.db (opa-comply report),"
	@echo "evidence in ~/.local/state/opa-comply/evidence (opa-comply evidence verify)"

# The compliance service (dashboard, validation API) on the demo's scans: `make demo` first.
serve: setup
	scripts/serve-demo.sh $(BIN)

test: setup browser postgres lint typecheck policy-check policy-test pytest

# Scan speed and memory against OPA's own floor and against checkov (its own venv under
# .bench/); generated inputs are kept in .bench/, results written to BENCHMARKS.md, each
# script replacing its own sections. About 15 minutes; `make bench FULL=1` also runs
# checkov on the 20000-resource plan (about 40 minutes more).
bench: setup
	test -x /usr/bin/time || scripts/apt-install.sh time  # GNU time measures peak memory
	scripts/install-checkov.sh .bench/checkov-venv
	$(BIN)/python -m bench.run $(if $(FULL),--checkov-max 20000)
	$(BIN)/python -m bench.startup  # `opa-comply plan` on every real plan, against checkov
	$(BIN)/python -m bench.incremental  # drift of 100k resources, 1% changed, against full
	$(BIN)/python -m bench.floor  # OPA's own evaluation cost, policies before and after
	$(BIN)/python -m bench.serve  # the validation service under load
	$(BIN)/python -m bench.audit_logs  # summarising 100 MB and 1 GB of pgaudit csvlog

# Import contracts (.importlinter): the layers of docs/architecture.md.
lint:
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

# Policies are type-checked against the inventory schema (see scripts/opa_type_schema.py).
policy-check:
	$(BIN)/python scripts/build_inventory_schema.py --check
	$(BIN)/python scripts/opa_type_schema.py .tools/schema
	$(OPA) check --strict --schema .tools/schema policies policy_tests
	$(OPA) fmt --list --fail policies policy_tests
	$(OPA) check --strict remediation_policy
	$(OPA) fmt --list --fail remediation_policy

policy-test:
	$(OPA) test policies policy_tests
	$(OPA) test remediation_policy  # the approval policy of `opa-comply remediate`
	$(OPA) test --coverage --threshold 95 remediation_policy > /dev/null
	$(OPA) test --coverage --threshold 95 policies policy_tests > .tools/coverage.json \
		|| { $(BIN)/python scripts/coverage_summary.py .tools/coverage.json; exit 1; }
	$(BIN)/python scripts/coverage_summary.py .tools/coverage.json

# The share of the real-plan fixtures' AWS resources some check judges (docs/plan-coverage.md).
plan-coverage:
	OPA_BINARY=$(abspath $(OPA)) $(BIN)/python scripts/plan_coverage.py --skip-unreadable \
		tests/fixtures/terraform-plans/*.json

pytest:
	OPA_BINARY=$(abspath $(OPA)) $(BIN)/pytest -n auto --dist loadfile

clean:
	rm -rf $(VENV) .tools reports test-artifacts .mypy_cache .ruff_cache .pytest_cache
