<?php
// What bench.php, bench_requests.php and bench_router.php share (not a test): the sandbox as a
// separate process, the seed document's curl request, the interleaved rounds and their table.
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

/**
 * Each variant (name => one payment) once per round, the order rotated each round so no variant
 * always runs first: 100 warm-up calls, then `$n` timed ones. Returns name => rate per round.
 */
function bench_rounds(array $variants, int $n, int $rounds): array
{
    $rates = [];
    $names = array_keys($variants);
    for ($r = 0; $r < $rounds; $r++) {
        $k = $r % count($names);
        foreach (array_merge(array_slice($names, $k), array_slice($names, 0, $k)) as $name) {
            $one = $variants[$name];
            for ($i = 0; $i < 100; $i++) {
                $one();
            }
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                $one();
            }
            $rates[$name][] = $n / ((hrtime(true) - $t) / 1e9);
        }
    }
    return $rates;
}

/** The rates as a Markdown table: median (min–max) per second and µs per call. */
function bench_table(array $rates, string $what, string $per): void
{
    printf("| %s | %ss/s, median (min–max) | µs per %s |\n|---|---:|---:|\n", $what, $per, $per);
    foreach ($rates as $name => $xs) {
        printf("| %s | %s (%s–%s) | %.0f |\n", $name, number_format(median($xs)), number_format(min($xs)),
            number_format(max($xs)), 1e6 / median($xs));
    }
}

/** Variant `$a` ÷ variant `$b`, round by round: median (min–max). */
function bench_ratio(array $rates, string $a, string $b): string
{
    $per = array_map(fn ($x, $y) => $x / $y, $rates[$a], $rates[$b]);
    return sprintf('%.2f× (%.2f–%.2f)', median($per), min($per), max($per));
}
