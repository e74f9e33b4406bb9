#!/usr/bin/env bash
# The PHP binding's test command: installs Debian's PHP 8.2 toolchain when missing (CI runs on a
# fresh machine as root), builds the extension, lints it with clippy (only here: the workspace's
# own clippy runs before PHP exists), then runs PHPUnit with the extension loaded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(cd .. && pwd)"

packages=(php8.2-cli php8.2-dev php8.2-curl libclang-dev php8.2-fpm libfcgi-bin phpunit)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (or install them: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

target="${CARGO_TARGET_DIR:-$root/target}"
cargo build -p qfpay-php --features php
cargo clippy -p qfpay-php --features php --all-targets -- -D warnings
so="$target/debug/libqfpay_php.so"
cp "$so" "$target/debug/qfpay.so"
export QFPAY_PHP_EXTENSION="$target/debug/qfpay.so"

php -n -d extension="$QFPAY_PHP_EXTENSION" -r 'exit(extension_loaded("qfpay") ? 0 : 1);'
php -d extension="$QFPAY_PHP_EXTENSION" /usr/bin/phpunit --colors=never -c phpunit.xml "$@"
