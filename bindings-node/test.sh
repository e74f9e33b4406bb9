#!/usr/bin/env bash
# The Node binding's test command: install, take the addon, type-check the TypeScript usage
# file, run every test (shared vectors, sandbox scenarios, the seed sample, the examples). The
# addon is the shipped one (from $QFPAY_ARTIFACTS/node's platform tarball) when QFPAY_ARTIFACTS
# is set (make test: scripts/dist.sh built it and ran `npm ci`), otherwise a debug build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ -n "${QFPAY_ARTIFACTS:-}" ]; then
  [ -d node_modules ] || npm ci --no-audit --no-fund
  tgz="$(ls "$QFPAY_ARTIFACTS"/node/qfpay-linux-x64-gnu-*.tgz | head -n 1)"
  unpacked="$(mktemp -d)"
  tar -xzf "$tgz" -C "$unpacked"
  cp "$unpacked/package/qfpay.linux-x64-gnu.node" qfpay.linux-x64-gnu.node
  rm -rf "$unpacked"
  echo "testing the addon of $tgz"
else
  npm ci --no-audit --no-fund
  npx napi build --platform
fi
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
