#!/usr/bin/env bash
# Fallback used by scripts/dist.sh while bindings-python/dist.sh does not exist: the abi3 wheel,
# built with maturin + zig (ziglang from PyPI) against glibc 2.28, so it is tagged
# manylinux_2_28 (RHEL 8, Debian 10+, Ubuntu 18.10+) instead of the build machine's glibc.
# Usage: scripts/dist-python.sh OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
venv="$root/target/dist-tools-venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
maturin_pin="$(grep -i '^maturin==' "$root/bindings-python/requirements-dev.txt" || echo 'maturin==1.16.0')"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$maturin_pin" 'ziglang==0.17.0'
export PATH="$venv/bin:$PATH"
cd "$root/bindings-python"
CARGO_TARGET_DIR="$root/target" maturin build --quiet --profile "${QFPAY_CARGO_PROFILE:-release}" \
  --zig --compatibility manylinux_2_28 --out "$out"
ls -l "$out"/*.whl
