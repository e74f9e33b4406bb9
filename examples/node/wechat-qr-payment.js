// QFPay's Node sample (WeChat QR payment, pay_type 800201) rewritten on the SDK.
//
// The seed sample builds the timestamp, sorts and signs the parameters with `crypto`, and
// posts them with `request`. Here the SDK does all of that (plus validation, retries that
// never double a payment, and status-unknown reconciliation), and the amount is an integer
// number of cents.
//
//   QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=... [QFPAY_MCHID=...] [QFPAY_ENV=live_test|production|<url>] \
//     node wechat-qr-payment.js [amount-in-cents]
'use strict'
const { Client, QfPayError, StatusUnknownError, qr } = require('qfpay')

async function main () {
  const client = Client.fromEnv() // QFPAY_APP_CODE, QFPAY_CLIENT_KEY, QFPAY_MCHID, QFPAY_ENV / QFPAY_BASE_URL
  const amount = Number(process.argv[2] || 10) // cents: 10 is HK$0.10 (QFPay suggests > 200 to avoid risk control)

  const payment = await client.wechatQr({ amount, currency: 'HKD', goodsName: 'Demo order' })
  console.log(`out_trade_no: ${payment.outTradeNo}`)
  console.log(`syssn: ${payment.syssn}`)
  console.log(`qrcode: ${payment.qrcode}`)
  console.log(qr.terminal(payment.qrcode))
  console.log('Scan the code with WeChat; waiting for the payment...')

  const paid = await client.waitForPayment(payment.outTradeNo, { timeoutMs: 120_000 })
  console.log(`paid: ${paid.state} ${paid.txamt} ${paid.txcurrcd} (syssn ${paid.syssn})`)
}

main().catch((e) => {
  if (e instanceof StatusUnknownError) {
    // Never pay again under a new number: query this one later or wait for the notification.
    console.error(`outcome unknown for ${e.outTradeNo}: ${e.message}`)
  } else if (e instanceof QfPayError) {
    console.error(`${e.name} [${e.code}]${e.respcd ? ` respcd ${e.respcd}` : ''}: ${e.message}`)
  } else {
    console.error(e)
  }
  process.exitCode = 1
})
