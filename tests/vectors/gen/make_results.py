"""Generates results.json: raw QFPay answers and what every binding's typed result must say of
them, computed values included (state, is_paid, is_refund, is_success, the kind of a
notification, the existing order of a duplicate). The expectations are written from the rules
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

doc = {
    "description": "Raw QFPay answers and the typed results every binding must make of them, "
                   "computed values included. Generated by gen/make_results.py.",
    "cases": cases,
}
with open(os.path.join(HERE, "results.json"), "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(len(cases), "cases")
