<?php

namespace App\Payments;

/**
 * The shop's orders, one JSON file each under storage/app/orders. A real shop keeps them in its
 * database (an Eloquent model); the calls to QFPay are the same.
 */
class OrderStore
{
    public function __construct(private string $dir)
    {
    }

    public function find(string $outTradeNo): ?array
    {
        if (!preg_match('/^[A-Za-z0-9_-]{1,64}$/', $outTradeNo)) {
            return null;
        }
        $f = @fopen("{$this->dir}/$outTradeNo.json", 'r');
        if ($f === false) {
            return null;
        }
        flock($f, LOCK_SH);                  // not while update() rewrites it
        $raw = (string) stream_get_contents($f);
        fclose($f);
        return $raw === '' ? null : json_decode($raw, true, 16, JSON_THROW_ON_ERROR);
    }

    /** Reads, changes and writes an order under an exclusive lock (notifications arrive concurrently). */
    public function update(string $outTradeNo, callable $change): void
    {
        $f = fopen("{$this->dir}/$outTradeNo.json", 'c+');
        flock($f, LOCK_EX);
        $raw = (string) stream_get_contents($f);
        $order = $change($raw === '' ? [] : json_decode($raw, true, 16, JSON_THROW_ON_ERROR));
        ftruncate($f, 0);
        rewind($f);
        fwrite($f, json_encode($order, JSON_THROW_ON_ERROR));
        fclose($f);
    }
}
