#!/usr/bin/env bash
# Benchmarks (not a test): release build, then bench/bench.js writes BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
npx napi build --platform --release
node bench/bench.js > BENCHMARKS.md.tmp
mv BENCHMARKS.md.tmp BENCHMARKS.md
cat BENCHMARKS.md
