"""The sandbox scenarios through the sync client: pay, scan, query, refund; pending then wait;
declined; duplicate order; close; reversal; bad input rejected before sending; faults."""

from __future__ import annotations

import time

import pytest

import qfpay
from qfpay.testing import Merchant, Sandbox


def test_wechat_qr_scan_query_refund(sandbox: Sandbox, client: qfpay.Client) -> None:
    payment = client.wechat_qr(2500, "HKD", goods_name="Coffee")
    assert isinstance(payment, qfpay.Payment)
    assert payment.respcd == "0000"
    assert payment.pay_type == "800201"
    assert payment.txamt == 2500 and isinstance(payment.txamt, int)
    assert payment.qrcode and payment.qrcode.startswith("weixin://")
    assert payment.raw["qrcode"] == payment.qrcode
    svg = qfpay.qr_svg(payment.qrcode)
    assert svg.startswith("<?xml") or "<svg" in svg
    assert qfpay.qr_png(payment.qrcode)[:8] == b"\x89PNG\r\n\x1a\n"

    # Not paid until the customer scans.
    found = client.find_payment(payment.out_trade_no)
    assert found is not None and found.state == "pending" and not found.is_paid

    record = sandbox.pay(payment.out_trade_no)  # the customer's scan
    assert record["respcd"] == "0000"

    paid = client.find_payment(payment.out_trade_no)
    assert paid is not None
    assert paid.state == "succeeded" and paid.is_paid
    assert paid.syssn == payment.syssn

    page = client.query(syssn=payment.syssn)
    assert isinstance(page, qfpay.QueryPage)
    assert [t.out_trade_no for t in page] == [payment.out_trade_no]
    assert len(page) == 1 and page.data[0].txamt == 2500

    refund = client.refund(payment.syssn, 1000, "HKD")
    assert isinstance(refund, qfpay.Refund)
    assert refund.respcd == "0000" and refund.txamt == 1000
    assert refund.orig_syssn == payment.syssn
    after = client.find_payment(payment.out_trade_no)
    assert after is not None and after.state == "partially_refunded"

    refund2 = client.refund(payment.syssn, 1500, "HKD")
    assert refund2.txamt == 1500
    after = client.find_payment(payment.out_trade_no)
    assert after is not None and after.state == "refunded"

    with pytest.raises(qfpay.ApiError) as info:
        client.refund(payment.syssn, 1, "HKD")
    assert info.value.code in ("refund_rejected", "order_state")
    assert info.value.respcd


def test_paid_at_once_then_wait(client: qfpay.Client) -> None:
    payment = client.create_payment(1001, "HKD", qfpay.WECHAT_QR)
    t = client.wait_for_payment(payment.out_trade_no, timeout=5, interval=0.05)
    assert t.state == "succeeded"


def test_pending_then_wait(client: qfpay.Client) -> None:
    payment = client.wechat_qr(1002, "HKD")
    t = client.wait_for_payment(payment.out_trade_no, timeout=10, interval=0.05, max_interval=0.1)
    assert isinstance(t, qfpay.Transaction)
    assert t.state == "succeeded" and t.out_trade_no == payment.out_trade_no


def test_wait_times_out_with_status_unknown(client: qfpay.Client) -> None:
    payment = client.wechat_qr(777, "HKD")  # waits for a scan that never comes
    with pytest.raises(qfpay.StatusUnknownError) as info:
        client.wait_for_payment(payment.out_trade_no, timeout=0.3, interval=0.05)
    assert info.value.out_trade_no == payment.out_trade_no
    assert info.value.code == "status_unknown"


def test_declined(sandbox: Sandbox, client: qfpay.Client) -> None:
    with pytest.raises(qfpay.DeclinedError) as info:
        client.wechat_qr(1003, "HKD")
    e = info.value
    assert isinstance(e, qfpay.ApiError) and isinstance(e, qfpay.QfPayError)
    assert e.code == "declined" and e.respcd == "1201"
    assert e.resperr and e.http_status == 200
    assert "1201" in str(e)


def test_duplicate_order(client: qfpay.Client) -> None:
    number = qfpay.generate_out_trade_no()
    client.wechat_qr(300, "HKD", out_trade_no=number)
    with pytest.raises(qfpay.DuplicateOrderError) as info:
        client.wechat_qr(300, "HKD", out_trade_no=number)
    assert info.value.code == "duplicate_order"
    assert info.value.respcd


def test_pending_on_create_is_status_unknown(sandbox: Sandbox) -> None:
    c = sandbox.client(reconcile_timeout=0.3)
    with pytest.raises(qfpay.StatusUnknownError) as info:
        c.wechat_qr(1004, "HKD", out_trade_no="qfPENDING1004")
    assert info.value.out_trade_no == "qfPENDING1004"
    assert info.value.respcd in ("1143", "1145")  # the last code seen (create, then queries)
    # The order exists and is still pending; paying it settles it.
    sandbox.pay("qfPENDING1004")
    t = c.find_payment("qfPENDING1004")
    assert t is not None and t.state == "succeeded"


def test_server_error_reconciles_to_the_created_order(client: qfpay.Client) -> None:
    # 1006: the order is created, then HTTP 500; the client queries and finds it.
    try:
        payment = client.wechat_qr(1006, "HKD", out_trade_no="qfSERVER1006")
        assert payment.out_trade_no == "qfSERVER1006"
    except qfpay.StatusUnknownError as e:
        assert e.out_trade_no == "qfSERVER1006"


def test_rate_limited(sandbox: Sandbox) -> None:
    c = sandbox.client(max_retries=0)
    with pytest.raises(qfpay.RateLimitedError) as info:
        c.wechat_qr(1007, "HKD")
    assert info.value.code == "rate_limited"
    assert info.value.http_status == 429
    assert info.value.retry_after == 1.0 and isinstance(info.value.retry_after, float)  # seconds


def test_close_unpaid_order(client: qfpay.Client) -> None:
    payment = client.wechat_qr(400, "HKD")
    closed = client.close(out_trade_no=payment.out_trade_no, amount=400, currency="HKD")
    assert isinstance(closed, qfpay.Cancellation)
    assert closed.respcd == "0000"
    t = client.find_payment(payment.out_trade_no)
    assert t is not None and t.state == "cancelled"
    with pytest.raises(qfpay.OrderStateError):
        client.close(out_trade_no=payment.out_trade_no, amount=400, currency="HKD")


def test_reverse(client: qfpay.Client) -> None:
    payment = client.wechat_qr(450, "HKD")
    reversed_ = client.reverse(syssn=payment.syssn, amount=450, currency="HKD")
    assert reversed_.respcd == "0000"


def test_query_pages_and_find_none(client: qfpay.Client) -> None:
    numbers = [client.wechat_qr(1001, "HKD").out_trade_no for _ in range(3)]
    pages = list(client.query_pages(out_trade_no=numbers, page_size=2))
    assert [len(p) for p in pages][:2] == [2, 1]
    assert sorted(t.out_trade_no for p in pages for t in p) == sorted(numbers)
    assert client.find_payment("qfNOSUCHORDER") is None


def test_bad_input_rejected_before_sending(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(0, "HKD")
    assert info.value.field == "txamt"
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(300, "XYZ")
    assert info.value.field == "txcurrcd"
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(300, goods_name="x" * 65)
    assert info.value.field == "goods_name"
    assert isinstance(info.value, ValueError)  # also a ValueError
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(300, extend_info={"user_creid": "123", "user_truename": "A"})
    assert info.value.field == "extend_info.user_creid"
    # The documented form, a JSON string, gets the same real-name rules (issue 9 item 2).
    for text, field in [
        ('{"user_creid":"123","user_truename":"A"}', "extend_info.user_creid"),
        ('{"user_creid":"110105194912310021","user_truename":"A"}', "extend_info.user_creid"),
        ('{"user_creid":"11010519491231002X","user_truename":""}', "extend_info.user_truename"),
    ]:
        with pytest.raises(qfpay.ValidationError) as info:
            client.wechat_qr(300, extend_info=text)
        assert info.value.field == field, text
    with pytest.raises(qfpay.ValidationError) as info:
        client.close(amount=300, currency="HKD")
    assert info.value.field == "syssn"
    with pytest.raises(qfpay.ValidationError) as info:
        client.query(page_size=1000)
    assert info.value.field == "page_size"
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(300, expired_time=-1)
    assert info.value.field == "expired_time"
    with pytest.raises(TypeError):
        client.wechat_qr(3.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.wechat_qr(True)
    assert sandbox.request_count() == before


def test_real_name_extend_info_accepted(client: qfpay.Client) -> None:
    p = client.wechat_qr(300, extend_info={"user_creid": "11010519491231002X", "user_truename": "小林"})
    assert p.respcd == "0000"
    p = client.wechat_qr(300, extend_info='{"user_creid":"11010519491231002X","user_truename":"\\u5c0f\\u6797"}')
    assert p.respcd == "0000"


def test_timeout_is_a_timeout_error(sandbox: Sandbox, client: qfpay.Client) -> None:
    sandbox.inject_fault("delay", 1, delay=0.8)
    with pytest.raises(qfpay.RequestTimeoutError) as info:
        client.query(out_trade_no="qfSLOW", timeout=0.2)
    assert isinstance(info.value, TimeoutError)
    assert info.value.code == "timeout"


def test_fault_delay_is_seconds(sandbox: Sandbox, client: qfpay.Client) -> None:
    # Issue 23: the sandbox's delay is seconds (a float), like every Python duration.
    sandbox.inject_fault("delay", 1, delay=0.3)
    start = time.monotonic()
    client.query(out_trade_no="qfDELAY")
    assert 0.3 <= time.monotonic() - start < 2.0
    for bad in (-1.0, float("nan")):
        with pytest.raises(qfpay.ValidationError) as info:
            sandbox.inject_fault("delay", 1, delay=bad)
        assert info.value.field == "delay"
    with pytest.raises(TypeError):
        sandbox.inject_fault("delay", 1, ms=300)  # type: ignore[call-arg]


def test_network_error_when_nothing_listens() -> None:
    c = qfpay.Client("APP", "KEY", base_url="http://127.0.0.1:9", max_retries=0, connect_timeout=0.5)
    with pytest.raises(qfpay.NetworkError) as info:
        c.query(out_trade_no="qfX")
    assert info.value.sent is False


def test_wrong_key_is_auth_error(sandbox: Sandbox) -> None:
    c = qfpay.Client(sandbox.app_code, "WRONGKEY", base_url=sandbox.base_url)
    with pytest.raises(qfpay.AuthError) as info:
        c.query(out_trade_no="qfX")
    assert info.value.respcd == "1108"


def test_mchid_merchant() -> None:
    m = Merchant("APPMCH", "KEYMCH", "MCH0001")
    with Sandbox([m]) as sb:
        assert sb.mchid == "MCH0001"
        c = sb.client()
        assert c.mchid == "MCH0001"
        p = c.wechat_qr(1001, "HKD")
        assert p.respcd == "0000"
        logged = sb.requests()[-1]
        assert "MCH0001" in repr(logged)
