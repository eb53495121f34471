#!/usr/bin/env bash
# `make serve`: the compliance service on the demo's state store (run `make demo` first),
# with a token made on first use and kept in .demo/ (git-ignored, mode 0600).
set -euo pipefail
bin=${1:?usage: serve-demo.sh VENV_BIN}
mkdir -p .demo && chmod 700 .demo
if [ ! -s .demo/serve.yaml ]; then
  umask 077
  "$bin/opa-comply" token --scope read --scope validate --name demo > .demo/token.txt
  { echo "serve:"; echo "  tokens:"; sed -n '3,5p' .demo/token.txt; } > .demo/serve.yaml
fi
echo "Dashboard: http://127.0.0.1:8080/login with the token in .demo/token.txt (first line)"
exec "$bin/opa-comply" serve --config .demo/serve.yaml --port "${PORT:-8080}"
