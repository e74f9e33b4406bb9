'use strict'
// Node clients of the cross-language benchmark (bench/run.sh): the SDK and a hand-written undici
// `Pool.request` client doing the same signed WeChat QR payment (800201) against the shared
// sandbox process named by QFPAY_BASE_URL, QFPAY_APP_CODE, QFPAY_CLIENT_KEY (127.0.0.1).
// Prints one JSON line. The SDK is loaded from QFPAY_NODE_PACKAGE (the release build).
//
//   node node_clients.js pay sdk64|undici64 SECONDS WARMUP
//   node node_clients.js micro | rss sdk|undici
//   node node_clients.js transactions sdk|hand     (BENCH_FROM, BENCH_TO: YYYY-MM-DD hh:mm:ss)
const crypto = require('node:crypto')
const path = require('node:path')

const BASE_URL = process.env.QFPAY_BASE_URL
const APP_CODE = process.env.QFPAY_APP_CODE
const CLIENT_KEY = process.env.QFPAY_CLIENT_KEY
const PKG = process.env.QFPAY_NODE_PACKAGE || path.join(__dirname, '..', '..', 'bindings-node')
const undiciPath = require.resolve('undici', { paths: [path.join(__dirname, '..', 'node')] })
let seq = 0

// The seed's signing code (shared/spec/seed-wechat-qr-payment.md), as a function.
function seedSign (payload, clientKey) {
  const ordered = {}
  Object.keys(payload).sort().forEach(function (key) { ordered[key] = payload[key] })
  const str = []
  for (const p in ordered) {
    if (Object.prototype.hasOwnProperty.call(ordered, p)) str.push(p + '=' + ordered[p])
  }
  return crypto.createHash('md5').update(str.join('&') + clientKey).digest('hex')
}

function txdtm () {
  return new Date().toISOString().replace(/T/, ' ').replace(/\..+/, '')
}

function sdk () {
  const qfpay = require(PKG)
  const client = qfpay.Client.fromEnv()
  return {
    one: async () => (await client.wechatQr({ amount: 300, currency: 'HKD' })).respcd === '0000',
    close: async () => {}
  }
}

function undici () {
  const { Pool } = require(undiciPath)
  const pool = new Pool(BASE_URL, { connections: 64 })
  return {
    one: async () => {
      const p = { txamt: '300', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: `js${process.pid}x${seq++}x${Date.now()}`, txdtm: txdtm() }
      const { statusCode, body } = await pool.request({
        path: '/trade/v1/payment',
        method: 'POST',
        headers: { 'x-qf-appcode': APP_CODE, 'x-qf-sign': seedSign(p, CLIENT_KEY), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(p).toString()
      })
      const json = await body.json()
      return statusCode === 200 && json.respcd === '0000'
    },
    close: () => pool.close()
  }
}

async function phase (width, one, seconds) {
  let ok = 0
  let failed = 0
  const until = performance.now() + seconds * 1000
  const start = performance.now()
  async function worker () {
    while (performance.now() < until) {
      try {
        if (await one()) ok++; else failed++
      } catch (e) {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
  return { n: ok, errors: failed, secs: (performance.now() - start) / 1000 }
}

async function pay (kind, seconds, warmup) {
  const c = kind === 'sdk64' ? sdk() : kind === 'undici64' ? undici() : null
  if (!c) throw new Error(`unknown case ${kind}`)
  await phase(64, c.one, warmup)
  const r = await phase(64, c.one, seconds)
  await c.close()
  return { ...r, rate: r.n / r.secs }
}

function nsPerCall (n, fn) {
  let best = Infinity
  let sink = 0
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) sink ^= fn() ? 1 : 0
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n)
  }
  if (sink === 2) console.error('unreachable')
  return best
}

function micro () {
  const qfpay = require(PKG)
  const client = qfpay.Client.fromEnv()
  const seed = { txamt: '10', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: '01234567890123', txdtm: '2020-04-10 11:45:44', mchid: 'ZaMVg*****' }
  const key = '0E32A59A8B454940A2FF39**********'
  if (qfpay.sign(seed, key).toUpperCase() !== seedSign(seed, key).toUpperCase()) throw new Error('qfpay.sign and the seed code disagree')
  return {
    trivial_ns: nsPerCall(100000, () => client.baseUrl),
    trivial_what: 'client.baseUrl',
    sign_sdk_ns: nsPerCall(20000, () => qfpay.sign(seed, key)),
    sign_hand_ns: nsPerCall(20000, () => seedSign(seed, key))
  }
}

function rssKb () {
  const status = require('node:fs').readFileSync('/proc/self/status', 'utf8')
  const m = /VmRSS:\s+(\d+)/.exec(status)
  return m ? Number(m[1]) : 0
}

async function rss (which) {
  const c = which === 'undici' ? undici() : sdk()
  let failed = 0
  for (let i = 0; i < 1000; i++) if (!(await c.one())) failed++
  const kb = rssKb()
  await c.close()
  return { rss_kb: kb, errors: failed }
}

function procStatusKb (field) {
  const status = require('node:fs').readFileSync('/proc/self/status', 'utf8')
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(status)
  return m ? Number(m[1]) : 0
}

// `transactions sdk`: the SDK's walk (`client.transactions`, no pacing); its requests counted
// from the client's `request` events. Loaded and built here, before the walk is measured.
function transactionsSdk () {
  const qfpay = require(PKG)
  const client = qfpay.Client.fromEnv()
  let requests = 0
  client.on('request', () => { requests++ })
  return (from, to) => walkSdk(client, from, to, () => requests)
}

async function walkSdk (client, from, to, requests) {
  let records = 0
  let sum = 0
  for await (const t of client.transactions({ startTime: from, endTime: to, minIntervalMs: 0 })) {
    records++
    sum += t.txamt
  }
  // Events arrive on the event loop after the call that made them: let the last ones in.
  await new Promise((resolve) => setTimeout(resolve, 50))
  return { records, requests: requests(), txamt_sum: sum }
}

// The calendar-month windows of [from, to] (both 'YYYY-MM-DD hh:mm:ss', QFPay's time).
function monthWindows (from, to) {
  const pad = (n) => String(n).padStart(2, '0')
  const text = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  const parse = (t) => new Date(t.replace(' ', 'T') + 'Z')
  const end = parse(to)
  const out = []
  for (let start = parse(from); start <= end;) {
    const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    const last = new Date(Math.min(next.getTime() - 1000, end.getTime()))
    out.push([text(start), text(last)])
    start = next
  }
  return out
}

// `transactions hand`: what a merchant writes without the SDK: each calendar month, pages of
// 100 through /trade/v1/query signed with the seed's MD5 code, a 429 waited out, records
// counted as they are read (never kept).
function transactionsHand () {
  const { Pool } = require(undiciPath)
  return (from, to) => walkHand(new Pool(BASE_URL, { connections: 1 }), from, to)
}

async function walkHand (pool, from, to) {
  let records = 0
  let requests = 0
  let sum = 0
  for (const [start, end] of monthWindows(from, to)) {
    for (let page = 1; ; page++) {
      const p = { start_time: start, end_time: end, page: String(page), page_size: '100' }
      const { statusCode, headers, body } = await pool.request({
        path: '/trade/v1/query',
        method: 'POST',
        headers: { 'x-qf-appcode': APP_CODE, 'x-qf-sign': seedSign(p, CLIENT_KEY), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(p).toString()
      })
      requests++
      if (statusCode === 429) {
        await body.dump()
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(headers['retry-after'] || 1)))
        page--
        continue
      }
      const json = await body.json()
      if (statusCode !== 200 || json.respcd !== '0000') throw new Error(`page ${page} of ${start}: HTTP ${statusCode} ${json.respcd} ${json.resperr}`)
      for (const r of json.data) {
        records++
        sum += Number(r.txamt)
      }
      if (json.data.length < 100) break
    }
  }
  await pool.close()
  return { records, requests, txamt_sum: sum }
}

async function transactions (which) {
  const from = process.env.BENCH_FROM
  const to = process.env.BENCH_TO
  if (!from || !to) throw new Error('BENCH_FROM and BENCH_TO (YYYY-MM-DD hh:mm:ss) are required')
  const prepare = which === 'sdk' ? transactionsSdk : which === 'hand' ? transactionsHand : null
  if (!prepare) throw new Error(`unknown case ${which}: sdk or hand`)
  const walk = prepare()
  const before = procStatusKb('VmRSS')
  const start = performance.now()
  const r = await walk(from, to)
  const seconds = (performance.now() - start) / 1000
  return { records: r.records, requests: r.requests, seconds, rss_before_kb: before, rss_peak_kb: procStatusKb('VmHWM'), txamt_sum: r.txamt_sum }
}

async function main () {
  const [mode, a, b, c] = process.argv.slice(2)
  let out
  if (mode === 'pay') out = await pay(a, Number(b), Number(c))
  else if (mode === 'micro') out = micro()
  else if (mode === 'rss') out = await rss(a || 'sdk')
  else if (mode === 'transactions') out = await transactions(a)
  else throw new Error('usage: node_clients.js pay CASE SECONDS WARMUP | micro | rss sdk|undici | transactions sdk|hand')
  console.log(JSON.stringify(out))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
