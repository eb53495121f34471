#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver, for the HTML report's browser test.
# Skipped when both are already installed.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
"$(dirname "$0")/apt-install.sh" chromium chromium-driver
command -v chromium >/dev/null && command -v chromedriver >/dev/null
