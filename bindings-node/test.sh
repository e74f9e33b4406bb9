#!/usr/bin/env bash
# The Node binding's test command: install, take the addon, type-check the TypeScript usage
# file, run every test (shared vectors, sandbox scenarios, online payments, the checkout in a
# real headless Chromium, the seed sample, the examples, the npm packages' contents) and the
# example projects' tests (examples/node/*/test/). The
# addon is the shipped one (from $QFPAY_ARTIFACTS/node's platform tarball) when QFPAY_ARTIFACTS
# is set (make test: scripts/dist.sh built it and ran `npm ci`), otherwise a debug build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian's Chromium for the real-browser test (tests/browser.test.js, driven by playwright-core,
# which must never download a browser of its own).
bash ../scripts/debian-packages.sh debian-packages.txt
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

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

# The example projects install from their own package.json and lock: express/fastify from npm
# (the same versions as the devDependencies above, so npm's cache serves them), qfpay linked to
# this directory. Under QFPAY_ARTIFACTS the shipped tarballs replace the link, as `npm install
# qfpay` would lay them out.
projects=(../examples/node/express ../examples/node/fastify)
for project in "${projects[@]}"; do
  (cd "$project" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  if [ -n "${QFPAY_ARTIFACTS:-}" ]; then
    nm="$project/node_modules"
    rm -rf "$nm/qfpay" "$nm/@qfpay"
    mkdir -p "$nm/qfpay" "$nm/@qfpay/linux-x64-gnu"
    tar -xzf "$(ls "$QFPAY_ARTIFACTS"/node/qfpay-[0-9]*.tgz | head -n 1)" --strip-components=1 -C "$nm/qfpay"
    tar -xzf "$tgz" --strip-components=1 -C "$nm/@qfpay/linux-x64-gnu"
  fi
done

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$out" tests/ "${projects[@]/%//test/}"
# node --test passes with zero tests; this suite must not.
passed="$(grep -E '^# pass ' "$out" | awk '{print $3}')"
if [[ -z "$passed" || "$passed" -eq 0 ]]; then
  echo "no tests ran" >&2
  exit 1
fi
echo "node tests passed: $passed"
