"""Issue 26: the online flows against the in-process sandbox, over HTTP as the sandbox's pages
call it: a hosted checkout link the sandbox verifies and pays (notification verified by
``verify_notification``, the payment found paid); links signed with a wrong key or over encoded
values shown as ``QFSign_Error`` with the reason; the JSAPI sequence (OAuth link -> code ->
openid, single use -> 800207 -> typed ``wechat_pay_params`` -> ``/q/direct`` -> paid);
``extra_params`` signed and sent, a shadowing one refused before sending; the local operations
plain calls on ``AsyncClient``."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

import pytest
import requests

import qfpay
from qfpay.testing import Sandbox

SHOP = "https://shop.example"


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=False, notify_time_scale=0.001) as sandbox:
        yield sandbox


class Receiver:
    """A merchant's notification route on 127.0.0.1: verifies each notification with the SDK
    and acknowledges it."""

    def __init__(self, client_key: str) -> None:
        self.received: list[qfpay.Notification] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    n = qfpay.verify_notification(raw, self.headers.get("X-QF-SIGN"), client_key)
                except qfpay.QfPayError:
                    self.send_response(401)
                    self.end_headers()
                    return
                outer.received.append(n)
                body = qfpay.NOTIFICATION_ACK.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/qfpay/notify"

    def wait_for(self, out_trade_no: str) -> qfpay.Notification:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for n in self.received:
                if n.out_trade_no == out_trade_no:
                    return n
            time.sleep(0.02)
        raise AssertionError(f"no notification for {out_trade_no}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver(sb: Sandbox) -> Iterator[Receiver]:
    r = Receiver(sb.client_key)
    yield r
    r.close()


def page_post(sb: Sandbox, path: str, data: dict[str, Any]) -> dict[str, Any]:
    """A state-changing call as the sandbox's page script makes it (same-origin JSON POST)."""
    r = requests.post(sb.base_url + path, json=data, headers={"Origin": sb.base_url}, timeout=10)
    body: dict[str, Any] = r.json()
    return body


def open_checkstand(sb: Sandbox, url: str) -> dict[str, Any]:
    """What the checkstand page does with a link: the page, then its query to the session."""
    page = requests.get(url, timeout=10)  # the fragment stays in the browser
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    return page_post(sb, "/checkstand/session", {"query": url.split("#/?", 1)[1]})


# -- hosted checkout ----------------------------------------------------------------------

def test_checkout_link_verified_and_paid_by_the_sandbox(sb: Sandbox, receiver: Receiver) -> None:
    client = sb.client()
    link = client.checkout_url(
        1234, "HKD", f"{SHOP}/done?order=1&x=a b", f"{SHOP}/failed", receiver.url,
        goods_name="Tea & biscuits", cancel_url=f"{SHOP}/cart", lang="en",
    )
    assert isinstance(link, qfpay.CheckoutLink)
    assert link.url.startswith(sb.base_url + "/checkstand/#/?")
    assert link.txamt == 1234 and link.txcurrcd == "HKD" and link.paysource.endswith("_checkout")
    assert client.verify_checkout_url(link.url).params == link.params
    before = sb.request_count()

    session = open_checkstand(sb, link.url)
    assert session["ok"], session
    order = session["order"]
    assert (order["out_trade_no"], order["txamt"], order["state"]) == (link.out_trade_no, 1234, "pending")
    assert order["goods_name"] == "Tea & biscuits"

    paid = page_post(sb, f"/sandbox/checkout/{order['syssn']}", {"action": "pay", "wallet": "wechat"})
    assert paid["ok"] and paid["state"] == "succeeded", paid
    assert paid["redirect"] == f"{SHOP}/done?order=1&x=a b"

    n = receiver.wait_for(link.out_trade_no)
    assert n.is_success and n.txamt == 1234 and n.syssn == order["syssn"]
    assert sb.request_count() == before  # nothing the SDK sent: the link is the request
    found = client.find_payment(link.out_trade_no)
    assert found is not None and found.is_paid and found.syssn == order["syssn"]
    assert client.wait_for_payment(link.out_trade_no, timeout=10).state == "succeeded"


def _link(sb: Sandbox, params: dict[str, str], sign: str) -> str:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in sorted(params.items()))
    return f"{sb.base_url}/checkstand/#/?{query}&sign={sign}"


def _refused(sb: Sandbox, url: str, reason: str) -> None:
    session = open_checkstand(sb, url)
    assert not session["ok"], session
    assert session["error"] == "QFSign_Error"
    assert session["reason"].startswith("QFSign_Error") and reason in session["reason"], session


def test_bad_signatures_are_shown_as_qfsign_error(sb: Sandbox) -> None:
    orders = len(sb.orders())
    wrong = qfpay.Client(sb.app_code, "0" * 32, base_url=sb.base_url)
    link = wrong.checkout_url(500, "HKD", f"{SHOP}/ok", f"{SHOP}/failed", f"{SHOP}/notify")
    _refused(sb, link.url, "")
    with pytest.raises(qfpay.SignatureError):
        sb.client().verify_checkout_url(link.url)

    # The production mistake: signed over the percent-encoded values.
    good = sb.client().checkout_url(500, "HKD", f"{SHOP}/ok?a=1&b=2", f"{SHOP}/failed", f"{SHOP}/notify")
    params = {k: v for k, v in good.params.items() if k != "sign"}
    assert qfpay.sign(params, sb.client_key).lower() == good.sign  # the checkout's own signature
    encoded = {k: quote(v, safe="") for k, v in params.items()}
    over_encoded = _link(sb, params, qfpay.sign(encoded, sb.client_key).lower())
    _refused(sb, over_encoded, "encoded")
    with pytest.raises(qfpay.SignatureError, match="encoded"):
        sb.client().verify_checkout_url(over_encoded)

    # Raw values in the link (signed right, not encoded).
    raw = f"{sb.base_url}/checkstand/#/?" + "&".join(f"{k}={v}" for k, v in sorted(good.params.items()))
    _refused(sb, raw, "percent-encoding")
    assert len(sb.orders()) == orders  # nothing to pay: no order


# -- WeChat JSAPI ---------------------------------------------------------------------------

def test_jsapi_sequence(sb: Sandbox, receiver: Receiver) -> None:
    client = sb.client()
    back = f"{SHOP}/wechat/back?order=7"
    oauth = client.wechat_oauth_url(back)
    assert oauth.startswith(sb.base_url + "/tool/v1/get_weixin_oauth_code?")
    r = requests.get(oauth, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    location = r.headers["Location"]
    assert location.startswith(back + "&code=")
    code = parse_qs(urlsplit(location).query)["code"][0]

    openid = client.get_wechat_openid(code)
    assert isinstance(openid, str) and len(openid) == 28
    with pytest.raises(qfpay.QfPayError) as used:
        client.get_wechat_openid(code)
    assert type(used.value) is not qfpay.QfPayError  # typed (by the answer's code)
    assert used.value.respcd == "1104" and used.value.code == "invalid_request", repr(used.value)

    payment = client.create_payment(1500, "HKD", "800207", sub_openid=openid, goods_name="Oolong",
                                    notify_url=receiver.url)
    params = payment.wechat_pay_params
    assert isinstance(params, qfpay.WechatPayParams)
    assert params.package.startswith("prepay_id=") and params.sign_type == "MD5"
    assert params.raw == {"appId": params.app_id, "timeStamp": params.time_stamp, "nonceStr": params.nonce_str,
                          "package": params.package, "signType": params.sign_type, "paySign": params.pay_sign}
    assert payment.wechat_app_params is None and payment.alipay_pay_params is None and payment.qrcode is None

    done = f"{SHOP}/wechat/done?order=7"
    cashier = client.cashier_url(1500, "HKD", params.raw, "Tea House", done, goods_name="Oolong")
    assert cashier == client.cashier_url(1500, "HKD", json.dumps(params.raw), "Tea House", done, goods_name="Oolong")
    assert cashier.startswith(sb.base_url + "/q/direct?")
    page = requests.get(cashier, timeout=10)
    assert page.status_code == 200 and "Tea House" in page.text, page.text
    syssn = re.search(r'data-syssn="(\d+)"', page.text)
    assert syssn and syssn.group(1) == payment.syssn
    paid = page_post(sb, f"/sandbox/checkout/{payment.syssn}", {"action": "pay", "redirect_url": done})
    assert paid["ok"] and paid["redirect"] == done, paid

    assert client.wait_for_payment(payment.out_trade_no, timeout=10).state == "succeeded"
    assert receiver.wait_for(payment.out_trade_no).is_success


def test_cashier_url_refuses_what_is_not_pay_params(sb: Sandbox) -> None:
    client = sb.client()
    with pytest.raises(qfpay.ValidationError) as info:
        client.cashier_url(100, "HKD", "not json", "Shop", f"{SHOP}/done")
    assert info.value.field == "pay_params"
    with pytest.raises(qfpay.ArgumentTypeError):
        client.cashier_url(100, "HKD", 7, "Shop", f"{SHOP}/done")  # type: ignore[arg-type]


# -- extra_params ---------------------------------------------------------------------------

def test_extra_params_are_signed_and_sent(sb: Sandbox) -> None:
    client = sb.client(max_retries=0)
    payment = client.create_payment(100, "HKD", "800201", extra_params={"shop_ref": "A-1"})
    sent = sb.requests()[-1]
    # The sandbox checks the signature over every parameter of the body: 0000 means it was signed.
    assert dict(parse_qsl(sent["body"]))["shop_ref"] == "A-1" and sent["respcd"] == "0000" and payment.syssn
    client.wechat_qr(100, extra_params='{"shop_ref": "A-2"}')
    sent = sb.requests()[-1]
    assert dict(parse_qsl(sent["body"]))["shop_ref"] == "A-2" and sent["respcd"] == "0000"

    before = sb.request_count()
    for shadow in ({"txamt": "1"}, {"sign": "x"}, {"key": "x"}):
        with pytest.raises(qfpay.ValidationError) as info:
            client.create_payment(100, "HKD", "800201", extra_params=shadow)
        assert info.value.field == f"extra_params.{next(iter(shadow))}"
    assert sb.request_count() == before


# -- the local operations are plain calls, also on AsyncClient --------------------------------

def test_local_operations_are_synchronous_on_the_async_client(sb: Sandbox) -> None:
    aclient = sb.async_client()
    link = aclient.checkout_url(100, "HKD", f"{SHOP}/ok", f"{SHOP}/failed", f"{SHOP}/notify")
    assert isinstance(link, qfpay.CheckoutLink)
    assert aclient.verify_checkout_url(link.url).out_trade_no == link.out_trade_no
    oauth = aclient.wechat_oauth_url(f"{SHOP}/back")
    assert isinstance(oauth, str) and oauth == sb.client().wechat_oauth_url(f"{SHOP}/back")
    for name in ("checkout_url", "verify_checkout_url", "wechat_oauth_url", "cashier_url"):
        assert not inspect.iscoroutinefunction(getattr(qfpay.AsyncClient, name)), name
    with pytest.raises(qfpay.ValidationError):
        aclient.checkout_url(100, "HKD", f"{SHOP}/ok", f"{SHOP}/failed", f"{SHOP}/notify",
                             timeout=5)  # type: ignore[call-arg]

    async def exchange() -> str:
        r = requests.get(oauth, allow_redirects=False, timeout=10)
        code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
        return await aclient.get_wechat_openid(code)

    assert len(asyncio.run(exchange())) == 28


# -- pay codes ------------------------------------------------------------------------------

def test_current_and_legacy_pay_codes(sb: Sandbox) -> None:
    client = sb.client(max_retries=0)
    assert client.create_payment(100, "THB", "802901").qrcode  # PromptPay, a current code
    assert client.create_payment(100, "HKD", "800710").pay_url  # UnionPay in-app
    assert client.create_payment(100, "HKD", "800151").syssn  # a legacy code: accepted by default
    with Sandbox(rate_limit=False, strict_pay_types=True) as strict:
        with pytest.raises(qfpay.InvalidRequestError) as info:
            strict.client(max_retries=0).create_payment(100, "HKD", "800151")
        assert info.value.respcd == "1104"


def test_pay_url_page_pays_and_returns(sb: Sandbox, receiver: Receiver) -> None:
    client = sb.client(max_retries=0)
    payment = client.create_payment(880, "HKD", "801512", return_url=f"{SHOP}/alipay/done", notify_url=receiver.url)
    assert payment.pay_url == f"{sb.base_url}/sandbox/checkout/{payment.syssn}"
    page = requests.get(payment.pay_url, timeout=10)
    assert page.status_code == 200 and payment.out_trade_no in page.text
    paid = page_post(sb, f"/sandbox/checkout/{payment.syssn}", {"action": "pay"})
    assert paid["ok"] and paid["redirect"] == f"{SHOP}/alipay/done", paid
    assert receiver.wait_for(payment.out_trade_no).is_success
    found = client.find_payment(payment.out_trade_no)
    assert found is not None and found.state == "succeeded"
