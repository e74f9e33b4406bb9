#!/usr/bin/env bash
# Runs every benchmark (release builds, loopback only). Not a test: numbers go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== core (Rust): signing, verification, payments/s through qfpay::Client"
cargo run --release -q -p qfpay-bench --example bench_core -- "${BENCH_SECONDS:-3}"
echo "== sandbox: payment creations/s over keep-alive"
cargo run --release -q -p qfpay-cli -- bench-sandbox --seconds "${BENCH_SECONDS:-5}" --connections 32
echo "== Python";  bash bindings-python/bench.sh
echo "== Node.js"; bash bindings-node/bench.sh
echo "== JVM";     bash bindings-java/bench.sh
