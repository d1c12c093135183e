#!/usr/bin/env bash
# Builds (first run) or reuses (later runs) the kube-apiserver and etcd binaries that the live
# tests start, cached outside the repository under ${MOM_KUBE_CACHE:-~/.cache/mom/kube}.
# Prints the build's progress; exits non-zero when they cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1; then
    echo "live-binaries: error: the go command is not on PATH" >&2
    exit 1
fi
echo "live-binaries: $(go version)"
python="python3"
if [ -x .venv/bin/python ]; then
    python=.venv/bin/python
fi
exec "$python" -u tests/live/binaries.py
