<?php
// What bench.php, bench_requests.php and bench_router.php share (not a test): the sandbox as a
// separate process, the seed document's curl request, and the median.
declare(strict_types=1);

/** Starts `qfpay sandbox` (a separate process); returns [its process, its JSON line decoded]. */
function bench_sandbox(string $cli): array
{
    $proc = proc_open([$cli, 'sandbox', '--json', '--port', '0', '--rate-limit', 'off'],
        [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $sb = json_decode((string) fgets($pipes[1]), true);
    if (!is_array($sb)) {
        fwrite(STDERR, "the sandbox did not start\n");
        exit(1);
    }
    return [$proc, $sb];
}

/** One WeChat QR payment the seed document's way: ksort, md5, curl. */
function seed_request($ch, string $url, string $appCode, string $key): array
{
    $fields = [
        'pay_type' => '800201',
        'out_trade_no' => bin2hex(random_bytes(10)),
        'txcurrcd' => 'HKD',
        'txamt' => '2200',
        'txdtm' => date('Y-m-d H:i:s'),
    ];
    ksort($fields);
    $s = '';
    foreach ($fields as $k => $v) {
        $s .= "$k=$v&";
    }
    $s = substr($s, 0, -1);
    $sign = strtoupper(md5($s . $key));
    curl_setopt($ch, CURLOPT_URL, $url);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ["X-QF-APPCODE: $appCode", "X-QF-SIGN: $sign"]);
    curl_setopt($ch, CURLOPT_POST, 1);
    curl_setopt($ch, CURLOPT_POSTFIELDS, $s);
    $r = json_decode((string) curl_exec($ch), true);
    if (($r['respcd'] ?? '') !== '0000') {
        throw new RuntimeException('seed request failed');
    }
    return $r;
}

function median(array $xs): float
{
    sort($xs);
    $m = intdiv(count($xs), 2);
    return count($xs) % 2 ? $xs[$m] : ($xs[$m - 1] + $xs[$m]) / 2;
}
