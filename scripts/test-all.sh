#!/usr/bin/env bash
# Runs every test in every language, testing what ships: the Debian packages every step needs
# (one `apt-get update`; Chromium for the browser tests), Rust (fmt, clippy, unit + integration
# tests, the generated files, one feature set for every artifact), `make dist` for the host target (each native artifact
# built once, in the profile that ships), then the Python, Node, JVM and PHP suites against those
# artifacts (QFPAY_ARTIFACTS=dist: the wheel, the npm addon, the dist-profile JVM library, the PHP
# extension), the README snippets and the install tests of dist/ (tests/install/run.sh). Each step
# installs what it needs (virtualenv, npm packages, Maven dependencies). Runs them all, prints each
# one's time and the total, then exits non-zero if any failed. Cold figures: CONTRIBUTING.md.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# A CI run builds once: incremental state would only add gigabytes to target/.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

# A full disk fails every suite at once with errors far from the cause (a stop failed so, with
# "No space left on device" in cargo's fingerprints): say how much room there is, before and after.
# A cold run takes about 5 GB (CONTRIBUTING.md, "Where the time goes").
disk() {
  local free
  free=$(df -Pk . | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }')
  echo "disk: ${free} GB free on $(df -P . | awk 'NR == 2 { print $6 }') ($1)"
  if awk -v f="$free" 'BEGIN { exit !(f < 8) }'; then
    echo "WARNING: under 8 GB free; a cold run may fail with 'No space left on device'"
  fi
}
disk "before the suites"

failed=()
passed=()
run() {
  local name=$1
  shift
  echo
  echo "=== ${name}: $*"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name")
    echo "=== ${name}: ok ($((SECONDS - start)) s)"
  else
    failed+=("$name")
    echo "=== ${name}: FAILED ($((SECONDS - start)) s)"
  fi
}

# The generated files (tests/surface.json, docs/NAMING.md, the bindings' generated type files)
# must be what the core's surface writes today: qfpay-surface --check names a stale one.
rust() {
  cargo fmt --all -- --check &&
    cargo clippy --workspace --all-targets -- -D warnings &&
    cargo test --workspace &&
    cargo run -q -p qfpay-surface -- --check &&
    python3 scripts/check-shared-features.py
}

times=()
timed() {
  local name=$1 start=$SECONDS
  run "$@"
  times+=("$(printf '%-10s %5d s' "$name" $((SECONDS - start)))")
}

# Debian packages first: the Rust suite's browser tests (sandbox/tests/browser.rs) need Chromium,
# and must not skip for want of it here.
timed debian bash scripts/debian-packages.sh bindings-php/debian-packages.txt bindings-java/debian-packages.txt bindings-node/debian-packages.txt
export QFPAY_REQUIRE_BROWSER=1
timed rust rust
# `make dist` for the host target; the suites below test its artifacts.
timed dist bash scripts/dist.sh dist
export QFPAY_ARTIFACTS="$PWD/dist"
timed python bash bindings-python/test.sh
timed node bash bindings-node/test.sh
timed jvm bash bindings-java/test.sh
timed php bash bindings-php/test.sh
timed snippets python3 tests/snippets/run.py
# Every artifact installed and paid with in a clean environment.
timed install bash tests/install/run.sh dist

echo
disk "after the suites; target/ holds $(du -sh target 2>/dev/null | cut -f1)"
printf '%s\n' "${times[@]}"
echo "total      $(printf '%5d' "$SECONDS") s"
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed${failed:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
