#!/usr/bin/env bash
# Installs a pinned checkov into its own virtual environment, apart from the project's .venv
# (checkov pins many dependencies that would clash with ours). Used only by the bench/ comparison.
# Usage: scripts/install-checkov.sh [DIR]   (default .bench/checkov-venv; skips when DIR has the pinned version)
set -euo pipefail
CHECKOV_VERSION="3.3.30"
dir="${1:-.bench/checkov-venv}"
python="${PYTHON:-python3}"
if [ -x "$dir/bin/checkov" ] && [ "$("$dir/bin/checkov" --version 2>/dev/null | tail -n 1)" = "$CHECKOV_VERSION" ]; then
  exit 0
fi
echo "install-checkov: installing checkov ${CHECKOV_VERSION} into ${dir} (a few minutes, once)" >&2
"$python" -m venv "$dir"
"$dir/bin/python" -m pip install --quiet --upgrade pip
"$dir/bin/python" -m pip install --quiet "checkov==${CHECKOV_VERSION}"
installed="$("$dir/bin/checkov" --version 2>/dev/null | tail -n 1)"
if [ "$installed" != "$CHECKOV_VERSION" ]; then
  echo "install-checkov: expected checkov ${CHECKOV_VERSION}, got '${installed}'" >&2
  exit 1
fi
