"""Generates validation.json and responses.json. Run: python3 tests/vectors/gen/make_validation_and_responses.py"""
import json
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QR = {"txamt": 300, "txcurrcd": "HKD", "pay_type": "800201"}
CPM = {"txamt": 300, "txcurrcd": "HKD", "pay_type": "800208", "auth_code": "134567890123456789"}
REFUND = {"syssn": "20200410000300020086358791", "txamt": 100, "txcurrcd": "HKD"}
CLOSE = {"out_trade_no": "qfORDER0001", "txamt": 300, "txcurrcd": "HKD"}
GOOD_ID = "11010519491231002X"

cases = []


def case(name, operation, params, valid, field=None):
    c = {"name": name, "operation": operation, "params": params, "valid": valid}
    if not valid:
        c["field"] = field
    cases.append(c)


def pay(name, extra, valid, field=None, base=QR):
    p = dict(base)
    p.update(extra)
    case(name, "payment", p, valid, field)


pay("minimal wechat qr", {}, True)
pay("txamt 1 (smallest)", {"txamt": 1}, True)
pay("txamt 0", {"txamt": 0}, False, "txamt")
pay("txamt negative", {"txamt": -5}, False, "txamt")
pay("txamt 11 digits", {"txamt": 99999999999}, True)
pay("txamt 12 digits", {"txamt": 100000000000}, False, "txamt")
pay("currency JPY", {"txcurrcd": "JPY"}, True)
pay("currency not documented", {"txcurrcd": "GBP"}, False, "txcurrcd")
pay("currency lowercase", {"txcurrcd": "hkd"}, False, "txcurrcd")
pay("pay_type 5 digits", {"pay_type": "80020"}, False, "pay_type")
pay("expired_time 4", {"expired_time": 4}, False, "expired_time")
pay("expired_time 5", {"expired_time": 5}, True)
pay("expired_time 120", {"expired_time": 120}, True)
pay("expired_time 121", {"expired_time": 121}, False, "expired_time")
pay("expired_time with CPM", {"expired_time": 10}, False, "expired_time", base=CPM)
pay("goods_name 64 characters", {"goods_name": "G" * 64}, True)
pay("goods_name 64 chinese characters", {"goods_name": "咖" * 64}, True)
pay("goods_name 65 characters", {"goods_name": "G" * 65}, False, "goods_name")
pay("goods_name with a newline", {"goods_name": "a\nb"}, False, "goods_name")
pay("mchid 16 characters", {"mchid": "M" * 16}, True)
pay("mchid 17 characters", {"mchid": "M" * 17}, False, "mchid")
pay("udid 40 characters", {"udid": "U" * 40}, True)
pay("udid 41 characters", {"udid": "U" * 41}, False, "udid")
pay("out_trade_no 128 characters", {"out_trade_no": "O" * 128}, True)
pay("out_trade_no 129 characters", {"out_trade_no": "O" * 129}, False, "out_trade_no")
pay("out_trade_no empty", {"out_trade_no": ""}, False, "out_trade_no")
pay("out_trade_no with a space", {"out_trade_no": "A 1"}, False, "out_trade_no")
pay("txdtm valid leap day", {"txdtm": "2024-02-29 10:00:00"}, True)
pay("txdtm impossible date", {"txdtm": "2023-02-29 10:00:00"}, False, "txdtm")
pay("txdtm ISO format", {"txdtm": "2024-02-01T10:00:00"}, False, "txdtm")
pay("rmb_tag Y with CNY", {"txcurrcd": "CNY", "rmb_tag": "Y"}, True)
pay("rmb_tag Y with HKD", {"rmb_tag": "Y"}, False, "rmb_tag")
pay("rmb_tag N", {"txcurrcd": "CNY", "rmb_tag": "N"}, False, "rmb_tag")
pay("CPM with auth_code", {}, True, base=CPM)
pay("CPM without auth_code", {"pay_type": "800208", "auth_code": None}, False, "auth_code", base=QR)
pay("auth_code with MPM", {"auth_code": "134567890123456789"}, False, "auth_code")
pay("real-name verification", {"extend_info": {"user_creid": GOOD_ID, "user_truename": "小林"}}, True)
pay("resident ID wrong check digit", {"extend_info": {"user_creid": "110105194912310021", "user_truename": "小林"}},
    False, "extend_info.user_creid")
pay("resident ID 17 characters", {"extend_info": {"user_creid": GOOD_ID[:17], "user_truename": "小林"}},
    False, "extend_info.user_creid")
pay("resident ID lowercase x", {"extend_info": {"user_creid": GOOD_ID.lower(), "user_truename": "小林"}},
    False, "extend_info.user_creid")
pay("real name empty", {"extend_info": {"user_creid": GOOD_ID, "user_truename": ""}}, False,
    "extend_info.user_truename")
pay("notify_url https", {"notify_url": "https://shop.example/qfpay/notify"}, True)
pay("notify_url 256 characters", {"notify_url": "https://shop.example/" + "n" * 235}, True)
pay("notify_url 257 characters", {"notify_url": "https://shop.example/" + "n" * 236}, False, "notify_url")
pay("notify_url not http", {"notify_url": "ftp://shop.example/n"}, False, "notify_url")
pay("return_url relative", {"return_url": "/thanks"}, False, "return_url")
JSAPI = {"txamt": 300, "txcurrcd": "HKD", "pay_type": "800207"}
pay("JSAPI without sub_openid", {}, False, "sub_openid", base=JSAPI)
pay("JSAPI with sub_openid", {"sub_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}, True, base=JSAPI)
pay("mini-program without sub_openid", {"pay_type": "800213"}, False, "sub_openid", base=JSAPI)
pay("Alipay service window without openid", {"pay_type": "800107", "return_url": "https://shop.example/r"}, False, "openid")
pay("Alipay service window with openid", {"pay_type": "800107", "openid": "2088102122524333", "return_url": "https://shop.example/r"}, True)
pay("Alipay in-app without seller_id", {"pay_type": "801510", "goods_name": "Coffee", "return_url": "https://shop.example/r"}, False, "seller_id")
pay("Alipay in-app complete", {"pay_type": "801510", "goods_name": "Coffee", "return_url": "https://shop.example/r", "seller_id": "shop@example.com"}, True)
pay("Alipay WAP without return_url", {"pay_type": "801512"}, False, "return_url")
pay("WAP return_url over 255 characters", {"pay_type": "801512", "return_url": "https://shop.example/" + "r" * 240}, False, "return_url")
pay("failed_url not a URL", {"failed_url": "shop/failed"}, False, "failed_url")
pay("failed_url and cancel_url", {"failed_url": "https://shop.example/f", "cancel_url": "https://shop.example/c"}, True)
pay("extra parameter QFPay added later", {"extra_params": {"new_field": "v1"}}, True)
pay("extra parameter shadowing a typed field", {"extra_params": {"goods_name": "x"}}, False, "extra_params.goods_name")
pay("extra parameter named key (the client key is never a parameter)", {"extra_params": {"key": "x"}}, False, "extra_params.key")
pay("PromptPay (802901, legacy, used by QFPay's Postman collection)", {"pay_type": "802901", "txcurrcd": "THB"}, True)
pay("UnionPay in-app (800710)", {"pay_type": "800710"}, True)
for c in cases:  # drop None values used to remove a key
    c["params"] = {k: v for k, v in c["params"].items() if v is not None}

case("query everything", "query", {}, True)
case("query by out_trade_no list", "query", {"out_trade_no": ["qfA1", "qfA2"]}, True)
case("query item with a comma", "query", {"out_trade_no": ["qfA1,qfA2"]}, False, "out_trade_no")
case("query page_size 100", "query", {"page_size": 100}, True)
case("query page_size 101", "query", {"page_size": 101}, False, "page_size")
case("query page_size 0", "query", {"page_size": 0}, False, "page_size")
case("query page 0", "query", {"page": 0}, False, "page")
case("query respcd 3 digits", "query", {"respcd": "000"}, False, "respcd")
case("query respcd filter", "query", {"respcd": "0000"}, True)
case("query within one month", "query", {"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-31 23:59:59"}, True)
case("query across months", "query", {"start_time": "2026-01-31 00:00:00", "end_time": "2026-02-01 00:00:00"},
     False, "end_time")
case("query start after end", "query", {"start_time": "2026-01-20 00:00:00", "end_time": "2026-01-10 00:00:00"},
     False, "start_time")
case("query bad time format", "query", {"start_time": "2026/01/01 00:00:00"}, False, "start_time")
case("refund", "refund", dict(REFUND), True)
case("refund txamt 0", "refund", dict(REFUND, txamt=0), False, "txamt")
case("refund without syssn", "refund", dict(REFUND, syssn=""), False, "syssn")
case("refund out_trade_no 129 characters", "refund", dict(REFUND, out_trade_no="R" * 129), False, "out_trade_no")
case("close by out_trade_no", "close", dict(CLOSE), True)
case("close by syssn", "close", {"syssn": "20200410000300020086358791", "txamt": 300, "txcurrcd": "HKD"}, True)
case("close without syssn or out_trade_no", "close", {"txamt": 300, "txcurrcd": "HKD"}, False, "syssn")
case("close txamt 0", "close", dict(CLOSE, txamt=0), False, "txamt")
case("reverse by out_trade_no", "reverse", dict(CLOSE), True)
case("reverse bad txdtm", "reverse", dict(CLOSE, txdtm="yesterday"), False, "txdtm")

names = [c["name"] for c in cases]
assert len(names) == len(set(names))
with open(os.path.join(HERE, "validation.json"), "w", encoding="utf-8") as f:
    json.dump({"description": "Field rules checked before anything is sent. Generated by gen/make_validation_and_responses.py.",
               "cases": cases}, f, ensure_ascii=False, indent=2)
    f.write("\n")

seed_answer = ('{"sysdtm":"2020-04-10 11:45:44","paydtm":"2020-04-10 11:45:44","txcurrcd":"HKD","respmsg":"OK",'
               '"qrcode":"weixin://wxpay/bizpayurl?pr=4PsXP5N","pay_type":"800201","cardcd":"","udid":"qiantai2",'
               '"txdtm":"2020-04-10 11:45:44","txamt":"300","resperr":"success",'
               '"out_trade_no":"3Z6HPCS6RN54J2Y8LUQM8RBDVBA9URYE","syssn":"20200410000300020086358791","respcd":"0000","chnlsn":""}')
cpm_answer = ('{"pay_type":"800108","sysdtm":"2019-07-22 15:20:54","paydtm":"2019-07-22 15:20:56","txdtm":"2019-07-22 15:20:53",'
              '"udid":"AA","txcurrcd":"EUR","txamt":10,"resperr":"交易成功","respmsg":"OK","out_trade_no":"201907221520536a25477909",'
              '"syssn":"20190722000300020081074842","respcd":"0000","chnlsn":"4200000384201907223585006133"}')
query_answer = ('{"respcd":"0000","resperr":"请求成功","respmsg":"","page":1,"page_size":"100","data":['
                '{"syssn":"20260110000300020000000001","out_trade_no":"qfA1","order_type":"payment","origssn":null,'
                '"pay_type":"805812","txamt":"1000","txcurrcd":"HKD","txdtm":"2026-01-10 10:00:00","sysdtm":"2026-01-10 10:00:01",'
                '"paydtm":"2026-01-10 10:00:05","respcd":"0000","errmsg":"交易成功","cancel":"5","goods_name":"","chnlsn":"",'
                '"userid":12345,"clisn":"000123","cardtp":"5","future_field":{"x":1}},'
                '{"syssn":"20260110000300020000000002","out_trade_no":"qfR1","order_type":"refund","origssn":"20260110000300020000000001",'
                '"pay_type":"805812","txamt":400,"txcurrcd":"HKD","txdtm":"2026-01-10 11:00:00","sysdtm":"2026-01-10 11:00:01",'
                '"paydtm":"2026-01-10 11:00:01","respcd":"1143","errmsg":"處理中，請稍等(1143)","cancel":"0"}]}')
refund_answer = ('{"orig_syssn":"20200410000300020086358791","sysdtm":"2020-04-10 12:00:00","paydtm":"2020-04-10 12:00:00",'
                 '"txdtm":"2020-04-10 12:00:00","udid":"","txcurrcd":"HKD","txamt":"100","resperr":"success","respmsg":"",'
                 '"out_trade_no":"qfREFUND0001","syssn":"20200410000300020086358799","respcd":"0000","chnlsn":"","cardcd":""}')
close_answer = ('{"orig_syssn":"20200410000300020086358791","sysdtm":"2020-04-10 12:00:00","txdtm":"2020-04-10 12:00:00",'
                '"txcurrcd":"HKD","txamt":"300","resperr":"success","respmsg":"","out_trade_no":"qfORDER0001",'
                '"syssn":"20200410000300020086358800","respcd":"0000","chnlsn":"","chnlsn2":"","cardcd":"","udid":""}')


def err(respcd, resperr, respmsg=""):
    return json.dumps({"respcd": respcd, "resperr": resperr, "respmsg": respmsg}, ensure_ascii=False, separators=(",", ":"))


rcases = [
    {"name": "seed 800201 answer", "operation": "payment", "request": dict(QR), "status": 200, "body": seed_answer,
     "expect": {"ok": True, "fields": {"syssn": "20200410000300020086358791", "qrcode": "weixin://wxpay/bizpayurl?pr=4PsXP5N",
                                       "txamt": 300, "txcurrcd": "HKD", "respcd": "0000", "pay_type": "800201",
                                       "out_trade_no": "3Z6HPCS6RN54J2Y8LUQM8RBDVBA9URYE", "udid": "qiantai2"}}},
    {"name": "CPM answer with a numeric txamt", "operation": "payment",
     "request": {"txamt": 10, "txcurrcd": "EUR", "pay_type": "800108", "auth_code": "283854702356157409"},
     "status": 200, "body": cpm_answer,
     "expect": {"ok": True, "fields": {"txamt": 10, "chnlsn": "4200000384201907223585006133", "resperr": "交易成功"}}},
    {"name": "declined", "operation": "payment", "request": dict(QR), "status": 200, "body": err("1201", "Insufficient balance"),
     "expect": {"ok": False, "error_code": "declined", "respcd": "1201"}},
    {"name": "signature error", "operation": "payment", "request": dict(QR), "status": 200, "body": err("1108", "签名错误"),
     "expect": {"ok": False, "error_code": "auth", "respcd": "1108"}},
    {"name": "invalid mchid", "operation": "payment", "request": dict(QR), "status": 200, "body": err("1108", "MCHCODE非法"),
     "expect": {"ok": False, "error_code": "auth", "respcd": "1108"}},
    {"name": "parameter error", "operation": "payment", "request": dict(QR), "status": 200,
     "body": err("1104", "param error: txamt"), "expect": {"ok": False, "error_code": "invalid_request", "respcd": "1104"}},
    {"name": "duplicate out_trade_no (1251)", "operation": "payment", "request": dict(QR), "status": 200,
     "body": err("1251", "Do not use duplicate out_trade_no for request(1251)", "out_trade_no is used"),
     "expect": {"ok": False, "error_code": "duplicate_order", "respcd": "1251"}},
    {"name": "store not configured (1251)", "operation": "payment", "request": dict(QR), "status": 200,
     "body": err("1251", "Store not configured correctly"), "expect": {"ok": False, "error_code": "account", "respcd": "1251"}},
    {"name": "an undocumented code on a payment is reconciled by query, never a final failure", "operation": "payment",
     "request": dict(QR), "status": 200, "body": err("9999", "new failure"),
     "expect": {"ok": False, "error_code": "status_unknown", "respcd": "9999"}},
    {"name": "an undocumented refund code (2999, refund processing) is reconciled by query", "operation": "refund",
     "request": {"syssn": "20261207000300020000000001", "txamt": 100, "txcurrcd": "HKD"}, "status": 200,
     "body": err("2999", "refund processing"), "expect": {"ok": False, "error_code": "status_unknown", "respcd": "2999"}},
    {"name": "an undocumented code on a query is an api error (nothing moved)", "operation": "query",
     "request": {"syssn": ["20261207000300020000000001"]}, "status": 200, "body": err("9999", "new failure"),
     "expect": {"ok": False, "error_code": "api", "respcd": "9999"}},
    {"name": "pending on create (1145)", "operation": "payment", "request": dict(QR), "status": 200,
     "body": err("1145", "Please wait while processing"), "expect": {"ok": False, "error_code": "status_unknown", "respcd": "1145"}},
    {"name": "password being entered (1143)", "operation": "payment", "request": dict(CPM), "status": 200,
     "body": err("1143", "The order has not been paid"), "expect": {"ok": False, "error_code": "status_unknown", "respcd": "1143"}},
    {"name": "0000 with a fractional amount is not trusted", "operation": "payment", "request": dict(QR), "status": 200,
     "body": seed_answer.replace('"txamt":"300"', '"txamt":"3.5"'), "expect": {"ok": False, "error_code": "status_unknown"}},
    {"name": "HTTP 500 on a payment", "operation": "payment", "request": dict(QR), "status": 500, "body": "",
     "expect": {"ok": False, "error_code": "status_unknown"}},
    {"name": "HTML instead of JSON on a payment", "operation": "payment", "request": dict(QR), "status": 200,
     "body": "<html>bad gateway</html>", "expect": {"ok": False, "error_code": "status_unknown"}},
    {"name": "HTTP 429", "operation": "payment", "request": dict(QR), "status": 429, "body": "",
     "expect": {"ok": False, "error_code": "rate_limited"}},
    {"name": "HTTP 404", "operation": "payment", "request": dict(QR), "status": 404, "body": "not found",
     "expect": {"ok": False, "error_code": "api"}},
    {"name": "query with two records", "operation": "query", "request": {"out_trade_no": ["qfA1", "qfR1"]}, "status": 200,
     "body": query_answer,
     "expect": {"ok": True, "fields": {"records": 2, "page": 1, "page_size": 100,
                                       "first": {"syssn": "20260110000300020000000001", "txamt": 1000, "state": "partially_refunded",
                                                 "order_type": "payment", "cancel": "5", "respcd": "0000"}}}},
    {"name": "query error", "operation": "query", "request": {}, "status": 200, "body": err("1104", "param error: start_time"),
     "expect": {"ok": False, "error_code": "invalid_request", "respcd": "1104"}},
    {"name": "query HTTP 503", "operation": "query", "request": {}, "status": 503, "body": "",
     "expect": {"ok": False, "error_code": "server"}},
    {"name": "query answer that is not JSON", "operation": "query", "request": {}, "status": 200, "body": "{\"respcd\":",
     "expect": {"ok": False, "error_code": "decode"}},
    {"name": "refund answer", "operation": "refund", "request": dict(REFUND), "status": 200, "body": refund_answer,
     "expect": {"ok": True, "fields": {"syssn": "20200410000300020086358799", "orig_syssn": "20200410000300020086358791",
                                       "txamt": 100, "out_trade_no": "qfREFUND0001"}}},
    {"name": "refund above the refundable amount", "operation": "refund", "request": dict(REFUND), "status": 200,
     "body": err("1272", "Refund amount > refundable amount"), "expect": {"ok": False, "error_code": "refund_rejected", "respcd": "1272"}},
    {"name": "refund of a fully refunded order", "operation": "refund", "request": dict(REFUND), "status": 200,
     "body": err("1264", "Order closed, please confirm the order status before continuing(1264)", "wrong cancel"),
     "expect": {"ok": False, "error_code": "order_state", "respcd": "1264"}},
    {"name": "close answer", "operation": "close", "request": dict(CLOSE), "status": 200, "body": close_answer,
     "expect": {"ok": True, "fields": {"syssn": "20200410000300020086358800", "orig_syssn": "20200410000300020086358791",
                                       "txamt": 300}}},
    {"name": "close of a closed order", "operation": "close", "request": dict(CLOSE), "status": 200,
     "body": err("1142", "Order already closed"), "expect": {"ok": False, "error_code": "order_state", "respcd": "1142"}},
]
with open(os.path.join(HERE, "responses.json"), "w", encoding="utf-8") as f:
    json.dump({"description": "QFPay answers (canned by the sandbox) and what the SDK makes of them. Generated by gen/make_validation_and_responses.py.",
               "cases": rcases}, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(len(cases), "validation cases,", len(rcases), "response cases")
