#!/usr/bin/env bash
# Builds the pinned OPA from the Go module proxy into a project-local bin directory.
# Usage: scripts/install-opa.sh VERSION DEST_DIR   (skips the build when VERSION is there)
set -euo pipefail
version="$1"
dest="$2"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
if [ -x "$dest/opa" ] && "$dest/opa" version 2>/dev/null | grep -qx "Version: ${version}"; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-opa: Go is needed to build OPA v${version} (or set OPA_BINARY to an opa binary)" >&2
  exit 1
fi
echo "install-opa: building OPA v${version} into ${dest} (a minute or two, once)"
GOBIN="$dest" GOFLAGS="-mod=mod" CGO_ENABLED=0 go install "github.com/open-policy-agent/opa@v${version}"
"$dest/opa" version | grep -qx "Version: ${version}"
