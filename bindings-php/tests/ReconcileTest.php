<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, ConfigException, Discrepancy, NetTotal, ReconcileReport, RefundRejectedException,
    Sandbox, Settlement, Settlements, TradeBill, TradeBillEntry, Transaction, Transactions, ValidationException};

/**
 * Reconciliation against the embedded sandbox over real HTTP: every transaction of a period
 * (month windows, pages, rate-limit waits), the ledger diff, duplicates, 1269's available
 * amount, the trade bill and the legacy settlements.
 */
final class ReconcileTest extends TestCase
{
    private const FROM = '2024-01-15 00:00:00';
    private const TO = '2024-03-31 23:59:59';

    /** @var list<Sandbox> */
    private array $sandboxes = [];

    protected function tearDown(): void
    {
        foreach ($this->sandboxes as $sb) {
            $sb->stop();
        }
        $this->sandboxes = [];
    }

    private function sandbox(array $options = ['rateLimit' => false]): Sandbox
    {
        return $this->sandboxes[] = Sandbox::start($options);
    }

    /** The sandbox's control API (`/sandbox/...`) over HTTP: the decoded JSON answer. */
    private static function control(Sandbox $sb, string $method, string $path, ?array $body = null): array
    {
        $ctx = stream_context_create(['http' => [
            'method' => $method,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR),
            'ignore_errors' => true,
        ]]);
        $text = file_get_contents($sb->baseUrl . $path, false, $ctx);
        self::assertIsString($text, "$method $path");
        self::assertStringContainsString(' 200 ', $http_response_header[0], "$method $path: $text");
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    /** Seeds history: by the Sandbox's seed(), or over HTTP (POST /sandbox/seed) with $http. */
    private static function seed(Sandbox $sb, array $request, bool $http = false): array
    {
        return $http ? self::control($sb, 'POST', '/sandbox/seed', $request) : $sb->seed($request);
    }

    /** The query requests the sandbox received, as [start_time, end_time, page, status]. */
    private static function queries(Sandbox $sb): array
    {
        $out = [];
        foreach (self::control($sb, 'GET', '/sandbox/requests')['requests'] as $r) {
            if ($r['path'] === '/trade/v1/query') {
                parse_str((string) $r['body'], $form);
                $out[] = [$form['start_time'] ?? null, $form['end_time'] ?? null, (int) ($form['page'] ?? 0), $r['status']];
            }
        }
        return $out;
    }

    /** The sandbox's payment records (GET /sandbox/orders). */
    private static function payments(Sandbox $sb): array
    {
        $orders = self::control($sb, 'GET', '/sandbox/orders')['orders'];
        return array_values(array_filter($orders, fn ($o) => $o['kind'] === 'payment'));
    }

    public function testMonthWindowsLeapFebruaryAndPagesOfAHundred(): void
    {
        $sb = $this->sandbox();
        $seeded = self::seed($sb, ['orders' => 260, 'from' => '2024-01-20', 'to' => '2024-03-10', 'seed' => 28], http: true);
        $client = $sb->client();

        $walk = $client->transactions(self::FROM, self::TO, ['minIntervalMs' => 0]);
        $this->assertInstanceOf(Transactions::class, $walk);
        $this->assertSame([], self::queries($sb), 'nothing is sent before the iteration');
        $seen = [];
        $sum = 0;
        foreach ($walk as $i => $t) {
            $this->assertInstanceOf(Transaction::class, $t);
            $this->assertSame(count($seen), $i);
            $seen[] = $t->syssn;
            $sum += $t->txamt;
        }

        $expected = array_column(self::payments($sb), 'syssn');
        $this->assertCount($seeded['records'], $seen);
        $this->assertSame(count($seen), count(array_unique($seen)), 'each record once');
        sort($seen);
        sort($expected);
        $this->assertSame($expected, $seen);
        $this->assertSame(array_sum(array_map(fn ($c) => $c['paid'], $seeded['totals'])), $sum);

        $windows = [];
        foreach (self::queries($sb) as [$start, $end, $page, $status]) {
            $this->assertSame(200, $status);
            $windows["$start..$end"][] = $page;
        }
        $this->assertSame([
            '2024-01-15 00:00:00..2024-01-31 23:59:59',
            '2024-02-01 00:00:00..2024-02-29 23:59:59',
            '2024-03-01 00:00:00..2024-03-31 23:59:59',
        ], array_keys($windows));
        // February holds more than 100 of the records: pages 1, 2, ... in order.
        $february = $windows['2024-02-01 00:00:00..2024-02-29 23:59:59'];
        $this->assertGreaterThanOrEqual(2, count($february));
        $this->assertSame(range(1, count($february)), $february);

        // Iterating again starts again from the first page.
        $this->assertSame(count($seen), iterator_count($walk));
    }

    public function testTheNextPagesAreReadWhileTheScriptWorksAndAWalkLeftEarlyStops(): void
    {
        $sb = $this->sandbox();
        self::seed($sb, ['orders' => 400, 'from' => '2024-01-20', 'to' => '2024-03-10', 'seed' => 30]);
        $client = $sb->client();
        $read = 0;
        foreach ($client->transactions(self::FROM, self::TO, ['minIntervalMs' => 0]) as $t) {
            $this->assertInstanceOf(Transaction::class, $t);
            // The script works on its first record; the walk's thread reads on meanwhile.
            usleep(300000);
            $read = count(self::queries($sb));
            break;
        }
        $this->assertGreaterThanOrEqual(3, $read, 'pages read ahead of the script');
        // One page waiting for the script, one being handed over, one in flight: no more.
        $this->assertLessThanOrEqual(4, $read);
        usleep(300000);
        $this->assertSame($read, count(self::queries($sb)), 'a walk left early asks for nothing more');
    }

    public function testA429IsWaitedOutByTheWalkItself(): void
    {
        $sb = $this->sandbox(['rateLimit' => ['perSecond' => 2, 'perMinute' => 400]]);
        $seeded = self::seed($sb, ['orders' => 250, 'from' => '2024-01-20', 'to' => '2024-03-10', 'seed' => 29]);
        $client = $sb->client(['maxRetries' => 0]);

        $started = microtime(true);
        $n = 0;
        foreach ($client->transactions(self::FROM, self::TO, ['minIntervalMs' => 0]) as $t) {
            $n++;
        }
        $elapsed = microtime(true) - $started;

        $this->assertSame($seeded['records'], $n, 'every record, despite the 429s');
        $statuses = array_column(self::queries($sb), 3);
        $this->assertContains(429, $statuses, 'the sandbox refused some pages');
        $this->assertGreaterThanOrEqual(1.0, $elapsed, 'Retry-After: 1 was waited out');
        $this->assertLessThan(15.0, $elapsed);
    }

    public function testAPeriodIsCheckedBeforeAnythingIsSent(): void
    {
        $sb = $this->sandbox();
        $client = $sb->client();
        try {
            $client->transactions('2024-03-01 00:00:00', '2024-01-01 00:00:00');
            $this->fail('a period ending before it starts');
        } catch (ValidationException $e) {
            $this->assertSame('start_time', $e->field);
        }
        try {
            $client->transactions('2024-03-01', self::TO);
            $this->fail('a start without its time');
        } catch (ValidationException $e) {
            $this->assertSame('start_time', $e->field);
        }
        $this->assertSame(0, $sb->requestCount());
    }

    /** Today's date in QFPay's zone (UTC+8), where the sandbox dates live payments. */
    private static function today(): string
    {
        return gmdate('Y-m-d', time() + 8 * 3600);
    }

    public function testTheDiffFindsEveryKindWithTheLedgerAsCsvOrAsAList(): void
    {
        $sb = $this->sandbox();
        $client = $sb->client();
        $day = self::today();
        $seeded = self::seed($sb, ['orders' => 3, 'from' => $day, 'to' => $day, 'duplicates' => 1, 'seed' => 30]);
        $duplicated = $seeded['duplicate_out_trade_nos'][0];

        $paid = function (int $amount, string $currency = 'HKD') use ($client, $sb): array {
            $p = $client->wechatQr($amount, $currency);
            $sb->pay($p->outTradeNo);
            return [$p->outTradeNo, $p->syssn];
        };
        [$matched] = $paid(300);
        [$amount] = $paid(500);
        [$currency] = $paid(200);
        [$unknown] = $paid(700);
        [$refunded, $refundedSyssn] = $paid(600);
        $client->refund($refundedSyssn, 100, 'HKD');
        [$unpaid] = $paid(800);
        $pending = $client->wechatQr(900, 'HKD')->outTradeNo;   // never paid
        $ledger = [
            ['outTradeNo' => $matched, 'amount' => 300, 'currency' => 'HKD'],
            ['outTradeNo' => $amount, 'amount' => 400, 'currency' => 'HKD'],
            ['outTradeNo' => $currency, 'amount' => 200, 'currency' => 'CNY', 'state' => 'paid'],
            ['outTradeNo' => 'ONLY-IN-LEDGER-1', 'amount' => 100, 'currency' => 'HKD'],
            ['outTradeNo' => $refunded, 'amount' => 600, 'currency' => 'HKD'],
            ['outTradeNo' => $unpaid, 'amount' => 800, 'currency' => 'HKD', 'state' => 'unpaid'],
        ];
        // The seeded orders, as the shop recorded them (one payment each).
        foreach (self::payments($sb) as $p) {
            if (str_starts_with($p['out_trade_no'], $seeded['out_trade_no_prefix'])
                && !in_array($p['out_trade_no'], array_column($ledger, 'outTradeNo'), true)) {
                $ledger[] = ['outTradeNo' => $p['out_trade_no'], 'amount' => (int) $p['txamt'], 'currency' => $p['txcurrcd']];
            }
        }
        $csv = "out_trade_no,amount,currency,state\n" . implode('', array_map(
            fn ($e) => "{$e['outTradeNo']},{$e['amount']},{$e['currency']}," . ($e['state'] ?? 'paid') . "\n",
            $ledger,
        ));
        sleep(1);   // the pending payment is now older than pendingAfterMs => 0

        $options = ['minIntervalMs' => 0, 'pendingAfterMs' => 0];
        $period = ["$day 00:00:00", "$day 23:59:59"];
        $fromList = $client->reconcile($ledger, ...$period, options: $options);
        $fromCsv = $client->reconcile($csv, ...$period, options: $options);

        foreach ([$fromList, $fromCsv] as $report) {
            $this->assertInstanceOf(ReconcileReport::class, $report);
            $this->assertFalse($report->clean);
            $this->assertSame(count($ledger), $report->ledgerOrders);
            $this->assertSame(3, $report->matched, "the matched order and the two seeded single payments");
            $kinds = [];
            foreach ($report->discrepancies as $d) {
                $this->assertInstanceOf(Discrepancy::class, $d);
                $kinds[$d->kind][] = $d->outTradeNo;
            }
            $this->assertSame(['ONLY-IN-LEDGER-1'], $kinds['missing_at_qfpay']);
            $this->assertSame([$unknown], $kinds['missing_in_ledger']);
            $this->assertContains($amount, $kinds['amount_mismatch']);
            $this->assertSame([$currency], $kinds['currency_mismatch']);
            $this->assertSame([$duplicated], $kinds['duplicate_payments']);
            $this->assertSame([$pending], $kinds['pending_too_long']);
            $this->assertSame([$refunded], $kinds['unknown_refund']);
            $this->assertSame([$unpaid], $kinds['state_mismatch']);
            $this->assertNotContains($matched, array_merge(...array_values($kinds)));

            $byKind = array_column(array_map(fn ($d) => [$d->kind . ':' . $d->outTradeNo, $d], $report->discrepancies), 1, 0);
            $this->assertSame(400, $byKind["amount_mismatch:$amount"]->ledgerAmount);
            $this->assertSame(500, $byKind["amount_mismatch:$amount"]->qfpayAmount);
            $this->assertSame(100, $byKind["unknown_refund:$refunded"]->qfpayAmount);
            $dup = $byKind["duplicate_payments:$duplicated"];
            $this->assertGreaterThanOrEqual(2, count($dup->syssns));
            $this->assertIsString($dup->detail);

            // Net per day and currency: every successful payment less the refund.
            $net = array_column(array_map(fn (NetTotal $n) => ["{$n->day} {$n->currency}", $n], $report->net), 1, 0);
            $expected = [];
            foreach (self::payments($sb) as $p) {
                if ($p['state'] !== 'pending') {
                    $expected[$p['txcurrcd']] = ($expected[$p['txcurrcd']] ?? 0) + (int) $p['txamt'];
                }
            }
            $this->assertSame($expected['HKD'] - 100, $net["$day HKD"]->net);
            $this->assertSame($expected['HKD'], $net["$day HKD"]->paid);
            $this->assertSame(1, $net["$day HKD"]->refunds);
            $this->assertSame(100, $net["$day HKD"]->refunded);
        }
        $this->assertSame($fromList->csv, $fromCsv->csv);
        $this->assertSame($fromList->netCsv, $fromCsv->netCsv);

        // The report as CSV and JSON, read back.
        $rows = array_map('str_getcsv', explode("\n", trim($fromList->csv)));
        $this->assertSame(['kind', 'out_trade_no', 'syssns', 'ledger_amount', 'qfpay_amount', 'currency', 'detail'], $rows[0]);
        $this->assertCount(count($fromList->discrepancies) + 1, $rows);
        $this->assertContains(['amount_mismatch', $amount], array_map(fn ($r) => array_slice($r, 0, 2), $rows));
        $json = json_decode($fromList->json, true, 512, JSON_THROW_ON_ERROR);
        $this->assertCount(count($fromList->discrepancies), $json['discrepancies']);
        $this->assertSame($fromList->summary, $json['summary'] ?? $fromList->summary);
        $this->assertStringStartsWith('day,currency,payments,paid,refunds,refunded,net', $fromList->netCsv);
        $this->assertStringContainsString('missing_at_qfpay', $fromList->summary);
    }

    public function testABadLedgerEntryIsRefusedBeforeAnythingIsSent(): void
    {
        $sb = $this->sandbox();
        $client = $sb->client();
        $cases = [
            'a float amount' => [[['outTradeNo' => 'A1', 'amount' => 100, 'currency' => 'HKD'], ['outTradeNo' => 'A2', 'amount' => 1.5, 'currency' => 'HKD']], 'entry 2'],
            'an unknown state' => [[['outTradeNo' => 'A1', 'amount' => 100, 'currency' => 'HKD', 'state' => 'shipped']], 'entry 1'],
            'a missing currency' => [[['outTradeNo' => 'A1', 'amount' => 100]], 'entry 1'],
            'the canonical spelling' => [[['out_trade_no' => 'A1', 'amount' => 100, 'currency' => 'HKD']], 'entry 1'],
            'a bad CSV line' => ["out_trade_no,amount,currency\nA1,100,HKD\nA2,ten,HKD\n", 'line 3'],
            'neither text nor a list' => [42, 'ledger'],
        ];
        foreach ($cases as $what => [$ledger, $where]) {
            try {
                $client->reconcile($ledger, self::FROM, self::TO);
                $this->fail("$what was accepted");
            } catch (ValidationException $e) {
                $this->assertSame('ledger', $e->field, $what);
                $this->assertStringContainsString($where, $e->getMessage(), $what);
                $this->assertNotSame('', (string) $e->rule, $what);
            }
        }
        $this->assertSame(0, $sb->requestCount(), 'nothing was sent');
    }

    public function testFindPaymentPicksThePaidOneAndNamesTheOthers(): void
    {
        $sb = $this->sandbox();
        $seeded = self::seed($sb, ['orders' => 20, 'from' => '2024-02-01', 'to' => '2024-02-20', 'duplicates' => 2, 'seed' => 31]);
        $this->assertCount(2, $seeded['duplicate_out_trade_nos']);
        $client = $sb->client();
        foreach ($seeded['duplicate_out_trade_nos'] as $no) {
            $records = array_values(array_filter(self::payments($sb), fn ($p) => $p['out_trade_no'] === $no));
            $this->assertGreaterThanOrEqual(2, count($records));

            $t = $client->findPayment($no);
            $this->assertInstanceOf(Transaction::class, $t);
            $this->assertSame('succeeded', $t->state);
            $this->assertCount(count($records) - 1, $t->otherPayments);
            $all = array_merge([$t->syssn], $t->otherPayments);
            sort($all);
            $syssns = array_column($records, 'syssn');
            sort($syssns);
            $this->assertSame($syssns, $all);
        }
        try {
            $sb->seed(['orders' => 20, 'from' => '2024-02-01', 'to' => '2024-02-20', 'duplicates' => 2, 'seed' => 31]);
            $this->fail('the same seed twice');
        } catch (ValidationException $e) {
            $this->assertSame('seed', $e->field);
        }
        // A single payment has none.
        $p = $client->wechatQr(300, 'HKD');
        $this->assertSame([], $client->findPayment($p->outTradeNo)->otherPayments);
    }

    public function test1269SaysHowMuchCanBeRefundedToday(): void
    {
        $sb = $this->sandbox();
        self::control($sb, 'POST', '/sandbox/config', ['refund_rules' => ['daily_unsettled' => true]]);
        $client = $sb->client();
        $old = $client->wechatQr(1000, 'HKD');
        $sb->pay($old->outTradeNo);
        $sb->advanceClock(86400);                      // a day later
        $today = $client->wechatQr(250, 'HKD');
        $sb->pay($today->outTradeNo);
        try {
            $client->refund($old->syssn, 500, 'HKD');
            $this->fail('refunded beyond the day\'s unsettled amount');
        } catch (RefundRejectedException $e) {
            $this->assertSame('1269', $e->respcd);
            $this->assertSame(250, $e->available);
        }
        $r = $client->refund($old->syssn, 250, 'HKD');   // what is available goes through
        $this->assertSame(250, $r->txamt);
    }

    public function testTradeBillIsTheZipAndItsEntries(): void
    {
        $sb = $this->sandbox();
        self::seed($sb, ['orders' => 30, 'from' => '2024-02-01', 'to' => '2024-02-03', 'seed' => 32]);
        $bill = $sb->client()->downloadTradeBill('2024-02-02');
        $this->assertInstanceOf(TradeBill::class, $bill);
        $this->assertSame('2024-02-02', $bill->tradeDate);
        $this->assertIsString($bill->content);
        $this->assertSame('PK', substr($bill->content, 0, 2));
        $this->assertNotEmpty($bill->entries);
        foreach ($bill->entries as $e) {
            $this->assertInstanceOf(TradeBillEntry::class, $e);
            $this->assertMatchesRegularExpression('/^trade_bill_20240202_\w+\.csv$/', $e->name);
            // The entry's name is in the zip's bytes (its local header), as the list says.
            $this->assertStringContainsString($e->name, $bill->content);
            $this->assertGreaterThan(0, $e->size);
        }
        try {
            $sb->client()->downloadTradeBill('2024-02-30');
            $this->fail('no such day');
        } catch (ValidationException $e) {
            $this->assertSame('trade_date', $e->field);
        }

        $live = new Client(['appCode' => 'APPCODE', 'clientKey' => 'KEY', 'environment' => 'live_test']);
        try {
            $live->downloadTradeBill('2024-02-02', ['timeoutMs' => 2000]);
            $this->fail('live_test has no trade bill');
        } catch (ConfigException $e) {
            $this->assertSame('config', $e->errorCode);
        }
    }

    public function testSettlementsAreTypedRecords(): void
    {
        $sb = $this->sandbox();
        self::seed($sb, ['orders' => 40, 'from' => '2024-02-01', 'to' => '2024-02-04', 'seed' => 33]);
        $s = $sb->client()->settlements('20240201', '20240204');
        $this->assertInstanceOf(Settlements::class, $s);
        $this->assertIsArray($s->raw);
        $this->assertNotEmpty($s->data);
        foreach ($s->data as $row) {
            $this->assertInstanceOf(Settlement::class, $row);
            $this->assertIsInt($row->payAmt);
            $this->assertSame($row->payNetAmt - $row->chnlPoundageAmt, $row->settlementAmt);
            $this->assertGreaterThanOrEqual('20240201', $row->dateStart);
            $this->assertLessThanOrEqual('20240205', $row->dateSettlement);
        }
        $wechat = $sb->client()->settlements('20240201', '20240204', ['paymethod' => 'wechat']);
        $this->assertLessThanOrEqual(count($s->data), count($wechat->data));
        try {
            $sb->client()->settlements('2024-02-01', '20240204');
            $this->fail('a day with dashes');
        } catch (ValidationException $e) {
            $this->assertSame('date_start', $e->field);
        }
    }
}
