#!/usr/bin/env bash
# Builds the release abi3 wheel, installs it into the repository's .venv, runs the benchmark
# against an in-process sandbox on 127.0.0.1 and writes bindings-python/BENCHMARKS.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"

wheels="$root/target/wheels/python-release"
rm -rf "$wheels"
(cd "$here" && CARGO_TARGET_DIR="$root/target" "$venv/bin/maturin" build --release --quiet --out "$wheels")
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheels"/qfpay-*-abi3-*.whl

"$venv/bin/python" "$here/bench/bench.py" "$@" | tee "$here/BENCHMARKS.md"
echo "wrote $here/BENCHMARKS.md" >&2
