#!/usr/bin/env bash
# PostgreSQL server (with pgaudit and plperl) from Debian's packages, for the collector
# tests. The tests create and start their own clusters; nothing here starts a server.
# Skipped when initdb, pgaudit and plperl are already installed.
set -euo pipefail
have() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && ls /usr/lib/postgresql/*/lib/pgaudit.so /usr/lib/postgresql/*/lib/plperl.so >/dev/null 2>&1
}
if have; then
  exit 0
fi
# The version-less names follow Debian's default PostgreSQL (15 on bookworm).
"$(dirname "$0")/apt-install.sh" postgresql postgresql-contrib ssl-cert
major=$(ls /usr/lib/postgresql | sort -V | tail -1)
"$(dirname "$0")/apt-install.sh" "postgresql-${major}-pgaudit" "postgresql-plperl-${major}"
have
