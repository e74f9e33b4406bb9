"""AsyncClient: every operation as an awaitable, errors raised on await."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest

import qfpay
from qfpay.testing import Sandbox

T = TypeVar("T")


def run(aw: Awaitable[T]) -> T:
    async def main() -> T:
        return await aw

    return asyncio.run(main())


def test_full_flow(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client(reconcile_timeout=1.0)
        payment = await client.wechat_qr(1200, "HKD", goods_name="Tea")
        assert isinstance(payment, qfpay.Payment) and payment.qrcode
        sandbox.pay(payment.syssn)
        paid = await client.wait_for_payment(payment.out_trade_no, timeout=5, interval=0.05)
        assert paid.state == "succeeded"
        found = await client.find_payment(payment.out_trade_no)
        assert found is not None and found.syssn == payment.syssn
        assert await client.find_payment("qfNOPE") is None
        page = await client.query(syssn=[payment.syssn])
        assert [t.syssn for t in page] == [payment.syssn]
        refund = await client.refund(payment.syssn, 200, "HKD")
        assert refund.txamt == 200 and refund.orig_syssn == payment.syssn

        pending = await client.create_payment(1002, "USD", "800201")
        t = await client.wait_for_payment(pending.out_trade_no, timeout=5, interval=0.05, max_interval=0.1)
        assert t.state == "succeeded" and t.txcurrcd == "USD"

        unpaid = await client.wechat_qr(333)
        closed = await client.close(out_trade_no=unpaid.out_trade_no, amount=333, currency="HKD")
        assert closed.respcd == "0000"
        unpaid2 = await client.wechat_qr(334)
        reversed_ = await client.reverse(syssn=unpaid2.syssn, amount=334, currency="HKD")
        assert reversed_.respcd == "0000"

        numbers = [(await client.wechat_qr(1001)).out_trade_no for _ in range(3)]
        seen = []
        async for p in client.query_pages(out_trade_no=numbers, page_size=2):
            assert isinstance(p, qfpay.QueryPage)
            seen.extend(t.out_trade_no for t in p)
        assert sorted(seen) == sorted(numbers)

    asyncio.run(main())


def test_errors_on_await(sandbox: Sandbox) -> None:
    client = sandbox.async_client()
    with pytest.raises(qfpay.DeclinedError) as info:
        run(client.wechat_qr(1003))
    assert info.value.respcd == "1201"

    before = sandbox.request_count()
    with pytest.raises(qfpay.ValidationError) as v:
        run(client.wechat_qr(0))
    assert v.value.field == "txamt"
    with pytest.raises(qfpay.ValidationError) as v:
        run(client.wechat_qr(100, "GBP"))  # conversion errors also surface on await
    assert v.value.field == "txcurrcd"
    assert sandbox.request_count() == before

    sandbox.inject_fault("delay", 1, delay=0.6)
    with pytest.raises(qfpay.RequestTimeoutError):
        run(client.query(out_trade_no="qfT", timeout=0.2))


def test_status_unknown_on_await(sandbox: Sandbox) -> None:
    client = sandbox.async_client(reconcile_timeout=0.3)
    with pytest.raises(qfpay.StatusUnknownError) as info:
        run(client.wechat_qr(1004, out_trade_no="qfASYNC1004"))
    assert info.value.out_trade_no == "qfASYNC1004"
