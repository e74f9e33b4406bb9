// A QFPay notification receiver on Fastify. Fastify parses JSON bodies by default; the
// signature covers the exact bytes, so this route's content-type parser keeps the raw Buffer.
//
//   QFPAY_CLIENT_KEY=... PORT=8080 node fastify-receiver.js
'use strict'
const Fastify = require('fastify')
const { verifyNotification, NOTIFICATION_ACK, SignatureError } = require('qfpay')

/** A Fastify instance with POST /qfpay/notify; `onNotification(n)` runs for each valid one. */
function createReceiver (clientKey, onNotification) {
  const app = Fastify({ bodyLimit: 64 * 1024 })
  app.register(async (scope) => {
    // Only inside this scope: every content type arrives as the raw Buffer.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    scope.post('/qfpay/notify', async (req, reply) => {
      let n
      try {
        n = verifyNotification(req.body ?? '', req.headers['x-qf-sign'], clientKey)
      } catch (e) {
        return reply.code(e instanceof SignatureError ? 401 : 400).type('text/plain').send(e.code || 'error')
      }
      await onNotification(n) // idempotently: QFPay may resend; a throw answers 500 and QFPay retries
      return reply.type('text/plain').send(NOTIFICATION_ACK)
    })
  })
  return app
}

module.exports = { createReceiver }

if (require.main === module) {
  const app = createReceiver(process.env.QFPAY_CLIENT_KEY, (n) => {
    console.log(`notification: ${n.notifyType} ${n.outTradeNo} ${n.txamt} ${n.txcurrcd} success=${n.isSuccess}`)
  })
  app.listen({ port: Number(process.env.PORT || 8080), host: process.env.HOST || '127.0.0.1' }).then((address) => {
    console.log(`listening on ${address}`)
  })
}
