#!/usr/bin/env bash
# Serves the example on http://127.0.0.1:$PORT (default 8000): PHP-FPM (4 workers) behind nginx,
# both in the foreground with their files in a temp directory; Ctrl-C stops both.
# Needs php8.2-fpm, nginx and the qfpay extension: enabled in PHP (phpenmod qfpay), or named by
# QFPAY_PHP_EXTENSION=/path/to/qfpay.so. QFPay settings come from QFPAY_* variables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${PORT:-8000}"
tmp="$(mktemp -d)"
export QFPAY_EXAMPLE_DATA="${QFPAY_EXAMPLE_DATA:-$tmp/orders}"
export QFPAY_NOTIFY_URL="${QFPAY_NOTIFY_URL:-http://127.0.0.1:$port/notify.php}"
for v in QFPAY_APP_CODE QFPAY_CLIENT_KEY QFPAY_ENV QFPAY_BASE_URL; do export "$v=${!v:-}"; done
fill() { sed -e "s|@TMP@|$tmp|g" -e "s|@PORT@|$port|g" -e "s|@ROOT@|$here|g" "$1" > "$2"; }
fill "$here/conf/php-fpm.conf" "$tmp/php-fpm.conf"
fill "$here/conf/nginx.conf" "$tmp/nginx.conf"

fpm_args=(-F -y "$tmp/php-fpm.conf")
[ "$(id -u)" -eq 0 ] && fpm_args+=(-R)
[ -n "${QFPAY_PHP_EXTENSION:-}" ] && fpm_args+=(-d "extension=$QFPAY_PHP_EXTENSION")
fpm="$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)"
nginx="$(command -v nginx || echo /usr/sbin/nginx)"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap stop EXIT
trap 'exit 0' INT TERM
"$fpm" "${fpm_args[@]}" & pids+=($!)
for _ in $(seq 100); do [ -S "$tmp/php-fpm.sock" ] && break; sleep 0.1; done
nginx_globals='daemon off;'
# As root (CI, a container), nginx's workers would run as nobody, who may not reach this directory.
[ "$(id -u)" -eq 0 ] && nginx_globals+=' user root;'
"$nginx" -e /dev/stderr -c "$tmp/nginx.conf" -g "$nginx_globals" & pids+=($!)
echo "serving on http://127.0.0.1:$port (notifications: $QFPAY_NOTIFY_URL)"
wait -n "${pids[@]}"
