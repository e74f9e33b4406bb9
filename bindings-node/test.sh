#!/usr/bin/env bash
# The Node binding's test command: install, build the addon, type-check the TypeScript usage
# file, run every test (shared vectors, sandbox scenarios, the seed sample, the examples).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

npm ci --no-audit --no-fund
npx napi build --platform
npx tsc --strict --noEmit -p types-check

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$out" tests/
# node --test passes with zero tests; this suite must not.
passed="$(grep -E '^# pass ' "$out" | awk '{print $3}')"
if [[ -z "$passed" || "$passed" -eq 0 ]]; then
  echo "no tests ran" >&2
  exit 1
fi
echo "node tests passed: $passed"
