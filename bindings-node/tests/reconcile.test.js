'use strict'
// Reconciliation (issue 28) against the embedded sandbox, over real HTTP: every transaction of a
// period (month windows, pages of 100, 429s waited out), the diff against a ledger given as CSV
// text and as an array, duplicates named by `otherPayments`, 1269's `available`, the trade bill
// as a Buffer, and the legacy settlement query.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const { Sandbox, ValidationError, ConfigError, RefundRejectedError } = qfpay

// The sandbox's control API over HTTP (`POST /sandbox/seed`, `/sandbox/config`).
async function control (sandbox, path, body) {
  const res = await fetch(sandbox.baseUrl + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
  const answer = await res.json()
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(answer)}`)
  return answer
}

// The query requests of the log: `{ window, page, status }`.
function queries (sandbox) {
  return sandbox.requests()
    .filter((r) => r.path === '/trade/v1/query')
    .map((r) => {
      const p = new URLSearchParams(r.body)
      return { window: `${p.get('start_time')}..${p.get('end_time')}`, page: Number(p.get('page')), status: r.status }
    })
}

// The sandbox's day and time (UTC+8), `days` from now.
function qfpayDay (days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
}

const JAN = '2024-01-15 00:00:00..2024-01-31 23:59:59'
const FEB = '2024-02-01 00:00:00..2024-02-29 23:59:59'
const MAR = '2024-03-01 00:00:00..2024-03-31 23:59:59'
const PERIOD = { startTime: '2024-01-15 00:00:00', endTime: '2024-03-31 23:59:59' }

describe('transactions: every record of a period', () => {
  let sandbox, seeded
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    seeded = await control(sandbox, '/sandbox/seed', { orders: 400, from: '2024-01-20', to: '2024-03-10', seed: 2801, refunds: 20 })
  })
  after(() => sandbox.stop())

  it('splits the range into calendar months (a leap February) and yields every record once', async () => {
    const client = sandbox.client()
    const seen = new Map()
    let sum = 0
    for await (const t of client.transactions({ ...PERIOD, minIntervalMs: 0 })) {
      assert.ok(!seen.has(t.syssn), `${t.syssn} yielded twice`)
      seen.set(t.syssn, t)
      sum += t.txamt
      assert.equal(typeof t.txamt, 'number')
    }
    assert.equal(seen.size, seeded.records)
    const orders = sandbox.orders()
    assert.deepEqual(new Set(seen.keys()), new Set(orders.map((o) => o.syssn)))
    assert.equal(sum, orders.reduce((s, o) => s + o.txamt, 0))
    // Refunds name their payment.
    const refunds = [...seen.values()].filter((t) => t.isRefund)
    assert.equal(refunds.length, seeded.refunds)
    for (const r of refunds) assert.ok(seen.get(r.origssn)?.isRefund === false, `${r.syssn}'s payment ${r.origssn}`)
    const windows = [...new Set(queries(sandbox).map((q) => q.window))]
    assert.deepEqual(windows, [JAN, FEB, MAR])
  })

  it('pages a month of more than 100 records at 100 a page: 1, 2, ...', async () => {
    sandbox.reset()
    const control = seededByMonth(await seedAgain(sandbox))
    const client = sandbox.client()
    let n = 0
    for await (const t of client.transactions({ ...PERIOD, minIntervalMs: 0 })) n += t ? 1 : 0
    assert.equal(n, control.total)
    const log = queries(sandbox)
    for (const [window, count] of [[JAN, control.jan], [FEB, control.feb], [MAR, control.mar]]) {
      const pages = log.filter((q) => q.window === window).map((q) => q.page)
      // Full pages, then the one that is not (an empty one when the count is a multiple of 100).
      const expected = Array.from({ length: Math.floor(count / 100) + 1 }, (_, i) => i + 1)
      assert.deepEqual(pages, expected, `${window}: ${count} records`)
    }
    assert.ok(control.feb > 100, `February holds ${control.feb} records`)
  })

  it('reconcile of a ledger that agrees with every record is clean', async () => {
    // The history of the previous test: 400 payments, no refunds, no duplicates.
    const orders = sandbox.orders()
    const ledger = orders.map((o) => ({ outTradeNo: o.outTradeNo, amount: o.txamt, currency: o.txcurrcd }))
    const payTypes = [...new Set(orders.map((o) => o.payType))]
    const report = await sandbox.client().reconcile({ ledger, ...PERIOD, minIntervalMs: 0, payType: payTypes, respcd: '0000' })
    assert.deepEqual(report.discrepancies, [], report.summary)
    assert.equal(report.clean, true)
    assert.equal(report.matched, orders.length)
    assert.equal(report.qfpayPayments, orders.length)
    assert.equal(report.net.reduce((s, n) => s + n.net, 0), orders.reduce((s, o) => s + o.txamt, 0))
    assert.ok(report.requests >= 5, `${report.requests} requests`)
  })

  it('stops at an aborted signal, with the AbortError of any call', async () => {
    const controller = new AbortController()
    const walk = sandbox.client().transactions({ ...PERIOD, minIntervalMs: 0 }, { signal: controller.signal })
    const first = await walk.next()
    assert.equal(first.done, false)
    controller.abort(new Error('enough'))
    // At once, though the page read holds more records.
    const e = await rejection(walk.next())
    assert.ok(e instanceof DOMException && e.name === 'AbortError', String(e))
    assert.equal(e.cause.message, 'enough')
    assert.equal((await walk.next()).done, true)
  })

  it('reads one page ahead, and a walk left early stops asking', async () => {
    // The walks of the tests before (one left at an abort) may still have a request in flight.
    await new Promise((resolve) => setTimeout(resolve, 300))
    sandbox.reset()
    await seedAgain(sandbox)
    const unhandled = []
    const onUnhandled = (e) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      for await (const t of sandbox.client().transactions({ ...PERIOD, minIntervalMs: 0 })) {
        assert.ok(t.syssn)
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 400))
      const sent = queries(sandbox).length
      // The page read, the one asked for ahead of it, and the core's own request ahead of that.
      assert.ok(sent >= 2 && sent <= 3, `${sent} queries`)
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.equal(queries(sandbox).length, sent, 'nothing more after the walk was left')
      // An abort between pages stops the walk though the next page is already read.
      const controller = new AbortController()
      const pages = sandbox.client().queryPages({ ...PERIOD, startTime: '2024-02-01 00:00:00', endTime: '2024-02-29 23:59:59', pageSize: 10 }, { signal: controller.signal })
      assert.equal((await pages.next()).done, false)
      await new Promise((resolve) => setTimeout(resolve, 200))
      controller.abort()
      const e = await rejection(pages.next())
      assert.ok(e instanceof DOMException && e.name === 'AbortError', String(e))
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a bad period is refused at once, naming the field; nothing is sent', () => {
    const client = sandbox.client()
    const before = sandbox.requestCount()
    assert.throws(() => client.transactions({ startTime: '2024-03-01 00:00:00', endTime: '2024-01-01 00:00:00' }),
      (e) => e instanceof ValidationError && e.field === 'start_time' && /after end_time/.test(e.rule))
    assert.throws(() => client.transactions({ startTime: '2024-02-30 00:00:00', endTime: '2024-03-01 00:00:00' }),
      (e) => e instanceof ValidationError && e.field === 'start_time')
    assert.throws(() => client.transactions({ ...PERIOD, minIntervalMs: -1 }), (e) => e instanceof ValidationError && /minIntervalMs|min_interval/.test(e.field))
    assert.throws(() => client.transactions({ endTime: '2024-01-01 00:00:00' }), (e) => e instanceof ValidationError && e.field === 'start_time')
    assert.equal(sandbox.requestCount(), before)
  })
})

// Seeds the standard history again (after a reset) and returns the records.
async function seedAgain (sandbox) {
  await control(sandbox, '/sandbox/seed', { orders: 400, from: '2024-01-20', to: '2024-03-10', seed: 2802 })
  return sandbox.orders()
}

function seededByMonth (orders) {
  const month = (m) => orders.filter((o) => o.sysdtm.startsWith(`2024-0${m}`)).length
  return { total: orders.length, jan: month(1), feb: month(2), mar: month(3) }
}

describe('transactions under a tight rate limit', () => {
  it('waits out the 429s itself (the client retries nothing) and returns every record', async () => {
    const sandbox = await Sandbox.start({ rateLimit: { perSecond: 2, perMinute: 400 } })
    try {
      const seeded = await control(sandbox, '/sandbox/seed', { orders: 250, from: '2024-01-20', to: '2024-03-10', seed: 2803 })
      const client = sandbox.client({ maxRetries: 0 })
      let n = 0
      const started = Date.now()
      // The waits happen on the core's runtime: the event loop keeps turning meanwhile.
      let ticks = 0
      const timer = setInterval(() => { ticks++ }, 50)
      try {
        for await (const t of client.transactions({ ...PERIOD, minIntervalMs: 0 })) n += t.syssn ? 1 : 0
      } finally {
        clearInterval(timer)
      }
      assert.equal(n, seeded.records)
      assert.ok(ticks >= 10, `${ticks} timer ticks during the walk`)
      const log = queries(sandbox)
      const limited = log.filter((q) => q.status === 429)
      assert.ok(limited.length >= 1, `429s answered: ${JSON.stringify(log)}`)
      // Every page answered 200 in the end: each 429 was followed by the same page again.
      for (const q of limited) assert.ok(log.some((o) => o.window === q.window && o.page === q.page && o.status === 200))
      assert.ok(Date.now() - started >= 900, 'the walk waited for Retry-After')
    } finally {
      await sandbox.stop()
    }
  })
})

describe('reconcile: the diff against the ledger', () => {
  let sandbox, client, ledger, csv, period, seeded
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client()
    // A payment left pending two minutes ago (the sandbox clock moved back, then forward).
    sandbox.advanceClock(-120)
    const pending = await client.wechatQr({ amount: 450 })
    sandbox.advanceClock(120)
    // Seven paid orders today, one of them paid twice.
    seeded = await control(sandbox, '/sandbox/seed', { orders: 7, from: qfpayDay(), to: qfpayDay(), duplicates: 1, seed: 2804 })
    const dup = seeded.duplicate_out_trade_nos[0]
    const payments = sandbox.orders().filter((o) => o.kind === 'payment' && o.outTradeNo.startsWith(seeded.out_trade_no_prefix))
    const first = (no) => payments.find((o) => o.outTradeNo === no)
    const others = [...new Set(payments.map((o) => o.outTradeNo))].filter((no) => no !== dup).sort()
    const [matched, amount, currency, missingInLedger, unknownRefund, stateMismatch] = others.map(first)
    // QFPay refunds part of an order the ledger has as paid with nothing refunded.
    await client.refund({ syssn: unknownRefund.syssn, amount: 1, currency: unknownRefund.txcurrcd })
    const entry = (o, more = {}) => ({ outTradeNo: o.outTradeNo, amount: o.txamt, currency: o.txcurrcd, ...more })
    ledger = [
      entry(first(dup)),
      entry(matched),
      entry(amount, { amount: amount.txamt + 1 }),
      entry(currency, { currency: currency.txcurrcd === 'HKD' ? 'CNY' : 'HKD' }),
      entry(unknownRefund),
      entry(stateMismatch, { state: 'unpaid' }),
      { outTradeNo: 'LEDGER-ONLY-1', amount: 999, currency: 'HKD' },
      { outTradeNo: pending.outTradeNo, amount: 450, currency: 'HKD', state: 'unpaid' }
    ]
    csv = 'out_trade_no,amount,currency,state,refunded\n' +
      ledger.map((e) => [e.outTradeNo, e.amount, e.currency, e.state ?? '', e.refunded ?? ''].join(',')).join('\n') + '\n'
    period = { startTime: `${qfpayDay(-1)} 00:00:00`, endTime: `${qfpayDay(1)} 23:59:59`, minIntervalMs: 0, pendingAfterMs: 60_000 }
    Object.assign(ledger, { expected: { dup, matched, amount, currency, missingInLedger, unknownRefund, stateMismatch, pending } })
  })
  after(() => sandbox.stop())

  it('finds every category, the same from CSV text and from an array', async () => {
    const fromList = await client.reconcile({ ledger, ...period })
    const fromCsv = await client.reconcile({ ledger: csv, ...period })
    assert.deepEqual(fromCsv, fromList)
    const report = fromList
    const x = ledger.expected
    const byKind = Object.fromEntries(report.discrepancies.map((d) => [d.kind, d]))
    assert.deepEqual(Object.keys(byKind).sort(), [
      'amount_mismatch', 'currency_mismatch', 'duplicate_payments', 'missing_at_qfpay', 'missing_in_ledger',
      'pending_too_long', 'state_mismatch', 'unknown_refund'
    ])
    assert.equal(report.discrepancies.length, 8, report.summary)
    assert.equal(byKind.missing_at_qfpay.outTradeNo, 'LEDGER-ONLY-1')
    assert.equal(byKind.missing_at_qfpay.ledgerAmount, 999)
    assert.equal(byKind.missing_at_qfpay.qfpayAmount, undefined)
    assert.equal(byKind.missing_in_ledger.outTradeNo, x.missingInLedger.outTradeNo)
    assert.deepEqual(byKind.missing_in_ledger.syssns, [x.missingInLedger.syssn])
    assert.deepEqual([byKind.amount_mismatch.ledgerAmount, byKind.amount_mismatch.qfpayAmount], [x.amount.txamt + 1, x.amount.txamt])
    assert.equal(byKind.currency_mismatch.outTradeNo, x.currency.outTradeNo)
    assert.equal(byKind.currency_mismatch.currency, x.currency.txcurrcd)
    const dupPayments = sandbox.orders().filter((o) => o.kind === 'payment' && o.outTradeNo === x.dup)
    assert.equal(byKind.duplicate_payments.outTradeNo, x.dup)
    assert.deepEqual(new Set(byKind.duplicate_payments.syssns), new Set(dupPayments.map((o) => o.syssn)))
    assert.equal(byKind.duplicate_payments.qfpayAmount, dupPayments.reduce((s, o) => s + o.txamt, 0))
    assert.deepEqual(byKind.pending_too_long.syssns, [x.pending.syssn])
    assert.equal(byKind.unknown_refund.outTradeNo, x.unknownRefund.outTradeNo)
    assert.equal(byKind.unknown_refund.qfpayAmount, 1)
    assert.equal(byKind.state_mismatch.outTradeNo, x.stateMismatch.outTradeNo)
    // Matched: the ledger orders no discrepancy names (the one order that agrees).
    assert.equal(report.matched, ledger.filter((e) => !report.discrepancies.some((d) => d.outTradeNo === e.outTradeNo)).length)
    assert.equal(report.matched, 1)
    assert.equal(report.clean, false)
    assert.equal(report.ledgerOrders, 8)
    assert.match(report.summary, /8 ledger orders/)
    for (const d of report.discrepancies) assert.ok(d.detail.length > 0)

    // The net per day and currency: every successful payment (duplicates included) less every
    // successful refund, from the sandbox's own book.
    const expected = {}
    for (const o of sandbox.orders()) {
      const paid = o.kind === 'payment' && ['succeeded', 'refunded', 'partially_refunded'].includes(o.state)
      const refunded = o.kind === 'refund' && o.state === 'succeeded'
      if (!paid && !refunded) continue
      const key = `${o.sysdtm.slice(0, 10)} ${o.txcurrcd}`
      const n = expected[key] ??= { payments: 0, paid: 0, refunds: 0, refunded: 0, net: 0 }
      if (paid) Object.assign(n, { payments: n.payments + 1, paid: n.paid + o.txamt, net: n.net + o.txamt })
      else Object.assign(n, { refunds: n.refunds + 1, refunded: n.refunded + o.txamt, net: n.net - o.txamt })
    }
    const net = Object.fromEntries(report.net.map(({ day, currency, ...n }) => [`${day} ${currency}`, n]))
    assert.deepEqual(net, expected)

    // The report as CSV and JSON, read back.
    const lines = report.csv.trim().split('\n')
    assert.equal(lines[0], 'kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail')
    assert.equal(lines.length, 1 + report.discrepancies.length)
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), report.discrepancies.map((d) => d.kind))
    assert.ok(lines.some((l) => l.startsWith('missing_at_qfpay,LEDGER-ONLY-1,,999,,HKD,')), report.csv)
    const netLines = report.netCsv.trim().split('\n')
    assert.equal(netLines[0], 'day,currency,payments,paid,refunds,refunded,net')
    assert.equal(netLines.length, 1 + report.net.length)
    const json = JSON.parse(report.json)
    assert.equal(json.clean, false)
    assert.deepEqual(json.discrepancies.map((d) => [d.kind, d.out_trade_no]), report.discrepancies.map((d) => [d.kind, d.outTradeNo]))
    assert.deepEqual(json.net.map((n) => n.net), report.net.map((n) => n.net))
  })

  it('a bad ledger entry is refused naming the entry and the rule; nothing is sent', async () => {
    const before = sandbox.requestCount()
    const bad = async (ledgerValue, pattern) => {
      const e = await rejection(client.reconcile({ ledger: ledgerValue, ...period }))
      assert.ok(e instanceof ValidationError, e.stack)
      assert.equal(e.field, 'ledger')
      assert.match(e.rule, pattern)
      return e
    }
    await bad([{ outTradeNo: 'A', amount: 1, currency: 'HKD' }, { outTradeNo: 'B', currency: 'HKD' }], /entry 2: amount is required/)
    await bad([{ outTradeNo: 'A', amount: 1.5, currency: 'HKD' }], /entry 1: .*amount/)
    await bad([{ outTradeNo: 'A', amount: 1, currency: 'HKD', state: 'shipped' }], /entry 1: state must be one of paid, refunded, unpaid/)
    await bad([{ outTradeNo: 'A', amount: 1, currency: 'HKD', colour: 'red' }], /entry 1: .*colour/)
    await bad([new Map([['outTradeNo', 'A']])], /entry 1: .*got a Map/)
    await bad('out_trade_no,amount,currency\nA,12x,HKD\n', /line 2/)
    await bad('out_trade_no,amount\nA,1\n', /header must name out_trade_no, amount and currency/)
    await bad(42, /CSV text \(a string\) or an array of objects/)
    const missing = await rejection(client.reconcile({ ...period }))
    assert.ok(missing instanceof ValidationError && missing.field === 'ledger', missing.stack)
    assert.equal(sandbox.requestCount(), before)
  })
})

describe('duplicates surfaced', () => {
  it('findPayment of an order paid twice returns the paid record and names the others', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const seeded = await control(sandbox, '/sandbox/seed', { orders: 20, from: qfpayDay(-3), to: qfpayDay(), duplicates: 2, seed: 2805 })
      assert.equal(seeded.duplicate_out_trade_nos.length, 2)
      const client = sandbox.client()
      for (const no of seeded.duplicate_out_trade_nos) {
        const all = sandbox.orders().filter((o) => o.kind === 'payment' && o.outTradeNo === no)
        assert.ok(all.length >= 2)
        const t = await client.findPayment(no)
        assert.equal(t.outTradeNo, no)
        assert.equal(t.isPaid, true)
        assert.ok(t.otherPayments.length >= 1, JSON.stringify(t))
        assert.ok(!t.otherPayments.includes(t.syssn))
        assert.deepEqual(new Set([t.syssn, ...t.otherPayments]), new Set(all.map((o) => o.syssn)))
      }
      // An order paid once names none.
      const once = sandbox.orders().find((o) => o.kind === 'payment' && !seeded.duplicate_out_trade_nos.includes(o.outTradeNo))
      assert.deepEqual((await client.findPayment(once.outTradeNo)).otherPayments, [])
    } finally {
      await sandbox.stop()
    }
  })
})

describe('statements and refunds under the daily unsettled rule', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client()
  })
  after(() => sandbox.stop())

  it('1269: the error says how much can still be refunded today (available)', async () => {
    const big = await client.wechatQr({ amount: 1000 })
    sandbox.pay(big.outTradeNo)
    sandbox.advanceClock(86_400) // the next sandbox day: yesterday's payment is settled
    const today = await client.wechatQr({ amount: 300 })
    sandbox.pay(today.outTradeNo)
    await control(sandbox, '/sandbox/config', { refund_rules: { daily_unsettled: true } })
    const e = await rejection(client.refund({ syssn: big.syssn, amount: 1000, currency: 'HKD' }))
    assert.ok(e instanceof RefundRejectedError, e.stack)
    assert.equal(e.respcd, '1269')
    assert.equal(e.available, 300)
    // What is available can be refunded.
    const r = await client.refund({ syssn: big.syssn, amount: e.available, currency: 'HKD' })
    assert.equal(r.txamt, 300)
    await control(sandbox, '/sandbox/config', { refund_rules: { daily_unsettled: false } })
  })

  it('downloadTradeBill gives the zip as a Buffer and its entries', async () => {
    await control(sandbox, '/sandbox/seed', { orders: 30, from: '2024-02-28', to: '2024-02-29', seed: 2806 })
    const bill = await client.downloadTradeBill('2024-02-29')
    assert.equal(bill.tradeDate, '2024-02-29')
    assert.ok(Buffer.isBuffer(bill.content))
    assert.equal(bill.content.subarray(0, 2).toString('latin1'), 'PK')
    assert.ok(bill.entries.length >= 1)
    for (const entry of bill.entries) {
      assert.match(entry.name, /^trade_bill_20240229_(wechat|alipay|other)\.csv$/)
      assert.ok(entry.size > 0 && entry.compressedSize > 0)
      // STORED entries: the CSV lies in the zip as it is.
      assert.ok(bill.content.includes(Buffer.from(entry.name)))
    }
    assert.ok(bill.content.includes(Buffer.from('syssn,out_trade_no,order_type,pay_type,txamt,txcurrcd,sysdtm,respcd,origssn')))
    await assert.rejects(client.downloadTradeBill('2024-02-30'), (e) => e instanceof ValidationError && e.field === 'trade_date')
  })

  it('downloadTradeBill on QFPay\'s live_test host fails with a config error before sending', async () => {
    const test = new qfpay.Client({ appCode: 'APP', clientKey: 'KEY', environment: 'live_test' })
    const e = await rejection(test.downloadTradeBill('2024-02-29'))
    assert.ok(e instanceof ConfigError, e.stack)
    assert.match(e.message, /production only/)
  })

  it('settlements answers typed records (the legacy query)', async () => {
    const all = await client.settlements({ dateStart: '20240228', dateEnd: '20240229' })
    assert.ok(all.data.length >= 1)
    for (const s of all.data) {
      assert.ok(['20240228', '20240229'].includes(s.dateStart))
      for (const k of ['payAmt', 'refundAmt', 'chnlPoundageAmt', 'payNetAmt', 'settlementAmt']) assert.equal(typeof s[k], 'number', k)
      assert.equal(s.payNetAmt, s.payAmt - s.refundAmt)
      assert.equal(s.settlementAmt, s.payNetAmt - s.chnlPoundageAmt)
      assert.equal(typeof s.raw, 'object')
    }
    assert.equal(all.raw.respcd, '0000')
    const wechat = await client.settlements({ dateStart: '20240228', dateEnd: '20240229', paymethod: 'wechat' })
    assert.ok(wechat.data.every((s) => s.paymethod === '微信'))
    assert.ok(wechat.data.length < all.data.length)
    await assert.rejects(client.settlements({ dateStart: '2024-02-28', dateEnd: '20240229' }), (e) => e instanceof ValidationError && e.field === 'date_start')
  })
})
