#!/usr/bin/env bash
# Installs the abi3 wheel into the repository's .venv (created when missing), type-checks the
# usage file, the stubs and examples/python with mypy --strict, and runs the pytest suite (the
# shared vectors, the sandbox scenarios, the online flows over the sandbox's pages (hosted checkout,
# WeChat JSAPI), reconciliation (transactions, reconcile, statements), the GIL and asyncio tests, the seed sample, the README's
# quick start, the example projects under gunicorn and uvicorn, and the wheel's metadata). The wheel is
# the shipped one, $QFPAY_ARTIFACTS/python/*.whl, when set (make test: scripts/dist.sh built it),
# otherwise a debug build (a developer's `make test-python`).
# Runs from any directory on a machine with Python 3.11 and cargo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"

if [ -n "${QFPAY_ARTIFACTS:-}" ]; then
  # twine and trove-classifiers, for tests/test_package.py's checks of what PyPI would receive.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-check.txt"
  wheel="$(ls "$QFPAY_ARTIFACTS"/python/qfpay-*-abi3-*.whl | head -n 1)"
else
  # Debug build (fast to compile) into the shared target directory.
  wheels="$root/target/wheels/python-test"
  rm -rf "$wheels"
  (cd "$here" && CARGO_TARGET_DIR="$root/target" "$venv/bin/maturin" build --quiet --strip --out "$wheels")
  wheel="$(ls "$wheels"/qfpay-*-abi3-*.whl | head -n 1)"
fi
echo "testing $wheel"
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheel"

# `import qfpay` must work with nothing but the wheel: a separate venv, no index, no other package.
bare="$root/target/python-bare-venv"
[ -x "$bare/bin/python" ] || "$python" -m venv "$bare"
"$bare/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --force-reinstall "$wheel"
"$bare/bin/python" -c 'import qfpay, qfpay.testing; print("bare venv: import qfpay", qfpay.__version__, "ok")'

# Typed usage file, the package's own stubs and the examples (scripts and the Django, Flask and
# FastAPI projects), strictly.
(cd "$here" && "$venv/bin/python" -m mypy --strict --no-incremental typing_check.py python/qfpay "$root/examples/python")

# The suite; exit code 5 (no tests collected) is a failure too.
set +e
(cd "$here" && QFPAY_TEST_WHEEL="$wheel" "$venv/bin/python" -m pytest -q tests "$@")
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
