'use strict'
// Framework recipes (examples/node): a real Express app doing the whole flow (including a
// browser that disconnects mid-call), and notification receivers on Express and Fastify
// (200 SUCCESS for a good notification, 4xx for a bad or missing signature).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { qfpay } = require('./helpers.js')

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples', 'node')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

describe('framework recipes', () => {
  let sandbox, nodePath
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
    nodePath = fs.mkdtempSync(path.join(os.tmpdir(), 'qfpay-frameworks-'))
    fs.symlinkSync(path.resolve(__dirname, '..'), path.join(nodePath, 'qfpay'), 'dir')
  })
  after(async () => {
    fs.rmSync(nodePath, { recursive: true, force: true })
    await sandbox.stop()
  })

  async function start (script) {
    const child = spawn(process.execPath, [path.join(EXAMPLES, script)], {
      env: {
        ...process.env,
        // qfpay as if installed, and the frameworks from this package's devDependencies
        NODE_PATH: [nodePath, path.resolve(__dirname, '..', 'node_modules')].join(path.delimiter),
        QFPAY_BASE_URL: sandbox.baseUrl,
        QFPAY_APP_CODE: sandbox.appCode,
        QFPAY_CLIENT_KEY: sandbox.clientKey,
        QFPAY_ENV: '',
        PORT: '0'
      }
    })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    for (let i = 0; i < 500 && !/listening on (http:\/\/\S+)/.test(out); i++) await sleep(20)
    const m = /listening on (http:\/\/\S+)/.exec(out)
    if (!m) {
      child.kill()
      throw new Error(`${script} did not start:\n${out}`)
    }
    return { url: m[1], output: () => out, stop: async () => { child.kill(); await exited } }
  }

  async function checkReceiver (url) {
    const body = JSON.stringify({ notify_type: 'payment', status: '1', syssn: 'S1', out_trade_no: 'qfX', txamt: '300', txcurrcd: 'HKD', pay_type: '800201', respcd: '0000', cancel: '0' })
    const post = (headers, b = body) => fetch(`${url}/qfpay/notify`, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...headers } })
    const good = await post({ 'X-QF-SIGN': qfpay.notificationSignature(body, sandbox.clientKey) })
    assert.equal(good.status, 200)
    assert.equal(await good.text(), 'SUCCESS')
    assert.equal((await post({ 'X-QF-SIGN': qfpay.notificationSignature(body, 'NOT THE KEY') })).status, 401)
    assert.equal((await post({})).status, 401, 'missing signature')
    assert.equal((await post({ 'X-QF-SIGN': '' })).status, 401, 'empty signature')
    const tampered = await post({ 'X-QF-SIGN': qfpay.notificationSignature(body, sandbox.clientKey) }, body.replace('"300"', '"30000"'))
    assert.equal(tampered.status, 401)
  }

  it('Express: create → customer pays → signed notification → order paid', async () => {
    const app = await start('express-app.js')
    try {
      const created = await fetch(`${app.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1200, notifyUrl: `${app.url}/qfpay/notify` }) })
      assert.equal(created.status, 201, app.output())
      const { outTradeNo, qrcode } = await created.json()
      assert.match(qrcode, /^weixin:/)
      sandbox.pay(outTradeNo) // the customer scans; the sandbox notifies the app
      let local
      for (let i = 0; i < 200; i++) {
        local = (await (await fetch(`${app.url}/orders/${outTradeNo}`)).json())
        if (local.local === 'paid') break
        await sleep(20)
      }
      assert.equal(local.state, 'succeeded')
      assert.equal(local.local, 'paid', 'the notification reached the app and verified')
      assert.equal(local.txamt, 1200)
      await checkReceiver(app.url)
    } finally {
      await app.stop()
    }
  })

  it('Express: a browser that disconnects mid-call aborts it; the stored number finds the order', async () => {
    const app = await start('express-app.js')
    try {
      sandbox.injectFault({ kind: 'delay', ms: 800, count: 1 })
      const browser = new AbortController()
      const req = fetch(`${app.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1300 }), signal: browser.signal })
      await sleep(200)
      browser.abort()
      await assert.rejects(req, (e) => e.name === 'AbortError')
      let orders
      for (let i = 0; i < 100; i++) {
        orders = await (await fetch(`${app.url}/orders`)).json()
        if (Object.values(orders).some((o) => o.amount === 1300 && o.state === 'unknown')) break
        await sleep(20)
      }
      const [outTradeNo] = Object.entries(orders).find(([, o]) => o.amount === 1300)
      assert.equal(orders[outTradeNo].state, 'unknown', 'the call was aborted, not completed')
      await sleep(800) // the request had been sent: the order exists under the stored number
      const found = await (await fetch(`${app.url}/orders/${outTradeNo}`)).json()
      assert.equal(found.outTradeNo, outTradeNo)
      assert.equal(found.txamt, 1300)
    } finally {
      await app.stop()
    }
  })

  it('Fastify: notification receiver', async () => {
    const app = await start('fastify-receiver.js')
    try {
      await checkReceiver(app.url)
      const p = await sandbox.client().wechatQr({ amount: 1001, notifyUrl: `${app.url}/qfpay/notify` })
      for (let i = 0; i < 200 && !app.output().includes(p.outTradeNo); i++) await sleep(20)
      assert.match(app.output(), new RegExp(`notification: payment ${p.outTradeNo} 1001 HKD success=true`))
    } finally {
      await app.stop()
    }
  })
})
