#!/usr/bin/env bash
# Builds the distributable wheel of the Python binding into OUTDIR (default: dist/python):
# release profile "dist" (stripped; QFPAY_CARGO_PROFILE overrides), abi3 (CPython >= 3.11), tagged manylinux_2_28 (RHEL 8,
# Debian 11, Amazon Linux 2023 and newer). zig (the `ziglang` package from PyPI) compiles and
# links against glibc 2.28, so the tag is true, not just claimed. Called by `make dist`.
#   bash bindings-python/dist.sh OUTDIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$(mkdir -p "${1:-$root/dist/python}" && cd "${1:-$root/dist/python}" && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt" -r "$here/requirements-dist.txt"

# Its own target directory: zig-compiled C dependencies must not replace the host-compiled ones
# the test builds use.
target="${QFPAY_PY_DIST_TARGET:-$root/target/python-dist}"
rm -f "$out"/qfpay-*.whl
(cd "$here" && PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target" "$venv/bin/maturin" build --quiet \
  --profile "${QFPAY_CARGO_PROFILE:-dist}" --strip --zig --compatibility manylinux_2_28 --interpreter "$venv/bin/python" --out "$out")

wheel="$(ls "$out"/qfpay-*-abi3-*.whl | head -n 1)"
case "$wheel" in
  *manylinux_2_28_x86_64*|*manylinux_2_17_x86_64*|*manylinux2014_x86_64*) ;;
  *) echo "dist.sh: unexpected wheel tag: $wheel" >&2; exit 1 ;;
esac
echo "$wheel ($(du -k "$wheel" | cut -f1) KiB)"
