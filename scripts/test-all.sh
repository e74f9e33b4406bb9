#!/usr/bin/env bash
# Runs every test in every language: Rust (fmt, clippy, unit + integration tests), then the
# Python, Node and JVM bindings' suites. Each suite installs what it needs (virtualenv, npm
# packages, Maven dependencies). Runs them all, then exits non-zero if any failed.
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

rust() {
  cargo fmt --all -- --check &&
    cargo clippy --workspace --all-targets -- -D warnings &&
    cargo test --workspace
}

run rust rust
run python bash bindings-python/test.sh
run node bash bindings-node/test.sh
run jvm bash bindings-java/test.sh

echo
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed${failed:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
