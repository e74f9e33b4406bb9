#!/usr/bin/env bash
# The PHP benchmark (not a test): release builds of the extension and the CLI (whose sandbox
# runs as a separate process), then bench.php (payments in one PHP process) and
# bench_requests.php (one payment per PHP request under `php -S`).
#   bash bindings-php/bench.sh [payments per run, default 2000] [rounds, default 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build -q --release -p qfpay-php --features php
cargo build -q --release -p qfpay-cli
target="${CARGO_TARGET_DIR:-$PWD/target}"
php -d extension="$target/release/libqfpay_php.so" bindings-php/bench.php "$target/release/qfpay" "${1:-2000}" "${2:-5}"
# Then one payment per PHP request (`php -S`), as a checkout page runs under PHP-FPM.
php bindings-php/bench_requests.php "$target/release/qfpay" "$target/release/libqfpay_php.so" "${1:-2000}" "${2:-5}"
