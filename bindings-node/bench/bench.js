'use strict'
// Benchmarks (not a test): signing speed, and payments per second against the in-process
// sandbox, for the SDK, the seed sample's approach (`crypto` + `request`), and `fetch`
// (undici, keep-alive) with `crypto` signing. Prints Markdown.
const crypto = require('node:crypto')
const os = require('node:os')
const request = require('request')
const qfpay = require('..')

const SEQ = Number(process.env.BENCH_SEQ || 400)
const CONC_TOTAL = Number(process.env.BENCH_CONC_TOTAL || 2000)
const IN_FLIGHT = 64

function txdtm () {
  return new Date().toISOString().replace(/T/, ' ').replace(/\..+/, '')
}

// The seed sample's signing, as written there.
function seedSign (payload, clientKey) {
  const ordered = {}
  Object.keys(payload).sort().forEach(function (key) { ordered[key] = payload[key] })
  const str = []
  for (const p in ordered) {
    if (Object.prototype.hasOwnProperty.call(ordered, p)) str.push(p + '=' + ordered[p])
  }
  return crypto.createHash('md5').update(str.join('&') + clientKey).digest('hex')
}

function payload (i) {
  return { txamt: String(300 + (i % 500)), txcurrcd: 'HKD', pay_type: '800201', out_trade_no: qfpay.generateOutTradeNo(), txdtm: txdtm() }
}

function opsPerSec (n, fn) {
  for (let i = 0; i < Math.min(n, 1000); i++) fn(i)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn(i)
  return n / (Number(process.hrtime.bigint() - t0) / 1e9)
}

async function rate (total, inFlight, pay) {
  let next = 0
  let failures = 0
  const t0 = process.hrtime.bigint()
  async function worker () {
    while (next < total) {
      const i = next++
      const body = await pay(i)
      if (body.respcd !== '0000' || !body.qrcode) failures++
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const secs = Number(process.hrtime.bigint() - t0) / 1e9
  if (failures) throw new Error(`${failures} of ${total} payments failed`)
  return total / secs
}

async function main () {
  const sandbox = await qfpay.Sandbox.start({ rateLimit: false })
  const { baseUrl, appCode, clientKey } = sandbox
  const client = sandbox.client({ maxRetries: 0 })

  const sdk = (i) => client.wechatQr({ amount: 300 + (i % 500), currency: 'HKD' })
  const seed = (i) => new Promise((resolve, reject) => {
    const p = payload(i)
    request({ uri: baseUrl + '/trade/v1/payment', headers: { 'X-QF-APPCODE': appCode, 'X-QF-SIGN': seedSign(p, clientKey) }, method: 'POST', form: p },
      (err, _res, body) => err ? reject(err) : resolve(JSON.parse(body)))
  })
  const viaFetch = async (i) => {
    const p = payload(i)
    const res = await fetch(baseUrl + '/trade/v1/payment', {
      method: 'POST',
      headers: { 'X-QF-APPCODE': appCode, 'X-QF-SIGN': seedSign(p, clientKey), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(p).toString()
    })
    return res.json()
  }

  const signP = payload(0)
  const signSdk = opsPerSec(200_000, () => qfpay.sign(signP, clientKey))
  const signSeed = opsPerSec(200_000, () => seedSign(signP, clientKey))

  const rows = []
  for (const [name, fn] of [['qfpay SDK (`client.wechatQr`)', sdk], ['seed sample (`crypto` + `request`)', seed], ['`fetch` (undici keep-alive) + `crypto`', viaFetch]]) {
    await rate(50, 8, fn) // warm up
    sandbox.reset()
    const seq = await rate(SEQ, 1, fn)
    sandbox.reset()
    const conc = await rate(CONC_TOTAL, IN_FLIGHT, fn)
    sandbox.reset()
    rows.push([name, seq, conc])
  }
  await sandbox.stop()

  const f = (x) => Math.round(x).toLocaleString('en-US')
  const out = []
  out.push('## Node.js binding')
  out.push('')
  out.push(`Run by \`bindings-node/bench.sh\` (release build) on ${os.cpus().length} × ${os.cpus()[0].model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. The sandbox runs in the same process on its own threads, rate limit off; every payment is a WeChat QR order (800201) answered \`0000\` with a QR code. The machine was shared with other builds, so treat the numbers as ratios.`)
  out.push('')
  out.push('### Signing (MD5, the 5 parameters of a QR payment)')
  out.push('')
  out.push('| implementation | signatures / s |')
  out.push('|---|---:|')
  out.push(`| \`qfpay.sign\` (core via napi) | ${f(signSdk)} |`)
  out.push(`| seed sample's \`crypto\` code | ${f(signSeed)} |`)
  out.push('')
  out.push(`### Payments per second against the sandbox (${SEQ} sequential; ${CONC_TOTAL} with ${IN_FLIGHT} in flight)`)
  out.push('')
  out.push('| client | sequential | 64 in flight |')
  out.push('|---|---:|---:|')
  for (const [name, seq, conc] of rows) out.push(`| ${name} | ${f(seq)} | ${f(conc)} |`)
  out.push('')
  console.log(out.join('\n'))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
