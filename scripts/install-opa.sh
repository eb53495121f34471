#!/usr/bin/env bash
# Builds the pinned OPA from the Go module proxy into a project-local bin directory.
# Usage: scripts/install-opa.sh VERSION DEST_DIR   (skips the build when VERSION is there)
set -euo pipefail
version="$1"
dest="$2"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"

# The version is read whole before it is matched: `opa version | grep -q` under pipefail
# fails at random with SIGPIPE (141) when grep exits before OPA has written its last line.
has_version() {
  local out
  out="$("$dest/opa" version 2>/dev/null)" || return 1
  grep -qx "Version: ${version}" <<<"$out"
}

if [ -x "$dest/opa" ] && has_version; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-opa: Go is needed to build OPA v${version} (or set OPA_BINARY to an opa binary)" >&2
  exit 1
fi
echo "install-opa: building OPA v${version} into ${dest} (a minute or two, once)"
GOBIN="$dest" GOFLAGS="-mod=mod" CGO_ENABLED=0 go install "github.com/open-policy-agent/opa@v${version}"
if ! has_version; then
  echo "install-opa: ${dest}/opa does not report version ${version} after the build" >&2
  exit 1
fi
