<?php
// What every page of the example shares: the client, a tiny order store (one JSON file per order
// under QFPAY_EXAMPLE_DATA), the notification URL and HTML helpers. A real shop keeps its orders
// in its database; the calls to QFPay are the same.
declare(strict_types=1);

use QfPay\Client;

/**
 * The client, built per request: clients with the same options share one connection pool per
 * PHP-FPM worker, so this costs ~0.2 ms and keeps the worker's connections to QFPay warm.
 */
function qfpay(): Client
{
    static $client = null;
    return $client ??= Client::fromEnv();   // QFPAY_APP_CODE, QFPAY_CLIENT_KEY, QFPAY_ENV or QFPAY_BASE_URL
}

/** Where QFPay posts this shop's notifications: QFPAY_NOTIFY_URL, else notify.php on this host. */
function notify_url(): string
{
    $url = getenv('QFPAY_NOTIFY_URL');
    if ($url !== false && $url !== '') {
        return $url;
    }
    return 'http://' . ($_SERVER['HTTP_HOST'] ?? '127.0.0.1') . '/notify.php';
}

/**
 * An absolute URL of this shop (where QFPay's checkout page sends the customer back). Debian's
 * fastcgi_params pass HTTP_HOST without the port: SERVER_PORT adds it back.
 */
function shop_url(string $path): string
{
    $host = $_SERVER['HTTP_HOST'] ?? '127.0.0.1';
    $port = (string) ($_SERVER['SERVER_PORT'] ?? '80');
    if (!str_contains($host, ':') && $port !== '80') {
        $host .= ":$port";
    }
    return "http://$host$path";
}

function data_dir(): string
{
    $dir = getenv('QFPAY_EXAMPLE_DATA') ?: sys_get_temp_dir() . '/qfpay-fpm-example';
    if (!is_dir($dir)) {
        @mkdir($dir, 0700, true);
    }
    return $dir;
}

/** The stored order, or null. Order numbers are the SDK's (digits and letters only). */
function load_order(string $outTradeNo): ?array
{
    if (!preg_match('/^[A-Za-z0-9_-]{1,64}$/', $outTradeNo)) {
        return null;
    }
    $f = @fopen(data_dir() . "/$outTradeNo.json", 'r');
    if ($f === false) {
        return null;
    }
    flock($f, LOCK_SH);                      // not while update_order() rewrites it
    $raw = (string) stream_get_contents($f);
    fclose($f);
    return $raw === '' ? null : json_decode($raw, true, 16, JSON_THROW_ON_ERROR);
}

/** Reads, changes and writes an order under an exclusive lock (notifications arrive concurrently). */
function update_order(string $outTradeNo, callable $change): void
{
    $f = fopen(data_dir() . "/$outTradeNo.json", 'c+');
    flock($f, LOCK_EX);
    $raw = stream_get_contents($f);
    $order = $change($raw === '' ? [] : json_decode((string) $raw, true, 16, JSON_THROW_ON_ERROR));
    ftruncate($f, 0);
    rewind($f);
    fwrite($f, json_encode($order, JSON_THROW_ON_ERROR));
    fclose($f);
}

function h(?string $s): string
{
    return htmlspecialchars((string) $s, ENT_QUOTES);
}

function redirect(string $to): void
{
    http_response_code(303);
    header("Location: $to");
}

function page(string $title, string $body): void
{
    header('Content-Type: text/html; charset=utf-8');
    echo "<!doctype html><html><head><meta charset=\"utf-8\"><title>", h($title), "</title></head><body>\n",
        "<h1>", h($title), "</h1>\n", $body, "\n</body></html>\n";
}
