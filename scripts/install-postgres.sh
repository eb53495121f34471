#!/usr/bin/env bash
# PostgreSQL server (and pgaudit) from Debian's packages, for the collector tests.
# The tests create and start their own clusters; nothing here starts a server.
# Skipped when initdb and pgaudit are already installed.
set -euo pipefail
have() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && ls /usr/lib/postgresql/*/lib/pgaudit.so /usr/lib/postgresql/*/lib/plperl.so >/dev/null 2>&1
}
if have; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-postgres: need root (or sudo) for apt-get" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The version-less names follow Debian's default PostgreSQL (15 on bookworm).
$SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib ssl-cert >/dev/null
major=$(ls /usr/lib/postgresql | sort -V | tail -1)
$SUDO apt-get install -y -qq --no-install-recommends "postgresql-${major}-pgaudit" "postgresql-plperl-${major}" >/dev/null
have
