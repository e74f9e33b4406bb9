// Generates checkout.json independently of the Rust code, with the algorithm of QFPay's
// published checkout boilerplate (QFPay/docs static/files/qfpay_online_checkout.html):
// paramStringify(obj) sorts the keys, drops empty values, joins `k=v` with `&` over raw values;
// the signature is sha256 (or md5) of that string followed by the key, lowercase hex; the link
// is `<base>/checkstand/#/?` + paramStringify(obj, true) (values through encodeURIComponent)
// + `&sign=`. Run: node tests/vectors/gen/make_checkout.mjs
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(dirname(fileURLToPath(import.meta.url)))

function paramStringify(json, flag) {
  let str = ''
  Object.keys(json).sort().forEach((val) => {
    if (!json[val]) return
    str += `${val}=${flag ? encodeURIComponent(json[val]) : json[val]}&`
  })
  return str.slice(0, -1)
}

const hash = (algo, text) => createHash(algo).update(text, 'utf8').digest('hex')

const APP = 'CC6FB660837E49F7A675D2A1B2C3D4E5'
const KEY = 'B3D4CCFD4AB049DCA82C25F6E7D8C9B0'
const BASE = 'https://test-openapi-hk.qfapi.com'

// `request` uses the SDK's canonical names (checkout_url's arguments and options); `params`
// is what the boilerplate signs (QFPay's names), built from it here.
const signCases = [
  {
    name: 'boilerplate example, sha256',
    sign_type: 'sha256',
    request: {
      amount: 1, currency: 'HKD', return_url: 'https://www.baidu.com', failed_url: 'https://www.baidu.com',
      notify_url: 'https://www.baidu.com', out_trade_no: '13322916216626239614', txdtm: '2020-06-28 18:33:20',
      goods_name: 'remotfpay_checkout_names', paysource: 'remotepay_checkout',
    },
  },
  {
    name: 'return_url with its own query, md5, default paysource',
    sign_type: 'md5',
    request: {
      amount: 12345, currency: 'HKD', return_url: 'https://shop.example/back?shopId=2&k=a b+c&lang=zh-HK',
      failed_url: 'https://shop.example/failed?o=ORD-7', notify_url: 'https://shop.example/qfpay/notify',
      out_trade_no: 'ORD-7', txdtm: '2026-12-07 10:00:00', lang: 'zh-hk', cancel_url: 'https://shop.example/cart',
    },
  },
  {
    name: 'every optional field, unicode goods',
    sign_type: 'sha256',
    request: {
      amount: 8800, currency: 'CNY', return_url: 'https://shop.example/ok', failed_url: 'https://shop.example/ko',
      notify_url: 'https://shop.example/n', out_trade_no: 'qfCHECKOUT0003', txdtm: '2026-12-07 23:59:59',
      goods_name: '咖啡 & 蛋糕', mchntid: 'MCH0001', udid: 'web-01', expired_time: 30,
      checkout_expired_time: 12, limit_pay: 'no_credit', lang: 'en', paysource: 'magento_checkout',
    },
  },
]

function params(req, signType) {
  const p = {
    appcode: APP, sign_type: signType, paysource: req.paysource || 'remotepay_checkout',
    txamt: String(req.amount), txcurrcd: req.currency,
  }
  for (const [k, v] of Object.entries(req)) {
    if (['amount', 'currency', 'paysource'].includes(k)) continue
    p[k] = String(v)
  }
  return p
}

const cases = signCases.map((c) => {
  const p = params(c.request, c.sign_type)
  const unsigned = paramStringify(p)
  const sign = hash(c.sign_type === 'md5' ? 'md5' : 'sha256', unsigned + KEY)
  const url = `${BASE}/checkstand/#/?${paramStringify(p, true)}&sign=${sign}`
  return { name: c.name, kind: 'sign', app_code: APP, key: KEY, base_url: BASE, sign_type: c.sign_type, request: c.request, string_to_sign: unsigned, sign, url }
})

// Links to verify with KEY: what a support desk or a merchant's test meets.
const good = cases[1]
const p1 = params(good.request, 'md5')
const encodedSigned = (() => {
  const enc = {}
  for (const [k, v] of Object.entries(p1)) enc[k] = encodeURIComponent(v)
  const sign = hash('md5', paramStringify(enc) + KEY)
  return `${BASE}/checkstand/#/?${paramStringify(p1, true)}&sign=${sign}`
})()
const rawInLink = `${BASE}/checkstand/#/?${paramStringify(p1)}&sign=${good.sign}`
const tampered = good.url.replace('txamt=12345', 'txamt=1')
const otherKey = (() => {
  const sign = hash('md5', paramStringify(p1) + 'ANOTHERKEY000000000000000000000')
  return `${BASE}/checkstand/#/?${paramStringify(p1, true)}&sign=${sign}`
})()
const upperHex = good.url.replace(good.sign, good.sign.toUpperCase())
const verify = [
  { name: 'a good link', url: good.url, valid: true },
  { name: 'uppercase hex verifies too', url: upperHex, valid: true },
  { name: 'signed over encoded values', url: encodedSigned, valid: false, reason: 'encoded' },
  { name: 'raw values in the link', url: rawInLink, valid: false, reason: 'percent-encoding' },
  { name: 'amount changed after signing', url: tampered, valid: false },
  { name: 'another key', url: otherKey, valid: false },
].map((v) => ({ kind: 'verify', key: KEY, app_code: APP, base_url: BASE, ...v }))

const out = {
  description: "Hosted checkout links (QFPay's checkstand): `sign` cases build a link with checkout_url (client with app_code, key, sign_type and base_url; request by the SDK's canonical names) and must give exactly `url` (whose signature is `sign`, over `string_to_sign` + key); `verify` cases read `url` back with verify_checkout_url under `key`: valid, or a signature error whose message contains `reason` when given. Computed with the algorithm of QFPay's checkout boilerplate by tests/vectors/gen/make_checkout.mjs.",
  cases: [...cases, ...verify],
}
writeFileSync(join(here, 'checkout.json'), JSON.stringify(out, null, 2) + '\n')
console.log(`wrote checkout.json: ${out.cases.length} cases`)
