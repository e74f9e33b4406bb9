'use strict'
// Node clients of the cross-language benchmark (bench/run.sh): the SDK and a hand-written undici
// `Pool.request` client doing the same signed WeChat QR payment (800201) against the shared
// sandbox process named by QFPAY_BASE_URL, QFPAY_APP_CODE, QFPAY_CLIENT_KEY (127.0.0.1).
// Prints one JSON line. The SDK is loaded from QFPAY_NODE_PACKAGE (the release build).
//
//   node node_clients.js pay sdk64|undici64 SECONDS WARMUP
//   node node_clients.js micro | rss sdk|undici
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

async function main () {
  const [mode, a, b, c] = process.argv.slice(2)
  let out
  if (mode === 'pay') out = await pay(a, Number(b), Number(c))
  else if (mode === 'micro') out = micro()
  else if (mode === 'rss') out = await rss(a || 'sdk')
  else throw new Error('usage: node_clients.js pay CASE SECONDS WARMUP | micro | rss sdk|undici')
  console.log(JSON.stringify(out))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
