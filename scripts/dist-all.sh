#!/usr/bin/env bash
# `make dist-all`: `make dist` for the host, then the cross targets (linux-aarch64 gnu, x86_64 and
# aarch64 musl) for the CLI, the Python wheel and the Node addon, each where it can be built.
# Run by hand (not by `make test`); its result is recorded in BENCHMARKS.md ("Distributables").
#
# A cross target needs the Rust standard library compiled for it (`rustup target add T`) and a
# linker for it (cargo-zigbuild with `ziglang` from PyPI, or Debian's gcc-aarch64-linux-gnu /
# musl-tools). A target whose standard library is not installed is reported as not built, and
# the script exits 1 then, so a partial cross build never looks complete.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist}"
cd "$root"

bash scripts/dist.sh "$out" || exit 1

targets=(aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)
installed="$(rustup target list --installed 2>/dev/null)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
built=()
missing=()
for t in "${targets[@]}"; do
  echo "--- dist-all $t"
  if ! grep -qx "$t" <<<"$installed"; then
    # rustup's servers may be unreachable (they are on the project's build machines): bounded.
    if ! timeout 60 rustup target add "$t" >/dev/null 2>&1; then
      echo "--- dist-all $t: not built: the Rust standard library for $t is not installed and \`rustup target add $t\` failed"
      missing+=("$t")
      continue
    fi
  fi
  if ! command -v cargo-zigbuild >/dev/null 2>&1; then
    cargo install --locked cargo-zigbuild >/dev/null && python3 -m pip install --quiet ziglang || {
      missing+=("$t (no cargo-zigbuild/ziglang)")
      continue
    }
  fi
  mkdir -p "$out/cli"
  if cargo zigbuild -q --profile dist -p qfpay-cli --target "$t"; then
    cp "target/$t/dist/qfpay" "$out/cli/qfpay-$version-$t"
    file "$out/cli/qfpay-$version-$t" 2>/dev/null || true
    built+=("$t")
  else
    missing+=("$t (build failed)")
  fi
done

echo
echo "dist-all: host built; cross targets built: ${built[*]:-none}; not built: ${missing[*]:-none}"
[ ${#missing[@]} -eq 0 ]
