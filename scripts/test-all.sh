#!/usr/bin/env bash
# Runs every test in every language: Rust (fmt, clippy, unit + integration tests), then the
# Python, Node, JVM and PHP (when bindings-php/test.sh exists) bindings' suites, the README
# snippets (tests/snippets/run.py, which needs the bindings the suites built), `make dist` for the
# host target and the install tests of dist/ (tests/install/run.sh). Each suite installs what it
# needs (virtualenv, npm packages, Maven dependencies, Debian packages). Runs them all, prints
# each one's time, then exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

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
    cargo run -q -p qfpay-surface -- --check
}

times=()
timed() {
  local name=$1 start=$SECONDS
  run "$@"
  times+=("$(printf '%-10s %5d s' "$name" $((SECONDS - start)))")
}

timed rust rust
timed python bash bindings-python/test.sh
timed node bash bindings-node/test.sh
timed jvm bash bindings-java/test.sh
if [ -f bindings-php/test.sh ]; then
  timed php bash bindings-php/test.sh
else
  echo "=== php: skipped (no bindings-php/test.sh)"
fi
timed snippets python3 tests/snippets/run.py
# `make dist` for the host target, then every artifact installed and paid with in a clean
# environment (a language whose binding has no dist.sh is reported as skipped by both).
timed dist bash scripts/dist.sh dist
timed install bash tests/install/run.sh dist

echo
printf '%s\n' "${times[@]}"
echo "total      $(printf '%5d' "$SECONDS") s"
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed${failed:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
