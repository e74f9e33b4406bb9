// A QFPay notification receiver on Node's plain `http` module.
//
// QFPay POSTs a JSON body signed in `X-QF-SIGN` (MD5 of the exact body bytes + client key).
// Verify the RAW bytes — a body parsed by express.json() and serialised again no longer
// matches — then answer HTTP 200 `SUCCESS`, or QFPay sends it again.
//
// With Express, the same route is:
//   app.post('/qfpay/notify', express.raw({ type: '*/*' }), (req, res) => {
//     const n = verifyNotification(req.body, req.get('X-QF-SIGN'), process.env.QFPAY_CLIENT_KEY)
//     ...; res.send(NOTIFICATION_ACK)
//   })
//
//   QFPAY_CLIENT_KEY=... PORT=8080 node notification-receiver.js
'use strict'
const http = require('node:http')
const { verifyNotification, NOTIFICATION_ACK, SignatureError, QfPayError } = require('qfpay')

const MAX_BODY = 64 * 1024

/** An http.Server that verifies notifications and calls `onNotification(n)` for each valid one. */
function createReceiver (clientKey, onNotification) {
  return http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end()
      return
    }
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY) req.destroy()
      else chunks.push(chunk)
    })
    req.on('end', async () => {
      let notification
      try {
        notification = verifyNotification(Buffer.concat(chunks), req.headers['x-qf-sign'], clientKey)
      } catch (e) {
        // A bad signature is not QFPay (or not your key): refuse, and do not trust the body.
        const status = e instanceof SignatureError ? 401 : 400
        res.writeHead(status, { 'content-type': 'text/plain' }).end(e instanceof QfPayError ? e.code : 'error')
        return
      }
      try {
        // Handle it idempotently: QFPay may deliver the same notification more than once.
        await onNotification(notification)
        res.writeHead(200, { 'content-type': 'text/plain' }).end(NOTIFICATION_ACK)
      } catch (e) {
        console.error('could not handle the notification; QFPay will retry', e)
        res.writeHead(500).end()
      }
    })
  })
}

module.exports = { createReceiver }

if (require.main === module) {
  const clientKey = process.env.QFPAY_CLIENT_KEY
  if (!clientKey) {
    console.error('set QFPAY_CLIENT_KEY')
    process.exit(1)
  }
  const server = createReceiver(clientKey, (n) => {
    console.log(`notification: ${n.notifyType} ${n.outTradeNo} ${n.txamt} ${n.txcurrcd} success=${n.isSuccess}`)
  })
  server.listen(Number(process.env.PORT || 8080), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address()
    console.log(`listening on http://${address}:${port}`)
  })
}
