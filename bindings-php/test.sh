#!/usr/bin/env bash
# The PHP binding's test command: installs Debian's PHP 8.2 toolchain when missing (CI runs on a
# fresh machine as root), lints the extension with clippy (only here: the workspace's own clippy
# runs without the `php` feature), then runs PHPUnit with the extension loaded: the shipped one,
# $QFPAY_ARTIFACTS/php/qfpay.so, when set (make test: scripts/dist.sh built it; PackageTest then
# checks dist/php's files), otherwise a debug build (a developer's `make test-php`). The suite
# includes the example projects of examples/php/ as real servers against a sandbox
# (ExampleProjectsTest: fpm/ under PHP-FPM behind nginx, laravel/ on Debian's Laravel under php -S).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(cd .. && pwd)"

bash "$root/scripts/debian-packages.sh" "$root/bindings-php/debian-packages.txt"

cargo clippy -p qfpay-php --features php --all-targets -- -D warnings
if [ -n "${QFPAY_ARTIFACTS:-}" ]; then
  export QFPAY_PHP_EXTENSION="$QFPAY_ARTIFACTS/php/qfpay.so"
  [ -f "$QFPAY_PHP_EXTENSION" ] || { echo "no $QFPAY_PHP_EXTENSION: run scripts/dist.sh first" >&2; exit 1; }
else
  target="${CARGO_TARGET_DIR:-$root/target}"
  cargo build -p qfpay-php --features php
  cp "$target/debug/libqfpay_php.so" "$target/debug/qfpay.so"
  export QFPAY_PHP_EXTENSION="$target/debug/qfpay.so"
fi

php -n -d extension="$QFPAY_PHP_EXTENSION" -r 'exit(extension_loaded("qfpay") ? 0 : 1);'
php -d extension="$QFPAY_PHP_EXTENSION" /usr/bin/phpunit --colors=never -c phpunit.xml "$@"
