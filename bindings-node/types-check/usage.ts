// Type-checked with `tsc --strict --noEmit` by test.sh: the public surface as a TypeScript
// user sees it.
import {
  Client, Sandbox, QfPayError, ValidationError, StatusUnknownError, DeclinedError, ApiError,
  verifyNotification, sign, qr, NOTIFICATION_ACK, SANDBOX_APP_CODE, SANDBOX_CLIENT_KEY,
  generateOutTradeNo, DuplicateOrderError, ConfigError,
  type Payment, type Transaction, type Notification, type QueryPage, type ErrorCode,
  type QfPayEvent, type EventKind, type TransactionState, type Currency, type SandboxOrder,
  type CheckoutLink, type WechatPayParams, type WechatAppParams, type AlipayPayParams, SignatureError,
  RefundRejectedError, type ReconcileReport, type Discrepancy, type DiscrepancyKind, type LedgerEntry,
  type TradeBill, type Settlement, type Transactions
} from 'qfpay'
import { createServer } from 'node:http'

async function main (): Promise<void> {
  const sandbox = await Sandbox.start({ rateLimit: false, merchants: [{ appCode: 'APP', clientKey: 'KEY', mchid: 'M1' }] })
  const client: Client = sandbox.client({ maxRetries: 1 })
  const env: Client = Client.fromEnv({ baseUrl: sandbox.baseUrl })
  void env

  const payment: Payment = await client.wechatQr({ amount: 300, goodsName: 'Coffee' })
  const qrText: string | undefined = payment.qrcode
  const cents: number = payment.txamt
  const svg: string = qr.svg(qrText ?? '')
  const png: Buffer = qr.png(qrText ?? '', 4)
  void cents; void svg; void png

  await client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', expiredTime: 10 }, { timeoutMs: 5000 })
  sandbox.pay(payment.outTradeNo)
  const paid: Transaction = await client.waitForPayment(payment.outTradeNo, { timeoutMs: 10_000, intervalMs: 200 })
  if (paid.state === 'succeeded') {
    await client.refund({ syssn: paid.syssn, amount: 100, currency: 'HKD' })
  }
  const found: Transaction | null = await client.findPayment(payment.outTradeNo)
  void found
  const page: QueryPage = await client.query({ outTradeNo: [payment.outTradeNo], pageSize: 10 })
  for (const t of page.data) console.log(t.state, t.raw['txamt'])
  for await (const p of client.queryPages({ pageSize: 100 })) console.log(p.page, p.data.length)
  await client.close({ outTradeNo: payment.outTradeNo, amount: 300, currency: 'HKD' }).catch(() => undefined)
  await client.reverse({ syssn: payment.syssn, amount: 300, currency: 'HKD' }).catch(() => undefined)

  // Online payments: the local operations return at once (no Promise).
  const link: CheckoutLink = client.checkoutUrl({
    amount: 1250, currency: 'HKD', returnUrl: 'https://shop.example/paid', failedUrl: 'https://shop.example/failed',
    notifyUrl: 'https://shop.example/notify', goodsName: 'Tea', checkoutExpiredTime: 15
  })
  const linkUrl: string = link.url
  const back: CheckoutLink = client.verifyCheckoutUrl(linkUrl)
  const linkParams: Record<string, unknown> = back.params
  void linkParams
  const oauth: string = client.wechatOauthUrl('https://shop.example/wechat')
  const oauthAgent: string = client.wechatOauthUrl({ redirectUri: 'https://shop.example/wechat', mchid: 'M1' })
  void oauth; void oauthAgent
  const openid: string = await client.getWechatOpenid('code', { timeoutMs: 5000 })
  const jsapi: Payment = await client.createPayment({ amount: 880, currency: 'HKD', payType: '800207', subOpenid: openid, extraParams: { new_field: 'v' } })
  const wx: WechatPayParams | undefined = jsapi.wechatPayParams
  const prepay: string | undefined = wx?.package
  void prepay
  if (wx) {
    const cashier: string = client.cashierUrl({ amount: 880, currency: 'HKD', payParams: wx.raw, mchntnm: 'Tea House', redirectUrl: 'https://shop.example/done' })
    void cashier
  }
  const app: WechatAppParams | undefined = jsapi.wechatAppParams
  const alipay: AlipayPayParams | undefined = jsapi.alipayPayParams
  const webUrl: string | undefined = jsapi.webUrl
  void app; void alipay; void webUrl
  try {
    client.verifyCheckoutUrl(linkUrl + 'x')
  } catch (e) {
    if (e instanceof SignatureError) console.log(e.message)
  }

  try {
    await client.wechatQr({ amount: 1003 })
  } catch (e) {
    if (e instanceof StatusUnknownError) {
      const again: string = e.outTradeNo
      void again
    } else if (e instanceof ValidationError) {
      const field: string = e.field
      void field
    } else if (e instanceof ConfigError) {
      const option: string | undefined = e.field
      void option
    } else if (e instanceof DeclinedError || e instanceof ApiError) {
      const code: string | undefined = e.respcd
      void code
    } else if (e instanceof QfPayError) {
      const code: ErrorCode = e.code
      void code
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        const n: Notification = verifyNotification(Buffer.concat(chunks), req.headers['x-qf-sign'], sandbox.clientKey)
        console.log(n.outTradeNo, n.txamt, n.isSuccess)
        res.end(NOTIFICATION_ACK)
      } catch {
        res.statusCode = 400
        res.end()
      }
    })
  })
  server.close()
  // Cancelling, events, items, the existing transaction of a duplicate.
  const outTradeNo: string = generateOutTradeNo()
  const controller = new AbortController()
  await client.wechatQr({ amount: 300, outTradeNo }, { signal: controller.signal, timeoutMs: 5000 })
  const logged: Client = sandbox.client({ logger: console, logLevel: 'debug' })
  logged.on('retry', (e: QfPayEvent) => console.log(e.endpoint, e.attempt, e.outTradeNo, e.elapsedMs, e.decision))
  const kind: EventKind = 'status_unknown'
  logged.on(kind, (e) => console.warn(e.reason, e.httpStatus, e.respcd)).off(kind, () => undefined)
  for await (const t of client.queryItems({ outTradeNo: [outTradeNo] })) console.log(t.isPaid, t.txcurrcd)
  for await (const t of client.queryPages({ pageSize: 10 }).items()) console.log(t.state)
  try {
    await client.wechatQr({ amount: 300, outTradeNo })
  } catch (e) {
    if (e instanceof DuplicateOrderError && e.existing) {
      const state: TransactionState = e.existing.state
      const currency: Currency = e.existing.txcurrcd
      void state; void currency
    }
    if (e instanceof QfPayError) console.log(e.outTradeNo, e.syssn)
  }
  const orders: SandboxOrder[] = sandbox.orders()
  for (const o of orders) console.log(o.outTradeNo, o.txamt, o.state)
  sandbox.advanceClock(60)
  const ack: string = NOTIFICATION_ACK + SANDBOX_APP_CODE + SANDBOX_CLIENT_KEY
  void ack

  // Reconciliation: the item iterator, the report, the trade bill's Buffer, settlements, 1269.
  const period: Transactions = client.transactions({ startTime: '2026-01-01 00:00:00', endTime: '2026-03-31 23:59:59', minIntervalMs: 0, payType: ['800201'] })
  for await (const t of period) console.log(t.syssn, t.origssn, t.otherPayments.length)
  const ledger: LedgerEntry[] = [{ outTradeNo: 'ORDER-1', amount: 300, currency: 'HKD', state: 'refunded', refunded: 300 }]
  const report: ReconcileReport = await client.reconcile({ ledger, startTime: '2026-03-01 00:00:00', endTime: '2026-03-31 23:59:59', pendingAfterMs: 60_000 })
  const fromCsv: ReconcileReport = await client.reconcile({ ledger: 'out_trade_no,amount,currency\nORDER-1,300,HKD\n', startTime: '2026-03-01 00:00:00', endTime: '2026-03-31 23:59:59' })
  const first: Discrepancy | undefined = report.discrepancies[0]
  const k: DiscrepancyKind | undefined = first?.kind
  const amounts: [number | undefined, number | undefined] = [first?.ledgerAmount, first?.qfpayAmount]
  console.log(k, amounts, report.clean, report.csv, report.netCsv, fromCsv.json, report.net[0]?.net)
  const bill: TradeBill = await client.downloadTradeBill('2026-03-31')
  const zip: Buffer = bill.content
  console.log(zip.length, bill.entries.map((e) => e.compressedSize))
  const settled: Settlement[] = (await client.settlements({ dateStart: '20260301', dateEnd: '20260331', paymethod: 'wechat' })).data
  console.log(settled.map((s) => s.settlementAmt))
  try {
    await client.refund({ syssn: payment.syssn, amount: 100, currency: 'HKD' })
  } catch (e) {
    if (e instanceof RefundRejectedError) {
      const available: number | undefined = e.available
      void available
    }
  }

  const signature: string = sign({ txamt: '300', txcurrcd: 'HKD' }, sandbox.clientKey, 'sha256')
  void signature
  await sandbox.stop()
}

void main()
