"""Issue 9.3 and 9.9: every error from a money-moving call names its order (``out_trade_no``,
and ``syssn`` when known); a re-submitted order number is answered with the existing
transaction on ``DuplicateOrderError.existing``."""

from __future__ import annotations

import pytest

import qfpay
from qfpay.testing import Sandbox


def test_declined_rate_limited_validation_name_the_order(sandbox: Sandbox, client: qfpay.Client) -> None:
    with pytest.raises(qfpay.DeclinedError) as declined:
        client.wechat_qr(1003, "HKD", out_trade_no="qfERR-DECLINED")
    assert declined.value.out_trade_no == "qfERR-DECLINED"

    with pytest.raises(qfpay.DeclinedError) as generated:
        client.wechat_qr(1003, "HKD")
    assert generated.value.out_trade_no and generated.value.out_trade_no.startswith("qf")
    assert generated.value.out_trade_no in str(generated.value)

    with pytest.raises(qfpay.RateLimitedError) as limited:
        client.wechat_qr(1007, "HKD", out_trade_no="qfERR-429", max_retries=0)
    assert limited.value.out_trade_no == "qfERR-429"

    with pytest.raises(qfpay.ValidationError) as invalid:
        client.wechat_qr(100, "HKD", out_trade_no="qfERR-VALID", goods_name="x" * 500)
    assert invalid.value.out_trade_no == "qfERR-VALID"


def test_auth_and_network_errors_name_the_order(sandbox: Sandbox) -> None:
    wrong_key = qfpay.Client(sandbox.app_code, "WRONG" * 6, base_url=sandbox.base_url)
    with pytest.raises(qfpay.AuthError) as auth:
        wrong_key.wechat_qr(100, "HKD", out_trade_no="qfERR-AUTH")
    assert auth.value.out_trade_no == "qfERR-AUTH"

    nowhere = qfpay.Client(sandbox.app_code, sandbox.client_key, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(qfpay.QfPayError) as net:
        nowhere.wechat_qr(100, "HKD", out_trade_no="qfERR-NET")
    assert net.value.code in ("network", "status_unknown")
    assert net.value.out_trade_no == "qfERR-NET"
    if net.value.code == "network":
        assert net.value.sent is False


def test_refund_close_reverse_errors_name_the_order(sandbox: Sandbox, client: qfpay.Client) -> None:
    paid = client.wechat_qr(1001, "HKD")
    with pytest.raises(qfpay.ApiError) as too_much:
        client.refund(paid.syssn, 999_999, "HKD", out_trade_no="qfERR-REFUND")
    assert too_much.value.out_trade_no == "qfERR-REFUND"

    with pytest.raises(qfpay.QfPayError) as closing:
        client.close(out_trade_no=paid.out_trade_no, amount=1001, currency="HKD")
    assert closing.value.out_trade_no == paid.out_trade_no


def test_resubmitted_paid_order_is_answered_with_the_existing_transaction(
    sandbox: Sandbox, client: qfpay.Client
) -> None:
    number = qfpay.generate_out_trade_no()
    first = client.wechat_qr(1001, "HKD", out_trade_no=number)
    with pytest.raises(qfpay.DuplicateOrderError) as dup:
        client.wechat_qr(1001, "HKD", out_trade_no=number)
    e = dup.value
    assert e.out_trade_no == number
    assert isinstance(e.existing, qfpay.Transaction)
    assert e.existing.state == "succeeded" and e.existing.is_paid
    assert e.existing.syssn == first.syssn
    assert e.existing.txamt == 1001 and e.existing.txcurrcd == "HKD"

    unpaid = client.wechat_qr(2500, "HKD")
    with pytest.raises(qfpay.DuplicateOrderError) as dup2:
        client.wechat_qr(2500, "HKD", out_trade_no=unpaid.out_trade_no)
    assert dup2.value.existing is not None and dup2.value.existing.state == "pending"


def test_status_unknown_names_the_order_and_syssn(sandbox: Sandbox) -> None:
    client = sandbox.client(reconcile_timeout=0.3)
    with pytest.raises(qfpay.StatusUnknownError) as info:
        client.wechat_qr(1004, "HKD", out_trade_no="qfERR-UNKNOWN")
    assert info.value.out_trade_no == "qfERR-UNKNOWN"
    assert "qfERR-UNKNOWN" in str(info.value)
