#!/usr/bin/env bash
# The PHP extension for PHP 8.2 NTS (Debian's; extension API 20220829), stripped, into OUTDIR
# (default ../dist/php): qfpay.so, qfpay.ini (extension=qfpay.so), the IDE stubs qfpay.php and
# surface.php (generated from the core's surface), the guide README.md (bindings-php/README.md)
# and the licenses LICENSE-MIT and LICENSE-APACHE (checked by tests/PackageTest.php).
# Called by `make dist` (scripts/dist.sh) with the cargo profile in QFPAY_CARGO_PROFILE.
# Another PHP minor needs its own build: PHP_CONFIG=php-config8.3 bash bindings-php/dist.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${1:-$root/dist/php}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="${QFPAY_CARGO_PROFILE:-release}"
if ! command -v php-config >/dev/null && [ -z "${PHP_CONFIG:-}" ]; then
  echo "php-config is missing: run bindings-php/test.sh once (it installs php8.2-dev) or apt-get install php8.2-dev libclang-dev" >&2
  exit 1
fi
cd "$root"
cargo build -q --profile "$profile" -p qfpay-php --features php
target="${CARGO_TARGET_DIR:-$root/target}"
cp "$target/$profile/libqfpay_php.so" "$out/qfpay.so"
strip --strip-unneeded "$out/qfpay.so" 2>/dev/null || true
echo "extension=qfpay.so" > "$out/qfpay.ini"
cp "$here/stubs/qfpay.php" "$here/stubs/surface.php" "$here/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$out/"
php -n -d extension="$out/qfpay.so" -r 'echo "qfpay ", QfPay\QfPay::VERSION, " (core ", QfPay\QfPay::CORE_VERSION, ") for PHP ", PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, "\n";'
ls -l "$out/qfpay.so"
