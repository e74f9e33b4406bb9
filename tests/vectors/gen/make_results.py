"""Generates results.json: raw QFPay answers and what every binding's typed result must say of
them, computed values included (state, is_paid, is_refund, is_success, the kind of a
notification, the existing order of a duplicate, a reconciliation's report). The expectations are written from the rules
in docs and core (`state_of`: respcd + cancel; is_paid: the money was taken, possibly refunded
since; is_refund: order_type refund), not from running the code.
Run: python3 tests/vectors/gen/make_results.py
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "0E32A59A8B454940A2FF39SECRETKEY1"

BASE = {
    "syssn": "20261201000300020000000001",
    "out_trade_no": "qfRESULT0001",
    "order_type": "payment",
    "origssn": None,
    "pay_type": "800201",
    "txamt": "300",
    "txcurrcd": "HKD",
    "txdtm": "2026-12-01 10:00:00",
    "sysdtm": "2026-12-01 10:00:01",
    "paydtm": "2026-12-01 10:00:09",
    "respcd": "0000",
    "errmsg": "交易成功",
    "cancel": "0",
    "goods_name": "Coffee",
    "chnlsn": "4200000384201912011234567890",
}


def record(**changes):
    r = dict(BASE)
    r.update(changes)
    return r


def expect_of(r, state, is_paid, is_refund):
    """Every typed field of a transaction, from its record."""
    return {
        "syssn": r["syssn"],
        "out_trade_no": r["out_trade_no"],
        "order_type": r.get("order_type") or "payment",
        "origssn": r.get("origssn"),
        "pay_type": r["pay_type"],
        "txamt": int(r["txamt"]),
        "txcurrcd": r["txcurrcd"],
        "txdtm": r["txdtm"],
        "sysdtm": r["sysdtm"],
        "paydtm": r["paydtm"],
        "respcd": r["respcd"],
        "errmsg": r["errmsg"],
        "cancel": r["cancel"],
        "goods_name": r.get("goods_name", ""),
        "chnlsn": r.get("chnlsn", ""),
        "state": state,
        "is_paid": is_paid,
        "is_refund": is_refund,
    }


def query_answer(records):
    return json.dumps({"respcd": "0000", "resperr": "请求成功", "respmsg": "", "page": 1,
                       "page_size": "10", "data": records}, ensure_ascii=False,
                      separators=(",", ":"))


cases = []


def transaction(name, r, state, is_paid, is_refund):
    cases.append({"name": name, "kind": "transaction", "syssn": r["syssn"],
                  "answer": query_answer([r]), "expect": expect_of(r, state, is_paid, is_refund)})


transaction("paid", record(), "succeeded", True, False)
transaction("paid, amount as a JSON number", record(txamt=1050, syssn="20261201000300020000000002"),
            "succeeded", True, False)
transaction("pending: the customer is entering the password (1143)",
            record(respcd="1143", errmsg="交易处理中", paydtm=""), "pending", False, False)
transaction("pending on create (1145)", record(respcd="1145", errmsg="处理中", paydtm=""),
            "pending", False, False)
transaction("failed: declined (1205)", record(respcd="1205", errmsg="交易失败", paydtm=""),
            "failed", False, False)
transaction("cancelled: closed before payment", record(respcd="1143", cancel="1", paydtm=""),
            "cancelled", False, False)
transaction("cancelled: reversed after payment (cancel 2)", record(cancel="2"),
            "cancelled", False, False)
transaction("refunded in full (cancel 3): paid, refunded since", record(cancel="3"),
            "refunded", True, False)
transaction("partially refunded (cancel 5): paid, refunded in part", record(cancel="5"),
            "partially_refunded", True, False)
transaction("a refund record", record(syssn="20261201000300020000000009", out_trade_no="qfREFUND0001",
                                      order_type="refund", origssn="20261201000300020000000001",
                                      txamt="100", goods_name="", chnlsn=""),
            "succeeded", True, True)
transaction("a refund still processing", record(syssn="20261201000300020000000010",
                                                out_trade_no="qfREFUND0002", order_type="refund",
                                                origssn="20261201000300020000000001", txamt="100",
                                                respcd="1143", errmsg="处理中", paydtm=""),
            "pending", False, True)
transaction("an unknown pay type is kept", record(pay_type="809999"), "succeeded", True, False)


def notification(name, fields, expect):
    body = json.dumps(fields)  # QFPay's own separators (", ", ": "), non-ASCII escaped
    sig = hashlib.md5((body + KEY).encode("utf-8")).hexdigest().upper()
    cases.append({"name": name, "kind": "notification", "body": body, "key": KEY,
                  "signature": sig, "expect": expect})


pay = {"status": "1", "pay_type": "800201", "sysdtm": "2026-12-01 10:00:01",
       "paydtm": "2026-12-01 10:00:09", "txcurrcd": "HKD", "respcd": "0000",
       "txdtm": "2026-12-01 10:00:00", "txamt": "300", "out_trade_no": "qfRESULT0001",
       "syssn": "20261201000300020000000001", "cancel": "0", "notify_type": "payment",
       "goods_name": "Coffee", "chnlsn": "4200000384201912011234567890"}
notification("payment notification", pay, {
    "notify_type": "payment", "status": "1", "is_success": True, "pay_type": "800201",
    "syssn": "20261201000300020000000001", "out_trade_no": "qfRESULT0001", "txamt": 300,
    "txcurrcd": "HKD", "cancel": "0", "respcd": "0000", "goods_name": "Coffee",
    "orig_syssn": None, "orig_out_trade_no": None, "mchid": None})
refund = dict(pay, notify_type="refund", syssn="20261201000300020000000009",
              out_trade_no="qfREFUND0001", txamt="100", orig_syssn="20261201000300020000000001",
              orig_out_trade_no="qfRESULT0001")
notification("refund notification", refund, {
    "notify_type": "refund", "status": "1", "is_success": True,
    "syssn": "20261201000300020000000009", "out_trade_no": "qfREFUND0001", "txamt": 100,
    "orig_syssn": "20261201000300020000000001", "orig_out_trade_no": "qfRESULT0001"})
unfreeze = dict(pay, notify_type="unfreeze", status="1", txamt="5000", mchid="MCH123")
notification("a kind the SDK does not type (unfreeze) is verified and kept as sent", unfreeze, {
    "notify_type": "unfreeze", "is_success": True, "txamt": 5000, "mchid": "MCH123"})
notification("a notification that does not report success", dict(pay, status="0"), {
    "notify_type": "payment", "status": "0", "is_success": False})

existing = record(out_trade_no="qfDUPLICATE01", cancel="5")
cases.append({
    "name": "duplicate order: the error carries the transaction QFPay already has",
    "kind": "duplicate_order",
    "request": {"txamt": 300, "txcurrcd": "HKD", "pay_type": "800201", "out_trade_no": "qfDUPLICATE01"},
    "answers": [
        json.dumps({"respcd": "1251", "resperr": "Do not use duplicate out_trade_no for request(1251)",
                    "respmsg": "out_trade_no is used"}, separators=(",", ":")),
        query_answer([existing]),
    ],
    "expect": {"error_code": "duplicate_order", "respcd": "1251", "out_trade_no": "qfDUPLICATE01",
               "existing": expect_of(existing, "partially_refunded", True, False)},
})

# A customer who paid twice under one number: the existing order is the paid record, and it names
# the others under the number (failed first as QFPay listed them, then the second payment).
failed = record(syssn="20261201000300020000000011", out_trade_no="qfTWICE01", respcd="1100",
                errmsg="交易失败", paydtm="")
paid = record(syssn="20261201000300020000000012", out_trade_no="qfTWICE01")
again = record(syssn="20261201000300020000000013", out_trade_no="qfTWICE01",
               sysdtm="2026-12-01 10:05:01")
cases.append({
    "name": "duplicate order paid twice: the existing order is the paid one and names the others",
    "kind": "duplicate_order",
    "request": {"txamt": 300, "txcurrcd": "HKD", "pay_type": "800201", "out_trade_no": "qfTWICE01"},
    "answers": [
        json.dumps({"respcd": "1251", "resperr": "Do not use duplicate out_trade_no for request(1251)",
                    "respmsg": "out_trade_no is used"}, separators=(",", ":")),
        query_answer([failed, paid, again]),
    ],
    "expect": {"error_code": "duplicate_order", "respcd": "1251", "out_trade_no": "qfTWICE01",
               "existing": dict(expect_of(paid, "succeeded", True, False),
                                other_payments=["20261201000300020000000011",
                                                "20261201000300020000000013"])},
})

# Payments whose answer carries what the front end needs: pay_params by shape, web_url. The
# typed views come from the documented field names (trade-api.md 2.3, 2.9), not from the code.
PAYMENT_BASE = {
    "sysdtm": "2026-12-07 10:00:01", "paydtm": "2026-12-07 10:00:01", "txdtm": "2026-12-07 10:00:00",
    "txamt": "1000", "txcurrcd": "HKD", "respcd": "0000", "resperr": "success", "respmsg": "OK",
    "cardcd": "", "udid": "", "chnlsn": "",
}
JSAPI = {"appId": "wx2421b1c4370ec43b", "timeStamp": "1733536801", "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
         "package": "prepay_id=wx21201855730335ac86f8c43d1889123400", "signType": "MD5",
         "paySign": "70EA570631E4BB79628FBCA90534C63FF7FADD89"}
APP = {"appid": "wx2421b1c4370ec43b", "partnerid": "1900000109", "prepayid": "wx21201855730335ac86f8c43d1889123400",
       "package": "Sign=WXPay", "noncestr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "timestamp": 1733536801,
       "sign": "C380BEC2BFD727A4B6845133519F3AD6"}
ALIPAY = {"partner": "2088021966645500", "seller_id": "shop@example.com", "subject": "Coffee", "body": "Coffee",
          "total_fee": "10.00", "notify_url": "https://shop.example/n", "service": "mobile.securitypay.pay",
          "payment_type": "1", "_input_charset": "utf-8", "it_b_pay": "30m", "return_url": "https://shop.example/r",
          "currency": "HKD", "product_code": "NEW_WAP_OVERSEAS_SELLER", "sign": "lBBK%2F0w5LOajrMrji7DUgEqNjIhQbidR13Gov",
          "sign_type": "RSA"}


def payment(name, request, answer_fields, expect):
    answer = dict(PAYMENT_BASE, out_trade_no=request["out_trade_no"], pay_type=request["pay_type"],
                  syssn="20261207000300020000000%03d" % (len(cases) + 1))
    answer.update(answer_fields)
    base_expect = {"syssn": answer["syssn"], "out_trade_no": request["out_trade_no"], "pay_type": request["pay_type"],
                   "txamt": 1000, "qrcode": None, "pay_url": None, "web_url": None, "wechat_pay_params": None,
                   "wechat_app_params": None, "alipay_pay_params": None}
    base_expect.update(expect)
    cases.append({"name": name, "kind": "payment", "request": request,
                  "answer": json.dumps(answer, separators=(",", ":"), ensure_ascii=False), "expect": base_expect})


def jsapi_view(p):
    return {"app_id": p["appId"], "time_stamp": p["timeStamp"], "nonce_str": p["nonceStr"], "package": p["package"],
            "sign_type": p["signType"], "pay_sign": p["paySign"], "raw": p}


payment("JSAPI (800207): WeChat's six pay parameters, typed and as sent",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "800207", "out_trade_no": "qfJSAPI0001",
         "sub_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        {"pay_params": JSAPI}, {"wechat_pay_params": jsapi_view(JSAPI)})
payment("mini-program (800213): pay_params sent as a JSON string are read the same",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "800213", "out_trade_no": "qfMINI0001",
         "sub_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        {"pay_params": json.dumps(JSAPI)}, {"wechat_pay_params": jsapi_view(JSAPI)})
payment("WeChat in-app (800210): the app SDK's fields, an integer timestamp read as text",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "800210", "out_trade_no": "qfAPP0001"},
        {"pay_params": APP},
        {"wechat_app_params": {"app_id": APP["appid"], "partner_id": APP["partnerid"], "prepay_id": APP["prepayid"],
                               "package": APP["package"], "nonce_str": APP["noncestr"], "timestamp": "1733536801",
                               "sign": APP["sign"], "raw": APP}})
payment("Alipay in-app (801510): Alipay's own field set, total_fee as text",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "801510", "out_trade_no": "qfALIAPP0001",
         "goods_name": "Coffee", "return_url": "https://shop.example/r", "seller_id": "shop@example.com"},
        {"pay_params": ALIPAY},
        {"alipay_pay_params": {"partner": ALIPAY["partner"], "seller_id": ALIPAY["seller_id"], "subject": "Coffee",
                               "total_fee": "10.00", "currency": "HKD", "service": "mobile.securitypay.pay",
                               "sign": ALIPAY["sign"], "sign_type": "RSA", "raw": ALIPAY}})
payment("Alipay web (801514) answered with web_url",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "801514", "out_trade_no": "qfWEB0001",
         "return_url": "https://shop.example/r"},
        {"web_url": "https://globalmapi.alipay.com/gateway.do?_input_charset=utf-8&out_trade_no=1"},
        {"web_url": "https://globalmapi.alipay.com/gateway.do?_input_charset=utf-8&out_trade_no=1"})
payment("Alipay WAP (801512) answered with pay_url",
        {"txamt": 1000, "txcurrcd": "HKD", "pay_type": "801512", "out_trade_no": "qfWAP0001",
         "return_url": "https://shop.example/r"},
        {"pay_url": "https://openapi-hk.qfapi.com/q/alipay?token=abc"},
        {"pay_url": "https://openapi-hk.qfapi.com/q/alipay?token=abc"})



# A reconciliation of one month (one query window, one page): the merchant's ledger as CSV
# against the records QFPay lists, each kind of difference that does not depend on the clock
# once, and the net per day and currency. The expectations follow docs/reconciliation.md.
def rec(syssn, no, txamt, sysdtm="2026-11-10 10:00:01", **changes):
    return record(syssn=syssn, out_trade_no=no, txamt=str(txamt), sysdtm=sysdtm, **changes)


RECORDS = [
    rec("20261110000300020000000101", "qfREC01", 300),
    rec("20261110000300020000000102", "qfREC02", 500),
    rec("20261110000300020000000103", "qfREC03", 200),
    rec("20261111000300020000000104", "qfREC03", 200, sysdtm="2026-11-11 09:00:00"),
    rec("20261111000300020000000105", "qfREC04", 100, sysdtm="2026-11-11 09:30:00"),
    rec("20261111000300020000000106", "qfREC06", 700, sysdtm="2026-11-11 10:00:00", respcd="1205",
        errmsg="交易失败"),
    rec("20261112000300020000000107", "qfREF07", 50, sysdtm="2026-11-12 08:00:00", order_type="refund",
        origssn="20261110000300020000000102", paydtm=""),
]
LEDGER = ("out_trade_no,amount,currency,state\n"
          "qfREC01,300,HKD,paid\n"
          "qfREC02,450,HKD,paid\n"
          "qfREC03,200,HKD,paid\n"
          "qfREC05,800,HKD,paid\n")


def discrepancy(kind, no, syssns, ledger_amount, qfpay_amount):
    return {"kind": kind, "out_trade_no": no, "syssns": syssns, "ledger_amount": ledger_amount,
            "qfpay_amount": qfpay_amount, "currency": "HKD"}


cases.append({
    "name": "a ledger against one month of records, every kind but pending_too_long",
    "kind": "reconcile",
    "ledger": LEDGER,
    "start_time": "2026-11-01 00:00:00",
    "end_time": "2026-11-30 23:59:59",
    "answer": query_answer(RECORDS),
    "expect": {
        "start_time": "2026-11-01 00:00:00",
        "end_time": "2026-11-30 23:59:59",
        "ledger_orders": 4,
        "qfpay_payments": 6,
        "qfpay_refunds": 1,
        # qfREC01 only: qfREC02 differs in amount and has a refund the ledger does not record,
        # qfREC03 was paid twice, qfREC05 is not at QFPay.
        "matched": 1,
        "clean": False,
        "requests": 1,
        # By kind (the enum's order), then order number.
        "discrepancies": [
            discrepancy("missing_at_qfpay", "qfREC05", [], 800, None),
            discrepancy("missing_in_ledger", "qfREC04", ["20261111000300020000000105"], None, 100),
            discrepancy("amount_mismatch", "qfREC02", ["20261110000300020000000102"], 450, 500),
            discrepancy("duplicate_payments", "qfREC03",
                        ["20261110000300020000000103", "20261111000300020000000104"], 200, 400),
            # The refunds against what the ledger records as refunded (nothing).
            discrepancy("unknown_refund", "qfREC02", ["20261112000300020000000107"], 0, 50),
        ],
        # The failed payment (1205) counts nowhere in the money.
        "net": [
            {"day": "2026-11-10", "currency": "HKD", "payments": 3, "paid": 1000, "refunds": 0,
             "refunded": 0, "net": 1000},
            {"day": "2026-11-11", "currency": "HKD", "payments": 2, "paid": 300, "refunds": 0,
             "refunded": 0, "net": 300},
            {"day": "2026-11-12", "currency": "HKD", "payments": 0, "paid": 0, "refunds": 1,
             "refunded": 50, "net": -50},
        ],
        "net_csv": "day,currency,payments,paid,refunds,refunded,net\n"
                   "2026-11-10,HKD,3,1000,0,0,1000\n"
                   "2026-11-11,HKD,2,300,0,0,300\n"
                   "2026-11-12,HKD,0,0,1,50,-50\n",
    },
})


# A note (`add_note`): the result names the transaction QFPay names in its answer (`data.syssn`,
# which QFPay's own sample shows differing from the request's), else the request's.
def note(name, syssn, text, answer, expect_syssn):
    cases.append({"name": name, "kind": "note", "syssn": syssn, "note": text,
                  "answer": json.dumps(answer, ensure_ascii=False, separators=(",", ":")),
                  "expect": {"syssn": expect_syssn, "note": text}})


note("a note: the transaction QFPay names in its answer", "20261201000300020000075691", "禮物包裝 gift wrap",
     {"resperr": "Success", "respcd": "0000", "respmsg": "", "data": {"syssn": "20261201000300020000084545"}},
     "20261201000300020000084545")
note("a note answered without data: the request's transaction", "20261201000300020000075692", "deliver Tuesday",
     {"resperr": "Success", "respcd": "0000", "respmsg": ""}, "20261201000300020000075692")

doc = {
    "description": "Raw QFPay answers and the typed results every binding must make of them, "
                   "computed values included. Generated by gen/make_results.py.",
    "cases": cases,
}
with open(os.path.join(HERE, "results.json"), "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(len(cases), "cases")
