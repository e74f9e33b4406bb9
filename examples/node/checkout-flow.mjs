// The checkout flow both example projects are tested with (express/test, fastify/test): the app
// as a server process, a QFPay sandbox in the test's process. Create → QR → the customer pays (the
// sandbox's control API) → the sandbox posts the signed notification to the app, which verifies
// it and confirms by query → refund; a tampered notification is refused (401, not a 500); an
// unpaid order is closed. The hosted checkout: the shop's route redirects to the link it built →
// the sandbox's checkstand verifies it and the customer pays there (its page's endpoints) → the
// shop receives the notification → the result page says paid. The project passes its app and
// its own `qfpay` module.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function until (what, check) {
  for (let i = 0; i < 250; i++) {
    const v = await check()
    if (v) return v
    await sleep(20)
  }
  throw new Error(`timed out waiting for ${what}`)
}

export function checkoutFlow (name, APP, { Sandbox, notificationSignature }) {
  describe(name, () => {
    let sandbox, app, url, output = ''
    const post = (path, body) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })
    const order = async (id) => (await fetch(`${url}/orders/${id}`)).json()

    before(async () => {
      sandbox = await Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
      app = spawn(process.execPath, [APP], {
        env: { ...process.env, QFPAY_ENV: '', QFPAY_MCHID: '', QFPAY_BASE_URL: sandbox.baseUrl, QFPAY_APP_CODE: sandbox.appCode, QFPAY_CLIENT_KEY: sandbox.clientKey, PORT: '0' }
      })
      app.stdout.on('data', (d) => { output += d })
      app.stderr.on('data', (d) => { output += d })
      url = (await until('the app to listen', () => /listening on (http:\/\/\S+)/.exec(output)))[1]
    })
    after(async () => {
      app?.kill()
      await sandbox?.stop()
    })

    it('create → QR → pay → notification confirmed by query → refund', async () => {
      const created = await post('/orders', { amount: 300 })
      assert.equal(created.status, 201, output)
      const { outTradeNo, qrcode, qr } = await created.json()
      assert.match(qrcode, /^weixin:\/\//)
      const svg = await fetch(`${url}${qr}`)
      assert.equal(svg.status, 200)
      assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/)
      assert.match(await svg.text(), /<svg/)
      assert.equal((await order(outTradeNo)).state, 'pending')

      // The customer scans: the sandbox's control API, as in sandbox/README.md.
      const paid = await fetch(`${sandbox.baseUrl}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: outTradeNo }) })
      assert.equal(paid.status, 200)
      const local = await until('the notification', async () => { const o = await order(outTradeNo); return o.state === 'paid' && o })
      assert.equal(local.amount, 300)
      const delivered = sandbox.notifications().find((n) => JSON.stringify(n).includes(outTradeNo))
      assert.ok(delivered, 'the sandbox delivered the notification to the app')

      const refunded = await post(`/orders/${outTradeNo}/refund`)
      assert.equal(refunded.status, 200, output)
      assert.equal((await refunded.json()).state, 'refunded')
      const orders = await (await fetch(`${sandbox.baseUrl}/sandbox/orders`)).json()
      assert.ok(orders.orders.some((o) => o.kind === 'refund' && o.txamt === 300), 'QFPay holds the refund')
      assert.equal(orders.orders.find((o) => o.out_trade_no === outTradeNo).state, 'refunded')
    })

    it('hosted checkout: the shop redirects to its signed link → pay on the checkstand → notification → result page', async () => {
      const start = await fetch(`${url}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1250 }), redirect: 'manual' })
      assert.equal(start.status, 303, output)
      const link = start.headers.get('location')
      assert.ok(link.startsWith(`${sandbox.baseUrl}/checkstand/#/?`), link)
      const outTradeNo = new URLSearchParams(link.slice(link.indexOf('?') + 1)).get('out_trade_no')
      assert.equal((await order(outTradeNo)).state, 'pending')

      // The customer's browser: the checkstand page, whose script verifies the link with the
      // sandbox and pays (the same requests, made here).
      assert.equal((await fetch(link)).status, 200)
      const page = (path, body) => fetch(`${sandbox.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json())
      const session = await page('/checkstand/session', { query: link.slice(link.indexOf('?') + 1) })
      assert.equal(session.ok, true, JSON.stringify(session))
      assert.equal(session.order.txamt, 1250)
      const paid = await page(`/sandbox/checkout/${session.order.syssn}`, { action: 'pay', wallet: 'wechat' })
      assert.equal(paid.ok, true, JSON.stringify(paid))
      assert.equal(paid.redirect, `${url}/checkout/result?order=${outTradeNo}`)

      // The shop's notification route confirmed it, and the result page says so.
      await until('the notification', async () => (await order(outTradeNo)).state === 'paid')
      const result = await fetch(paid.redirect)
      assert.equal(result.status, 200)
      assert.match(await result.text(), /data-state="paid">Paid/)
    })

    it('hosted checkout: a failed payment comes back to a result page that says not paid', async () => {
      const start = await fetch(`${url}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 700 }), redirect: 'manual' })
      const link = start.headers.get('location')
      const page = (path, body) => fetch(`${sandbox.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json())
      const session = await page('/checkstand/session', { query: link.slice(link.indexOf('?') + 1) })
      const failed = await page(`/sandbox/checkout/${session.order.syssn}`, { action: 'fail' })
      const result = await fetch(failed.redirect)
      assert.match(await result.text(), /data-state="pending">Not paid \(failed\)/)
    })

    it('a tampered or unsigned notification is refused with 401, never a 500', async () => {
      const body = JSON.stringify({ notify_type: 'payment', status: '1', syssn: 'S1', out_trade_no: 'qfX', txamt: '300', txcurrcd: 'HKD', pay_type: '800201', respcd: '0000', cancel: '0' })
      const send = (b, sign) => fetch(`${url}/qfpay/notify`, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...(sign === undefined ? {} : { 'X-QF-SIGN': sign }) } })
      const good = await send(body, notificationSignature(body, sandbox.clientKey))
      assert.equal(good.status, 200)
      assert.equal(await good.text(), 'SUCCESS')
      assert.equal((await send(body.replace('"300"', '"30000"'), notificationSignature(body, sandbox.clientKey))).status, 401, 'tampered body')
      assert.equal((await send(body, notificationSignature(body, 'not the key'))).status, 401, 'wrong key')
      assert.equal((await send(body)).status, 401, 'no signature')
    })

    it('closes an unpaid order', async () => {
      const { outTradeNo } = await (await post('/orders', { amount: 450 })).json()
      const closed = await post(`/orders/${outTradeNo}/close`)
      assert.equal(closed.status, 200, output)
      assert.equal((await closed.json()).state, 'closed')
      const qfpay = await (await fetch(`${sandbox.baseUrl}/sandbox/orders`)).json()
      assert.equal(qfpay.orders.find((o) => o.out_trade_no === outTradeNo).state, 'cancelled')
      assert.equal((await fetch(`${url}/orders/${outTradeNo}/qr.svg`)).status, 404, 'no QR for a closed order')
    })

    it('a bad amount is 400 naming the field', async () => {
      const bad = await post('/orders', { amount: 3.5 })
      assert.equal(bad.status, 400)
      assert.match((await bad.json()).message, /txamt/)
    })

    it('a browser that disconnects mid-call aborts it; the stored number still finds the order', async () => {
      sandbox.injectFault({ kind: 'delay', ms: 800, count: 1 })
      const browser = new AbortController()
      const pending = fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1301 }), signal: browser.signal })
      await sleep(200)
      browser.abort()
      await assert.rejects(pending, (e) => e.name === 'AbortError')
      await sleep(800) // the request had reached QFPay: the order exists under the stored number
      const qfpay = await (await fetch(`${sandbox.baseUrl}/sandbox/orders`)).json()
      const stored = qfpay.orders.find((o) => o.txamt === 1301)
      assert.ok(stored, 'QFPay has the order')
      assert.equal((await order(stored.out_trade_no)).state, 'unknown', 'the app stored it before the call, and knows to query it')
    })
  })
}
