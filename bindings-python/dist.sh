#!/usr/bin/env bash
# Builds the distributable wheel of the Python binding into OUTDIR (default: dist/python):
# release profile "dist" (stripped; QFPAY_CARGO_PROFILE overrides), abi3 (CPython >= 3.11), tagged manylinux_2_28 (RHEL 8,
# Debian 11, Amazon Linux 2023 and newer). Called by `make dist`.
# The tree is compiled by cargo as for every other artifact, in the shared target directory (the
# `dist` profile's dependencies are already built by `make dist`'s native step); only the final
# link of the extension goes through zig (the `ziglang` package from PyPI, driven by maturin's own
# `maturin zig cc` wrapper) against glibc 2.28's symbols. Which glibc a library needs is settled
# at link time, so the tag is true, not just claimed: maturin's manylinux_2_28 audit fails the
# build on any newer symbol (it does without the zig link: GLIBC_2.29 to 2.34).
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

# The linker: rustc passes it what it would pass cc; `maturin zig cc` adapts those arguments to
# zig. Given to the extension's own rustc command only (maturin's ARGS), so no dependency's
# fingerprint changes.
linker="${CARGO_TARGET_DIR:-$root/target}/zig-link/cc-x86_64-linux-gnu.2.28"
mkdir -p "$(dirname "$linker")"
printf '#!/bin/sh\nexec "%s" zig cc -- -target x86_64-linux-gnu.2.28 "$@"\n' "$venv/bin/maturin" >"$linker"
chmod +x "$linker"
rm -f "$out"/qfpay-*.whl
(cd "$here" && PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --quiet \
  --profile "${QFPAY_CARGO_PROFILE:-dist}" --strip --compatibility manylinux_2_28 --interpreter "$venv/bin/python" --out "$out" \
  -- -C linker="$linker")

wheel="$(ls "$out"/qfpay-*-abi3-*.whl | head -n 1)"
case "$wheel" in
  *manylinux_2_28_x86_64*|*manylinux_2_17_x86_64*|*manylinux2014_x86_64*) ;;
  *) echo "dist.sh: unexpected wheel tag: $wheel" >&2; exit 1 ;;
esac
echo "$wheel ($(du -k "$wheel" | cut -f1) KiB)"
