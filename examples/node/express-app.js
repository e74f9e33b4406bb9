// An Express app doing the whole QFPay flow: create a WeChat QR payment, receive the signed
// notification, and look the order up. Run: QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=...
// [QFPAY_BASE_URL=...] PORT=8080 node express-app.js
//
// - POST /orders {amount}            → creates the payment; the order number is generated and
//   stored BEFORE the call ("generate, store, then call"), and the call is aborted if the
//   browser disconnects (the stored number still finds the order later).
// - POST /qfpay/notify                → verifies X-QF-SIGN over the RAW body (express.raw, never
//   express.json), answers 200 SUCCESS, or 401 for a bad/missing signature.
// - GET  /orders/:outTradeNo          → the order's state from QFPay; GET /orders the local store.
'use strict'
const express = require('express')
const { Client, generateOutTradeNo, verifyNotification, NOTIFICATION_ACK, SignatureError, StatusUnknownError, QfPayError } = require('qfpay')

/** The app; `orders` is the merchant's store (a Map here, a database in real life). */
function createApp ({ client, clientKey, orders = new Map() }) {
  const app = express()

  app.post('/qfpay/notify', express.raw({ type: '*/*', limit: '64kb' }), (req, res) => {
    let n
    try {
      n = verifyNotification(req.body, req.get('X-QF-SIGN'), clientKey)
    } catch (e) {
      // Not QFPay, or not your key: refuse, and do not trust the body.
      return res.status(e instanceof SignatureError ? 401 : 400).type('text/plain').send(e.code || 'error')
    }
    const order = orders.get(n.outTradeNo)
    if (order && n.notifyType === 'payment' && n.isSuccess) order.state = 'paid' // idempotent: QFPay may resend
    res.type('text/plain').send(NOTIFICATION_ACK)
  })

  app.post('/orders', express.json(), async (req, res) => {
    const amount = Number(req.body?.amount)
    const outTradeNo = generateOutTradeNo()
    orders.set(outTradeNo, { amount, state: 'created' }) // stored before anything is sent
    const abort = new AbortController()
    res.on('close', () => { if (!res.writableFinished) abort.abort() }) // the client went away
    try {
      const p = await client.wechatQr({ amount, outTradeNo, goodsName: 'Express demo', notifyUrl: req.body?.notifyUrl }, { signal: abort.signal })
      orders.get(outTradeNo).state = 'pending'
      res.status(201).json({ outTradeNo, qrcode: p.qrcode })
    } catch (e) {
      if (e.name === 'AbortError') {
        orders.get(outTradeNo).state = 'unknown' // query it later by outTradeNo
        return
      }
      if (e instanceof StatusUnknownError) {
        orders.get(outTradeNo).state = 'unknown'
        return res.status(202).json({ outTradeNo, state: 'unknown' })
      }
      orders.delete(outTradeNo)
      res.status(e instanceof QfPayError && e.code === 'validation' ? 400 : 502).json({ error: e.code || 'error', message: e.message })
    }
  })

  app.get('/orders', (_req, res) => res.json(Object.fromEntries(orders)))

  app.get('/orders/:outTradeNo', async (req, res) => {
    const t = await client.findPayment(req.params.outTradeNo).catch((e) => e)
    if (t instanceof Error) return res.status(502).json({ error: t.code })
    if (t === null) return res.status(404).json({ error: 'not_found' })
    res.json({ outTradeNo: t.outTradeNo, state: t.state, txamt: t.txamt, local: orders.get(t.outTradeNo)?.state })
  })

  return app
}

module.exports = { createApp }

if (require.main === module) {
  const client = Client.fromEnv()
  const server = createApp({ client, clientKey: process.env.QFPAY_CLIENT_KEY }).listen(Number(process.env.PORT || 8080), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address()
    console.log(`listening on http://${address}:${port}`)
  })
}
