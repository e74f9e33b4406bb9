#!/usr/bin/env bash
# `make dist`: every distributable for the host target (linux-x86_64) into dist/ (or $1):
#   dist/crates/   qfpay-<v>.crate, qfpay-sandbox-<v>.crate   (cargo publish --dry-run, cargo package; contents checked)
#   dist/cli/      qfpay-<v>-<target>, its README, the licences (the CLI, cargo profile `dist`)
#   dist/python/   the wheel            (bindings-python/dist.sh)
#   dist/node/     the npm tarballs     (bindings-node/dist.sh)
#   dist/java/     the Maven artifact   (bindings-java/dist.sh)
#   dist/php/      qfpay.so             (bindings-php/dist.sh, when the PHP binding exists)
#   dist/SIZES.txt every file's size
# A binding without its own dist.sh falls back to scripts/dist-<lang>.sh when one exists.
# Each step is timed; a failing step is reported and the script exits non-zero at the end.
# The native artifacts (the CLI, the Node addon, the JVM library, the PHP extension) are compiled first by ONE cargo command in the `dist` profile (step `native`): with
# tools/workspace-hack every one of them resolves the same features, so the dependency tree is
# compiled once and the binding scripts below find their library built. The wheel (maturin) finds
# the same dependencies built and compiles only pyo3 and the binding; zig links it against glibc
# 2.28 (bindings-python/dist.sh).
# Usage: scripts/dist.sh [OUT_DIR [STEP...]]   steps: native crates cli python node java php
#        (default: all)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist}"
shift || true
only=" ${*:-native crates cli python node java php} "
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The cargo profile for distributables (Cargo.toml [profile.dist]); binding scripts may use it.
export QFPAY_CARGO_PROFILE="${QFPAY_CARGO_PROFILE:-dist}"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
host="$(rustc -vV | sed -n 's/^host: //p')"
failed=()
step() {
  local name=$1
  shift
  [[ "$only" == *" $name "* ]] || return 0
  echo "--- dist ${name}"
  local start=$SECONDS
  if "$@"; then
    echo "--- dist ${name}: ok ($((SECONDS - start)) s)"
  else
    echo "--- dist ${name}: FAILED ($((SECONDS - start)) s)" >&2
    failed+=("$name")
  fi
}

crates() {
  rm -rf "$out/crates" && mkdir -p "$out/crates"
  # Both at once: cargo verifies qfpay-sandbox against the just-packaged qfpay (local overlay).
  # Cargo extracts the overlay's qfpay-<version>.crate only once per version and keeps the copy
  # (~/.cargo/registry/src/-<hash>/), so a second run would verify against the FIRST run's
  # sources: drop those extracted copies first (the overlay directories start with '-').
  rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/qfpay-"$version" \
    "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/qfpay-sandbox-"$version"
  # Cargo also never re-checks a registry crate's sources once built: the verification build
  # would link the first run's qfpay, compiled into the shared target directory. Drop the
  # fingerprints of both crates (debug, where verification builds) so they are compiled again.
  rm -rf "$target_dir"/debug/.fingerprint/qfpay-???????????????? "$target_dir"/debug/.fingerprint/qfpay-sandbox-????????????????
  # `cargo publish --dry-run`: what crates.io would check of the metadata and the index, short of
  # the upload; `cargo package` then builds each package as crates.io would (the verification)
  # and leaves it in target/package.
  cargo publish -q --dry-run --no-verify -p qfpay -p qfpay-sandbox --allow-dirty &&
    cargo package -q -p qfpay -p qfpay-sandbox --allow-dirty &&
    cp "$target_dir/package/qfpay-$version.crate" "$target_dir/package/qfpay-sandbox-$version.crate" "$out/crates/" &&
    crate_contents qfpay && crate_contents qfpay-sandbox
}

# A crate package holds its README and both licence texts, and declares what crates.io shows.
crate_contents() {
  local name=$1 listing manifest
  listing="$(tar tzf "$out/crates/$name-$version.crate")" || return 1
  for f in README.md LICENSE-MIT LICENSE-APACHE Cargo.toml; do
    grep -qx "$name-$version/$f" <<<"$listing" || { echo "$name-$version.crate lacks $f" >&2; return 1; }
  done
  manifest="$(tar xzf "$out/crates/$name-$version.crate" -O "$name-$version/Cargo.toml")" || return 1
  for key in description license repository homepage readme keywords categories; do
    grep -q "^$key = " <<<"$manifest" || { echo "$name-$version.crate: Cargo.toml lacks $key" >&2; return 1; }
  done
}

native() {
  local php=()
  if [ -d bindings-php ] && { command -v php-config >/dev/null || [ -n "${PHP_CONFIG:-}" ]; }; then
    php=(-p qfpay-php --features qfpay-php/php)
  fi
  cargo build -q --profile "$QFPAY_CARGO_PROFILE" -p qfpay-cli -p qfpay-node -p qfpay-jvm "${php[@]}"
}

cli() {
  rm -rf "$out/cli" && mkdir -p "$out/cli"
  cargo build -q --profile "$QFPAY_CARGO_PROFILE" -p qfpay-cli &&
    cp "$target_dir/$QFPAY_CARGO_PROFILE/qfpay" "$out/cli/qfpay-$version-$host" &&
    cp cli/README.md LICENSE-MIT LICENSE-APACHE "$out/cli/" &&
    "$out/cli/qfpay-$version-$host" --version
}

binding() {
  local lang=$1 dir=$2
  rm -rf "${out:?}/$lang"
  if [ -f "$dir/dist.sh" ]; then
    mkdir -p "$out/$lang" && bash "$dir/dist.sh" "$out/$lang"
  elif [ -f "scripts/dist-$lang.sh" ]; then
    echo "($dir/dist.sh missing: using scripts/dist-$lang.sh)"
    mkdir -p "$out/$lang" && bash "scripts/dist-$lang.sh" "$out/$lang"
  else
    # No dist/$lang directory: tests/install/run.sh reports the language as skipped.
    echo "SKIPPED: no $dir/dist.sh (and no scripts/dist-$lang.sh)"
  fi
}

step native native
step crates crates
step cli cli
step python binding python bindings-python
step node binding node bindings-node
step java binding java bindings-java
if [ -d bindings-php ]; then
  step php binding php bindings-php
elif [[ "$only" == *" php "* ]]; then
  echo "--- dist php: skipped (no bindings-php/)"
fi

{
  echo "# dist/ for $host, qfpay $version, built $(date -u +%Y-%m-%dT%H:%MZ); bytes, path"
  (cd "$out" && find . -type f ! -name SIZES.txt -printf '%s\t%P\n' | sort -k2)
} >"$out/SIZES.txt"
echo
awk -F'\t' 'NR == 1 {print; next} {printf "%12d  %s\n", $1, $2}' "$out/SIZES.txt"

if [ ${#failed[@]} -ne 0 ]; then
  echo "dist: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "dist: everything in $out"
