'use strict'
// The scenarios every binding runs against the sandbox (the same as the Python suite).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const {
  Client, Sandbox, QfPayError, ApiError, ValidationError, DeclinedError, DuplicateOrderError,
  StatusUnknownError, SignatureError, OrderStateError, RateLimitedError, ServerError, NetworkError,
  ConfigError, RequestTimeoutError
} = qfpay

describe('scenarios against the sandbox', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false, pendingQueries: 2, slowResponseMs: 200, notifyTimeScale: 0.001 })
    client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 500, retryBaseDelayMs: 20, retryMaxDelayMs: 50 })
  })
  after(() => sandbox.stop())

  it('pay → scan → query → refund → query', async () => {
    const p = await client.wechatQr({ amount: 300, currency: 'HKD', goodsName: 'Coffee' })
    assert.equal(p.respcd, '0000')
    assert.equal(p.payType, '800201')
    assert.equal(p.txamt, 300)
    assert.ok(Number.isInteger(p.txamt))
    assert.match(p.qrcode, /^weixin:\/\//)
    assert.equal(p.raw.qrcode, p.qrcode)
    assert.equal(p.raw.txamt, '300', 'raw keeps what QFPay sent')

    const before = await client.findPayment(p.outTradeNo)
    assert.equal(before.state, 'pending')
    assert.equal(before.isPaid, false)

    sandbox.pay(p.outTradeNo)
    const paid = await client.findPayment(p.outTradeNo)
    assert.equal(paid.state, 'succeeded')
    assert.equal(paid.syssn, p.syssn)
    assert.equal(paid.goodsName, 'Coffee')

    const r = await client.refund({ syssn: p.syssn, amount: 100, currency: 'HKD' })
    assert.equal(r.txamt, 100)
    assert.equal(r.origSyssn, p.syssn)
    assert.ok(r.outTradeNo)

    const page = await client.query({ outTradeNo: [p.outTradeNo, r.outTradeNo] })
    const payment = page.data.find((t) => t.orderType === 'payment')
    const refund = page.data.find((t) => t.orderType === 'refund')
    assert.equal(payment.state, 'partially_refunded')
    assert.equal(refund.origssn, p.syssn)
    assert.equal(refund.txamt, 100)
  })

  it('createPayment with any pay type (CPM is paid at once)', async () => {
    const p = await client.createPayment({ amount: 250, currency: 'HKD', payType: '800208', authCode: '134567890123456789' })
    assert.equal(p.respcd, '0000')
    const t = await client.findPayment(p.outTradeNo)
    assert.equal(t.state, 'succeeded')
  })

  it('pending, then waitForPayment', async () => {
    const p = await client.wechatQr({ amount: 1002 })
    const t = await client.waitForPayment(p.outTradeNo, { timeoutMs: 5000, intervalMs: 20, maxIntervalMs: 50 })
    assert.equal(t.state, 'succeeded')
    assert.equal(t.outTradeNo, p.outTradeNo)
  })

  it('waitForPayment gives up with StatusUnknownError carrying outTradeNo', async () => {
    const p = await client.wechatQr({ amount: 400 })
    const e = await rejection(client.waitForPayment(p.outTradeNo, { timeoutMs: 200, intervalMs: 20, maxIntervalMs: 40 }))
    assert.ok(e instanceof StatusUnknownError)
    assert.equal(e.code, 'status_unknown')
    assert.equal(e.outTradeNo, p.outTradeNo)
    assert.equal(e.syssn, p.syssn)
  })

  it('results are plain objects of the documented shape (absent options left out, not undefined)', async () => {
    const p = await client.wechatQr({ amount: 300 })
    assert.equal(Object.getPrototypeOf(p), Object.prototype)
    assert.equal(Object.getPrototypeOf(p.raw), Object.prototype)
    assert.equal(typeof p.txamt, 'number')
    assert.ok(!('payUrl' in p), 'an absent option is left out, as napi objects did')
    assert.equal(await client.findPayment('qfNODENOSUCHORDER0001'), null)
    const t = await client.findPayment(p.outTradeNo)
    assert.equal(typeof t.isPaid, 'boolean')
    assert.equal(typeof t.isRefund, 'boolean')
    assert.ok(!('origssn' in t))
    const page = await client.query({ outTradeNo: p.outTradeNo })
    assert.ok(Array.isArray(page.data))
    assert.equal(typeof page.page, 'number')
  })

  it('declined', async () => {
    const e = await rejection(client.wechatQr({ amount: 1003 }))
    assert.ok(e instanceof DeclinedError)
    assert.ok(e instanceof ApiError)
    assert.ok(e instanceof QfPayError)
    assert.ok(e instanceof Error)
    assert.equal(e.name, 'DeclinedError')
    assert.equal(e.code, 'declined')
    assert.equal(e.respcd, '1201')
    assert.equal(typeof e.resperr, 'string')
    assert.equal(typeof e.respmsg, 'string')
    assert.equal(e.httpStatus, 200)
    assert.match(e.stack, /scenarios\.test\.js/, 'the stack shows the caller')
  })

  it('pending on create ends in StatusUnknownError with outTradeNo', async () => {
    const e = await rejection(client.wechatQr({ amount: 1004, outTradeNo: 'qfNODEPENDING0001' }))
    assert.ok(e instanceof StatusUnknownError, e.message)
    assert.equal(e.outTradeNo, 'qfNODEPENDING0001')
    assert.ok(['1143', '1145'].includes(e.respcd), e.respcd)
  })

  it('server error after the order was created: reconciled by query', async () => {
    const r = await client.wechatQr({ amount: 1006 }).then((p) => p, (e) => e)
    // The MPM order exists but its QR code was lost: status unknown, never a silent retry.
    assert.ok(r instanceof StatusUnknownError, String(r))
    assert.ok(r.outTradeNo)
  })

  it('rate limited', async () => {
    const e = await rejection(client.wechatQr({ amount: 1007 }))
    assert.ok(e instanceof RateLimitedError)
    assert.equal(e.code, 'rate_limited')
    assert.equal(e.retryAfterMs, 1000, 'milliseconds, like every Node duration')
    assert.ok(!('retryAfter' in e))
  })

  it('duplicate out_trade_no', async () => {
    const outTradeNo = qfpay.generateOutTradeNo()
    await client.wechatQr({ amount: 300, outTradeNo })
    const e = await rejection(client.wechatQr({ amount: 300, outTradeNo }))
    assert.ok(e instanceof DuplicateOrderError, e.message)
    assert.equal(e.code, 'duplicate_order')
    assert.ok(e.respcd)
  })

  it('close an unpaid order, then it cannot be paid', async () => {
    const p = await client.wechatQr({ amount: 500 })
    const c = await client.close({ outTradeNo: p.outTradeNo, amount: 500, currency: 'HKD' })
    assert.equal(c.respcd, '0000')
    assert.equal(c.txamt, 500)
    const t = await client.findPayment(p.outTradeNo)
    assert.equal(t.state, 'cancelled')
    const e = await rejection(client.close({ outTradeNo: p.outTradeNo, amount: 500, currency: 'HKD' }))
    assert.ok(e instanceof ApiError, e.message)
  })

  it('reverse', async () => {
    const p = await client.wechatQr({ amount: 600 })
    const c = await client.reverse({ outTradeNo: p.outTradeNo, amount: 600, currency: 'HKD' })
    assert.equal(c.respcd, '0000')
  })

  it('refund more than was paid is refused', async () => {
    const p = await client.createPayment({ amount: 1001, currency: 'HKD', payType: '800201' })
    const e = await rejection(client.refund({ syssn: p.syssn, amount: 5000, currency: 'HKD' }))
    assert.ok(e instanceof ApiError, e.message)
  })

  it('queryPages iterates every page', async () => {
    const outTradeNos = []
    for (let i = 0; i < 5; i++) outTradeNos.push((await client.wechatQr({ amount: 700 + i })).outTradeNo)
    const pages = []
    for await (const page of client.queryPages({ outTradeNo: outTradeNos, pageSize: 2 })) pages.push(page)
    assert.deepEqual(pages.map((p) => p.data.length), [2, 2, 1])
    assert.deepEqual(pages.map((p) => p.page), [1, 2, 3])
    assert.deepEqual(new Set(pages.flatMap((p) => p.data.map((t) => t.outTradeNo))), new Set(outTradeNos))
  })

  describe('bad input never reaches QFPay', () => {
    const cases = [
      ['fractional amount', { amount: 3.5 }, 'txamt'],
      ['amount as a string', { amount: '300' }, 'txamt'],
      ['unsafe integer', { amount: 2 ** 60 }, 'txamt'],
      ['negative amount', { amount: -1 }, 'txamt'],
      ['zero amount', { amount: 0 }, 'txamt'],
      ['unknown currency', { amount: 300, currency: 'XXX' }, 'txcurrcd'],
      ['goods name too long', { amount: 300, goodsName: 'x'.repeat(65) }, 'goods_name'],
      ['expiredTime below 5', { amount: 300, expiredTime: 4 }, 'expired_time'],
      ['snake_case option', { amount: 300, goods_name: 'x' }, 'goods_name'],
      ['rmbTag without CNY', { amount: 300, rmbTag: 'Y' }, 'rmb_tag'],
      ['not an object', 'three dollars', 'request']
    ]
    for (const [name, req, field] of cases) {
      it(name, async () => {
        const before = sandbox.requestCount()
        const e = await rejection(client.wechatQr(req))
        assert.ok(e instanceof ValidationError, `${e}`)
        assert.equal(e.code, 'validation')
        assert.equal(e.field, field)
        assert.ok(e.rule)
        assert.equal(sandbox.requestCount(), before)
      })
    }
    it('authCode on a QR payment, missing payType', async () => {
      // wechatQr takes no authCode (the core's table of its fields): refused by name, before QFPay's rule.
      const qr = await rejection(client.wechatQr({ amount: 300, authCode: '1234' }))
      assert.equal(qr.field, 'authCode')
      assert.match(qr.rule, /is not an option of the payment/)
      assert.equal((await rejection(client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', authCode: '1234' }))).field, 'auth_code')
      assert.equal((await rejection(client.createPayment({ amount: 300, currency: 'HKD' }))).field, 'pay_type')
    })
  })

  describe('notifications', () => {
    let paid
    const body = () => Buffer.from(JSON.stringify({
      notify_type: 'payment', status: '1', syssn: paid.syssn, out_trade_no: paid.outTradeNo, txamt: '300', txcurrcd: 'HKD', pay_type: '800201', respcd: '0000', cancel: '0'
    }))
    before(async () => {
      paid = await client.wechatQr({ amount: 300 })
    })

    it('good signature', () => {
      const raw = body()
      const sig = qfpay.notificationSignature(raw, sandbox.clientKey)
      const n = qfpay.verifyNotification(raw, sig, sandbox.clientKey)
      assert.equal(n.notifyType, 'payment')
      assert.equal(n.isSuccess, true)
      assert.equal(n.outTradeNo, paid.outTradeNo)
      assert.equal(n.txamt, 300)
      assert.equal(n.raw.txamt, '300')
      // a string and a header array work too
      assert.equal(qfpay.verifyNotification(raw.toString('utf8'), [sig.toLowerCase()], sandbox.clientKey).syssn, paid.syssn)
    })

    it('tampered body', () => {
      const raw = body()
      const sig = qfpay.notificationSignature(raw, sandbox.clientKey)
      const tampered = Buffer.from(raw.toString().replace('"300"', '"30000"'))
      assert.throws(() => qfpay.verifyNotification(tampered, sig, sandbox.clientKey), (e) => e instanceof SignatureError && e.code === 'signature')
    })

    it('wrong key', () => {
      const raw = body()
      const sig = qfpay.notificationSignature(raw, 'SOMEONE ELSE')
      assert.throws(() => qfpay.verifyNotification(raw, sig, sandbox.clientKey), SignatureError)
    })

    it('missing header', () => {
      assert.throws(() => qfpay.verifyNotification(body(), undefined, sandbox.clientKey), SignatureError)
    })

    it('a parsed object explains that the raw body is needed', () => {
      const raw = body()
      const sig = qfpay.notificationSignature(raw, sandbox.clientKey)
      assert.throws(() => qfpay.verifyNotification(JSON.parse(raw), sig, sandbox.clientKey), (e) => {
        assert.ok(e instanceof ValidationError)
        assert.equal(e.field, 'rawBody')
        assert.match(e.message, /raw request body/)
        assert.match(e.message, /express\.json\(\)/)
        assert.match(e.message, /express\.raw/)
        return true
      })
    })

    it('the sandbox delivers a signed notification that verifies', async () => {
      const http = require('node:http')
      const received = []
      const server = http.createServer((req, res) => {
        const chunks = []
        req.on('data', (c) => chunks.push(c))
        req.on('end', () => {
          received.push(qfpay.verifyNotification(Buffer.concat(chunks), req.headers['x-qf-sign'], sandbox.clientKey))
          res.end(qfpay.NOTIFICATION_ACK)
        })
      })
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const p = await client.wechatQr({ amount: 1001, notifyUrl: `http://127.0.0.1:${server.address().port}/notify` })
        for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
        assert.equal(received.length, 1)
        assert.equal(received[0].outTradeNo, p.outTradeNo)
        assert.equal(received[0].txamt, 1001)
      } finally {
        server.close()
      }
    })
  })
})

describe('the event loop stays free', () => {
  it('a timer keeps firing while a call is held 0.5 s', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const client = sandbox.client({ maxRetries: 0 })
      await client.query({}) // warm the connection
      sandbox.injectFault({ kind: 'delay', ms: 500, count: 1 })
      let ticks = 0
      const timer = setInterval(() => { ticks++ }, 10)
      const started = process.hrtime.bigint()
      try {
        await client.query({})
      } finally {
        clearInterval(timer)
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      assert.ok(ms >= 450, `the call took ${ms} ms`)
      assert.ok(ticks >= 20, `only ${ticks} ticks in ${ms} ms`)
    } finally {
      await sandbox.stop()
    }
  })

  it('64 calls in flight at once', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const client = sandbox.client()
      const results = await Promise.all(Array.from({ length: 64 }, (_, i) => client.wechatQr({ amount: 100 + i })))
      assert.equal(new Set(results.map((p) => p.outTradeNo)).size, 64)
      assert.equal(sandbox.requestCount(), 64)
    } finally {
      await sandbox.stop()
    }
  })
})

describe('client configuration and errors', () => {
  it('needs credentials', () => {
    assert.throws(() => new Client({ baseUrl: 'http://127.0.0.1:9' }), ConfigError)
    assert.throws(() => new Client({ appCode: 'A', clientKey: 'K', environment: 'mars' }), (e) => e instanceof ConfigError && e.code === 'config')
    // An unknown option is a ValidationError naming it as written, as in every options object.
    assert.throws(() => new Client({ appCode: 'A', clientKey: 'K', timeOut: 5 }), (e) => e instanceof ValidationError && e.field === 'timeOut')
  })

  it('fromEnv reads QFPAY_* and takes overrides', () => {
    const saved = { ...process.env }
    try {
      process.env.QFPAY_APP_CODE = 'ENVAPP'
      process.env.QFPAY_CLIENT_KEY = 'ENVKEY'
      process.env.QFPAY_BASE_URL = 'http://127.0.0.1:9'
      const c = Client.fromEnv()
      assert.equal(c.baseUrl, 'http://127.0.0.1:9')
      assert.equal(Client.fromEnv({ baseUrl: 'http://127.0.0.1:10' }).baseUrl, 'http://127.0.0.1:10')
      assert.match(c.userAgent, /^qfpay-node\/\d+\.\d+\.\d+/)
    } finally {
      for (const k of ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY', 'QFPAY_BASE_URL']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
    }
  })

  it('network errors say whether the request was sent', async () => {
    const c = new Client({ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 })
    const e = await rejection(c.query({}))
    assert.ok(e instanceof NetworkError)
    assert.equal(e.sent, false)
  })

  it('per-call timeout on a query', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const c = sandbox.client({ maxRetries: 0 })
      sandbox.injectFault({ kind: 'delay', ms: 1000, count: 1 })
      const e = await rejection(c.query({}, { timeoutMs: 100 }))
      assert.ok(e instanceof RequestTimeoutError || e instanceof NetworkError, `${e}`)
    } finally {
      await sandbox.stop()
    }
  })

  it('HTTP 503 on a query is a ServerError', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const c = sandbox.client({ maxRetries: 0 })
      sandbox.injectFault({ kind: 'http_status', status: 503, count: 1 })
      const e = await rejection(c.query({}))
      assert.ok(e instanceof ServerError, `${e}`)
      assert.equal(e.httpStatus, 503)
    } finally {
      await sandbox.stop()
    }
  })

  it('sandbox control errors', async () => {
    const sandbox = await Sandbox.start()
    try {
      assert.throws(() => sandbox.pay('nope'), QfPayError)
      assert.throws(() => sandbox.injectFault({ kind: 'gremlins' }), ValidationError)
      assert.ok(OrderStateError.prototype instanceof ApiError)
    } finally {
      await sandbox.stop()
    }
    assert.throws(() => sandbox.requestCount(), ConfigError)
  })
})

describe('signing and QR helpers', () => {
  it('sign matches the seed\'s crypto code', () => {
    const crypto = require('node:crypto')
    const payload = { txamt: '10', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: '123456', txdtm: '2020-04-10 11:45:44', mchid: 'ZaMVg*****' }
    const s = Object.keys(payload).sort().map((k) => `${k}=${payload[k]}`).join('&')
    assert.equal(qfpay.stringToSign(payload), s)
    assert.equal(qfpay.sign(payload, 'KEY'), crypto.createHash('md5').update(s + 'KEY').digest('hex').toUpperCase())
    assert.equal(qfpay.sign(payload, 'KEY', 'sha256'), crypto.createHash('sha256').update(s + 'KEY').digest('hex').toUpperCase())
    assert.equal(qfpay.debugStringToSign(payload), s + '<client_key>')
  })

  it('renders QR codes', () => {
    const content = 'weixin://wxpay/bizpayurl?pr=4PsXP5N'
    assert.match(qfpay.qr.svg(content), /<svg/)
    const png = qfpay.qr.png(content, 4)
    assert.ok(Buffer.isBuffer(png))
    assert.equal(png.subarray(1, 4).toString(), 'PNG')
    assert.match(qfpay.qr.dataUrl(content), /^data:image\/png;base64,/)
    assert.ok(qfpay.qr.terminal(content).length > 100)
    assert.throws(() => qfpay.qr.svg(''), ValidationError)
  })
})
