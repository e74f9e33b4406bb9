#!/usr/bin/env bash
# The PHP benchmark (not a test): release build of the extension, then bench.php.
#   bash bindings-php/bench.sh [payments per variant, default 2000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build -q --release -p qfpay-php --features php
target="${CARGO_TARGET_DIR:-$PWD/target}"
php -d extension="$target/release/libqfpay_php.so" bindings-php/bench.php "${1:-2000}"
