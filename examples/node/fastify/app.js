// A WeChat Pay QR checkout on Fastify: create → QR → notification → confirm by query → refund / close;
// and QFPay's hosted checkout: a signed link → QFPay's page → notification → the result page.
import Fastify from 'fastify'
import { Client, generateOutTradeNo, qr, verifyNotification, NOTIFICATION_ACK, QfPayError, SignatureError, StatusUnknownError } from 'qfpay'

const client = Client.fromEnv()                // QFPAY_APP_CODE, QFPAY_CLIENT_KEY, QFPAY_ENV or QFPAY_BASE_URL
const clientKey = process.env.QFPAY_CLIENT_KEY  // verifies notifications
const orders = new Map()                        // your database: outTradeNo → { amount, state, syssn }
const app = Fastify({ bodyLimit: 64 * 1024 })

// 1. Create: generate and store the order number, then call (an outcome-unknown call is then findable).
app.post('/orders', async (req, reply) => {
  const amount = Number(req.body?.amount)       // minor units: 300 is HK$3.00
  const outTradeNo = generateOutTradeNo()
  orders.set(outTradeNo, { amount, state: 'created' })
  const abort = new AbortController()           // the browser went away: drop the call
  reply.raw.on('close', () => { if (!reply.raw.writableFinished) abort.abort() })
  const notifyUrl = `${publicUrl()}/qfpay/notify` // where QFPay posts this order's notifications
  const p = await client.wechatQr({ amount, currency: 'HKD', goodsName: 'Coffee', outTradeNo, notifyUrl }, { signal: abort.signal })
  Object.assign(orders.get(outTradeNo), { state: 'pending', qrcode: p.qrcode })
  return reply.code(201).send({ outTradeNo, qrcode: p.qrcode, qr: `/orders/${outTradeNo}/qr.svg` })
})

// 2. Show the QR for the customer to scan.
app.get('/orders/:id/qr.svg', async (req, reply) => {
  const order = orders.get(req.params.id)
  if (order?.state !== 'pending') return reply.code(404).send()
  return reply.type('image/svg+xml').send(qr.svg(order.qrcode))
})

// 3. The notification: verify the RAW body, confirm by query, answer SUCCESS. Fastify parses
// JSON by default; inside this scope every content type arrives as the raw Buffer instead.
app.register(async (scope) => {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  scope.post('/qfpay/notify', async (req, reply) => {
    let n
    try {
      n = verifyNotification(req.body ?? '', req.headers['x-qf-sign'], clientKey)
    } catch (e) {
      return reply.code(e instanceof SignatureError ? 401 : 400).type('text/plain').send(e.code ?? 'bad request')
    }
    const order = orders.get(n.outTradeNo)
    if (order && n.notifyType === 'payment') {
      const t = await client.findPayment(n.outTradeNo) // never trust the notification alone
      if (t?.isPaid && t.txamt === order.amount && order.state !== 'refunded') Object.assign(order, { state: 'paid', syssn: t.syssn })
    }
    return reply.type('text/plain').send(NOTIFICATION_ACK) // idempotent: QFPay resends until it reads SUCCESS
  })
})

// Hosted checkout: store the order, build the signed link (at once: nothing is sent), send the
// customer to QFPay's page. The notification route above confirms it; the customer comes back
// to the result page, which asks QFPay (never the redirect's parameters).
app.post('/checkout', async (req, reply) => {
  const amount = Number(req.body?.amount)       // minor units
  const outTradeNo = generateOutTradeNo()
  orders.set(outTradeNo, { amount, state: 'pending' })
  const result = `${publicUrl()}/checkout/result?order=${outTradeNo}`
  const link = client.checkoutUrl({
    amount, currency: 'HKD', outTradeNo, goodsName: 'Coffee beans',
    returnUrl: result, failedUrl: result, notifyUrl: `${publicUrl()}/qfpay/notify`
  })
  return reply.redirect(link.url, 303)
})
app.get('/checkout/result', async (req, reply) => {
  const outTradeNo = String(req.query.order ?? '')
  const order = orders.get(outTradeNo)
  if (!order) return reply.code(404).type('text/plain').send('no such order')
  const t = await client.findPayment(outTradeNo)
  if (t?.isPaid && t.txamt === order.amount && order.state === 'pending') Object.assign(order, { state: 'paid', syssn: t.syssn })
  const said = order.state === 'paid' ? 'Paid: thank you!' : `Not paid (${t?.state ?? 'not started'}).`
  return reply.type('text/html').send(`<!doctype html><title>Your order</title><h1>Order ${outTradeNo}</h1><p id="state" data-state="${order.state}">${said}</p>`)
})

app.get('/orders/:id', async (req, reply) => {
  const order = orders.get(req.params.id)
  return order ? { outTradeNo: req.params.id, ...order } : reply.code(404).send({ error: 'not_found' })
})

// 4. Refund a paid order; close an unpaid one.
app.post('/orders/:id/refund', async (req, reply) => {
  const order = orders.get(req.params.id)
  if (order?.state !== 'paid') return reply.code(409).send({ error: 'not_paid' })
  const r = await client.refund({ syssn: order.syssn, amount: order.amount, currency: 'HKD' })
  order.state = 'refunded'
  return { outTradeNo: req.params.id, refundSyssn: r.syssn, state: order.state }
})
app.post('/orders/:id/close', async (req, reply) => {
  const order = orders.get(req.params.id)
  if (order?.state !== 'pending') return reply.code(409).send({ error: 'not_pending' })
  await client.close({ outTradeNo: req.params.id, amount: order.amount, currency: 'HKD' })
  order.state = 'closed'
  return { outTradeNo: req.params.id, state: order.state }
})

// Errors: a bad amount is 400; an unknown outcome keeps the order to query later; QFPay's refusals are 502.
app.setErrorHandler(async (e, req, reply) => {
  const order = orders.get(e.outTradeNo)
  const unknown = e instanceof StatusUnknownError || e.name === 'AbortError' // it may exist: query it later
  if (order?.state === 'created') order.state = unknown ? 'unknown' : 'failed'
  if (unknown) return reply.code(202).send({ outTradeNo: e.outTradeNo, state: 'unknown' })
  if (!(e instanceof QfPayError)) return reply.code(e.statusCode ?? 500).send({ error: e.code ?? 'internal' })
  return reply.code(e.code === 'validation' ? 400 : 502).send({ error: e.code, message: e.message })
})

const publicUrl = () => process.env.PUBLIC_URL ?? `http://127.0.0.1:${app.server.address().port}`
const address = await app.listen({ port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? '127.0.0.1' })
console.log(`listening on ${address}`)
