<?php
// The router for PHP's built-in server (what `php artisan serve` runs in Laravel 8):
//   php -S 127.0.0.1:8000 -t public server.php
// serves public/'s files as they are and every other path through public/index.php.
$uri = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($uri !== '/' && is_file(__DIR__ . '/public' . $uri)) {
    return false;
}
require_once __DIR__ . '/public/index.php';
