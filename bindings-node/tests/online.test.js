'use strict'
// Online payments (issue 26) against the sandbox, over HTTP as the sandbox's pages call it:
// a hosted checkout link the sandbox verifies and pays (the notification verified here), links
// the sandbox refuses with QFSign_Error, the WeChat JSAPI sequence (OAuth link → code → openid →
// 800207 payment → pay parameters → /q/direct cashier → paid), extraParams signed and sent, and
// the local operations synchronous on this (async) client. The same flows in a real browser:
// tests/browser.test.js.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const { qfpay, rejection } = require('./helpers.js')

const { Sandbox, ApiError, ValidationError, QfPayError } = qfpay

/** A local receiver for notifications: `url`, the raw bodies and signatures it got, `next()`. */
async function receiver () {
  const got = []
  const waiting = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const n = { body: Buffer.concat(chunks), signature: req.headers['x-qf-sign'] }
      got.push(n)
      res.end(qfpay.NOTIFICATION_ACK)
      while (waiting.length) waiting.shift()()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/notify`
  /** The first notification that satisfies `pred` (waits up to 10 s). */
  async function next (pred = () => true) {
    const deadline = Date.now() + 10_000
    for (;;) {
      const n = got.find(pred)
      if (n) return n
      if (Date.now() > deadline) throw new Error('no notification arrived')
      await new Promise((resolve) => { waiting.push(resolve); setTimeout(resolve, 100) })
    }
  }
  return { url, got, next, close: () => new Promise((resolve) => server.close(resolve)) }
}

/** POSTs JSON to a sandbox page endpoint as its page script does; `{ status, body }`. */
async function post (sandbox, path, data) {
  const res = await fetch(sandbox.baseUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: sandbox.baseUrl },
    body: JSON.stringify(data)
  })
  return { status: res.status, body: await res.json() }
}

/** The link's query text, as the checkstand page reads it from the fragment. */
const queryOf = (url) => url.slice(url.indexOf('?', url.indexOf('#')) + 1)

describe('online payments against the sandbox', () => {
  let sandbox, client, notify
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
    client = sandbox.client({ maxRetries: 0 })
    notify = await receiver()
  })
  after(async () => {
    await notify.close()
    await sandbox.stop()
  })

  const urls = { returnUrl: 'https://shop.example/paid?order=7&lang=en', failedUrl: 'https://shop.example/failed', cancelUrl: 'https://shop.example/cart' }

  it('hosted checkout: the SDK builds the link, the sandbox verifies and pays it, the notification verifies', async () => {
    const link = client.checkoutUrl({ amount: 1250, currency: 'HKD', notifyUrl: notify.url, goodsName: 'Tea & cake', ...urls })
    assert.ok(link.url.startsWith(`${sandbox.baseUrl}/checkstand/#/?`), link.url)
    assert.equal(link.txamt, 1250)

    const session = await post(sandbox, '/checkstand/session', { query: queryOf(link.url) })
    assert.equal(session.status, 200)
    assert.equal(session.body.ok, true, JSON.stringify(session.body))
    const order = session.body.order
    assert.equal(order.out_trade_no, link.outTradeNo)
    assert.equal(order.txamt, 1250)
    assert.equal(order.goods_name, 'Tea & cake')
    assert.equal(order.state, 'pending')
    assert.equal(await client.findPayment(link.outTradeNo).then((t) => t.state), 'pending')

    const paid = await post(sandbox, `/sandbox/checkout/${order.syssn}`, { action: 'pay', wallet: 'wechat' })
    assert.equal(paid.body.ok, true, JSON.stringify(paid.body))
    assert.equal(paid.body.redirect, urls.returnUrl)

    const n = await notify.next((x) => JSON.parse(x.body).out_trade_no === link.outTradeNo)
    const verified = qfpay.verifyNotification(n.body, n.signature, sandbox.clientKey)
    assert.equal(verified.outTradeNo, link.outTradeNo)
    assert.equal(verified.txamt, 1250)
    assert.equal(verified.isSuccess, true)
    assert.throws(() => qfpay.verifyNotification(n.body, n.signature, 'another key'), qfpay.SignatureError)

    const t = await client.waitForPayment(link.outTradeNo, { timeoutMs: 5000, intervalMs: 20 })
    assert.equal(t.state, 'succeeded')
    assert.equal(t.syssn, order.syssn)
    assert.equal((await client.findPayment(link.outTradeNo)).isPaid, true)
  })

  it('hosted checkout: fail and cancel send the customer to failed_url and cancel_url', async () => {
    for (const [action, redirect, state] of [['fail', urls.failedUrl, 'failed'], ['cancel', urls.cancelUrl, 'cancelled']]) {
      const link = client.checkoutUrl({ amount: 300, currency: 'HKD', notifyUrl: notify.url, ...urls })
      const { body } = await post(sandbox, '/checkstand/session', { query: queryOf(link.url) })
      const r = await post(sandbox, `/sandbox/checkout/${body.order.syssn}`, { action })
      assert.equal(r.body.redirect, redirect, action)
      assert.equal((await client.findPayment(link.outTradeNo)).state, state, action)
    }
  })

  it('a link signed with a wrong key, or over encoded values, is the sandbox\'s QFSign_Error with its reason', async () => {
    const other = new qfpay.Client({ baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: 'NOT-THE-MERCHANTS-KEY-0123456789' })
    const wrong = other.checkoutUrl({ amount: 300, currency: 'HKD', notifyUrl: notify.url, ...urls })
    const before = sandbox.orders().length
    const bad = await post(sandbox, '/checkstand/session', { query: queryOf(wrong.url) })
    assert.equal(bad.body.ok, false)
    assert.equal(bad.body.error, 'QFSign_Error')
    assert.match(bad.body.reason, /^QFSign_Error: /)
    // The merchant's own client says the same of that link.
    assert.throws(() => client.verifyCheckoutUrl(wrong.url), (e) => e instanceof qfpay.SignatureError && /QFSign_Error/.test(e.message))

    // The mistake integrations make: the signature over percent-encoded values.
    const good = client.checkoutUrl({ amount: 300, currency: 'HKD', notifyUrl: notify.url, ...urls })
    const params = Object.fromEntries(Object.entries(good.params).filter(([k]) => k !== 'sign').map(([k, v]) => [k, encodeURIComponent(v)]))
    const sign = qfpay.sign(params, sandbox.clientKey, 'md5').toLowerCase()
    const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(decodeURIComponent(v))}`).join('&') + `&sign=${sign}`
    const encoded = await post(sandbox, '/checkstand/session', { query })
    assert.equal(encoded.body.ok, false)
    assert.equal(encoded.body.error, 'QFSign_Error')
    assert.match(encoded.body.reason, /encoded/, encoded.body.reason)
    assert.throws(() => client.verifyCheckoutUrl(`${sandbox.baseUrl}/checkstand/#/?${query}`), (e) => e instanceof qfpay.SignatureError && /encoded/.test(e.message))
    assert.equal(sandbox.orders().length, before, 'no order for a refused link')
  })

  it('the JSAPI sequence: OAuth link → code → openid → 800207 → pay parameters → /q/direct → paid', async () => {
    const back = 'https://shop.example/wechat/back?step=1'
    const oauth = client.wechatOauthUrl(back)
    assert.equal(typeof oauth, 'string')
    const redirected = await fetch(oauth, { redirect: 'manual' })
    assert.equal(redirected.status, 302)
    const location = new URL(redirected.headers.get('location'))
    assert.equal(location.origin + location.pathname, 'https://shop.example/wechat/back')
    assert.equal(location.searchParams.get('step'), '1')
    const code = location.searchParams.get('code')
    assert.ok(code)

    const openid = await client.getWechatOpenid(code)
    assert.equal(typeof openid, 'string')
    assert.match(openid, /^o/)
    // A code is single use: the second exchange is QFPay's refusal, typed.
    const again = await rejection(client.getWechatOpenid({ code }))
    assert.ok(again instanceof ApiError, `${again}`)
    assert.ok(again instanceof QfPayError)
    assert.equal(again.respcd, '1104')

    const p = await client.createPayment({ amount: 880, currency: 'HKD', payType: '800207', subOpenid: openid, goodsName: 'Milk tea', notifyUrl: notify.url })
    const params = p.wechatPayParams
    assert.ok(params, 'wechatPayParams')
    for (const k of ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']) {
      assert.equal(typeof params[k], 'string', k)
      assert.equal(params.raw[k], params[k], `raw.${k}`)
    }
    assert.match(params.package, /^prepay_id=/)
    assert.deepEqual(params.raw, p.raw.pay_params)
    assert.equal(p.wechatAppParams, undefined)
    assert.equal(p.alipayPayParams, undefined)

    const redirectUrl = 'https://shop.example/wechat/done'
    const cashier = client.cashierUrl({ amount: 880, currency: 'HKD', payParams: params.raw, mchntnm: 'Tea House', redirectUrl, goodsName: 'Milk tea' })
    assert.equal(typeof cashier, 'string')
    // The JSON text of the parameters gives the same link.
    assert.equal(client.cashierUrl({ amount: 880, currency: 'HKD', payParams: JSON.stringify(params.raw), mchntnm: 'Tea House', redirectUrl, goodsName: 'Milk tea' }), cashier)
    const page = await fetch(cashier)
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.match(html, /Tea House/)
    const syssn = /data-syssn="(\d+)"/.exec(html)[1]
    assert.equal(syssn, p.syssn)

    const paid = await post(sandbox, `/sandbox/checkout/${syssn}`, { action: 'pay', redirect_url: redirectUrl })
    assert.equal(paid.body.ok, true, JSON.stringify(paid.body))
    assert.equal(paid.body.redirect, redirectUrl)
    const t = await client.waitForPayment(p.outTradeNo, { timeoutMs: 5000, intervalMs: 20 })
    assert.equal(t.state, 'succeeded')
    const n = await notify.next((x) => JSON.parse(x.body).out_trade_no === p.outTradeNo)
    assert.equal(qfpay.verifyNotification(n.body, n.signature, sandbox.clientKey).payType, '800207')
  })

  it('a cashier link with parameters that are not the payment\'s is refused by the page', async () => {
    const p = await client.createPayment({ amount: 500, currency: 'HKD', payType: '800207', subOpenid: 'oSANDBOXOPENID0000000000000' })
    const cashier = client.cashierUrl({ amount: 501, currency: 'HKD', payParams: p.wechatPayParams.raw, mchntnm: 'Tea House', redirectUrl: 'https://shop.example/done' })
    assert.equal((await fetch(cashier)).status, 400)
  })

  it('extraParams reach the sandbox signed; a shadowing one is refused before sending', async () => {
    sandbox.reset()
    const p = await client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', extraParams: { new_field: 'v 1' } })
    assert.equal(p.respcd, '0000')
    const [logged] = sandbox.requests()
    assert.equal(logged.path, '/trade/v1/payment')
    assert.equal(logged.respcd, '0000', 'the signature covered the extra parameter')
    assert.equal(new URLSearchParams(logged.body).get('new_field'), 'v 1')
    // As JSON text too.
    assert.equal((await client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', extraParams: '{"new_field":"v2"}' })).respcd, '0000')

    const count = sandbox.requestCount()
    for (const [name, field] of [['goods_name', 'extra_params.goods_name'], ['sign', 'extra_params.sign'], ['txamt', 'extra_params.txamt']]) {
      const e = await rejection(client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', extraParams: { [name]: 'x' } }))
      assert.ok(e instanceof ValidationError, `${name}: ${e}`)
      assert.equal(e.field, field)
    }
    const number = await rejection(client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', extraParams: { n: 1 } }))
    assert.equal(number.field, 'extra_params.n')
    assert.equal(sandbox.requestCount(), count, 'nothing was sent')
  })

  it('the local operations return at once on the async client (no Promise, no options)', () => {
    const count = sandbox.requestCount()
    const link = client.checkoutUrl({ amount: 100, currency: 'HKD', notifyUrl: notify.url, ...urls })
    const results = [link, client.verifyCheckoutUrl(link.url), client.wechatOauthUrl({ redirectUri: 'https://shop.example/b' }),
      client.cashierUrl({ amount: 1, currency: 'HKD', payParams: { appId: 'wx0', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 'S' }, mchntnm: 'M', redirectUrl: 'https://shop.example/d' })]
    for (const r of results) assert.ok(!(r instanceof Promise) && typeof r.then !== 'function')
    assert.equal(sandbox.requestCount(), count, 'nothing was sent')
    // Errors are thrown, not rejected; and a second argument is refused, never dropped.
    assert.throws(() => client.checkoutUrl({ amount: 100, currency: 'HKD', returnUrl: 'ftp://x', failedUrl: 'https://a/f', notifyUrl: 'https://a/n' }), ValidationError)
    assert.throws(() => client.wechatOauthUrl('https://shop.example/b', { mchid: 'M' }), (e) => e instanceof ValidationError && e.field === 'options')
    assert.throws(() => client.verifyCheckoutUrl(link.url, { timeoutMs: 5 }), ValidationError)
  })
})
