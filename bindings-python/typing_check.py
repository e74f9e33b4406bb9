"""A typed usage file: `mypy --strict typing_check.py` must pass (run by test.sh). It is also
executed by the test suite against the sandbox, so every line here is real usage."""

from __future__ import annotations

import asyncio

import qfpay
from qfpay.testing import Merchant, Sandbox


def sync_usage(sandbox: Sandbox) -> list[str]:
    client: qfpay.Client = sandbox.client(timeout=10.0, max_retries=1)
    payment: qfpay.Payment = client.wechat_qr(1001, "HKD", goods_name="Coffee", expired_time=10)
    qrcode: str | None = payment.qrcode
    amount: int = payment.txamt
    raw_amount: object = payment.raw["txamt"]
    svg: str = qfpay.qr_svg(qrcode or "x")
    png: bytes = qfpay.qr_png(qrcode or "x", scale=4)

    other = client.create_payment(
        500, "HKD", qfpay.WECHAT_QR, out_trade_no=qfpay.generate_out_trade_no(),
        extend_info={"user_creid": "11010519491231002X", "user_truename": "Lin"},
    )
    sandbox.pay(other.out_trade_no)
    paid: qfpay.Transaction = client.wait_for_payment(other.out_trade_no, timeout=5.0, interval=0.05)
    state: str = paid.state

    page: qfpay.QueryPage = client.query(out_trade_no=[payment.out_trade_no, other.out_trade_no], page_size=10)
    numbers = [t.out_trade_no for t in page]
    for p in client.query_pages(syssn=payment.syssn):
        numbers.extend(t.syssn for t in p.data)
    found: qfpay.Transaction | None = client.find_payment(payment.out_trade_no)
    if found is not None and found.is_paid:
        refund: qfpay.Refund = client.refund(found.syssn, 100, "HKD", timeout=5.0)
        numbers.append(refund.syssn)

    unpaid = client.wechat_qr(300)
    cancellation: qfpay.Cancellation = client.close(out_trade_no=unpaid.out_trade_no, amount=300, currency="HKD")
    numbers.append(cancellation.respcd)

    try:
        client.wechat_qr(1003)
    except qfpay.DeclinedError as e:
        respcd: str | None = e.respcd
        numbers.append(respcd or "")
    except qfpay.StatusUnknownError as e:
        number: str | None = e.out_trade_no
        numbers.append(number or "")
    except qfpay.QfPayError as e:
        code: str = e.code
        numbers.append(code)
    return numbers + [svg[:5], str(len(png)), str(amount), str(raw_amount), state]


async def async_usage(sandbox: Sandbox) -> int:
    client: qfpay.AsyncClient = sandbox.async_client()
    payments = await asyncio.gather(*(client.wechat_qr(1001, "HKD") for _ in range(4)))
    total = sum(p.txamt for p in payments)
    async for page in client.query_pages(out_trade_no=[p.out_trade_no for p in payments]):
        total += len(page)
    found = await client.find_payment(payments[0].out_trade_no)
    assert found is not None
    try:
        await client.wechat_qr(0)
    except qfpay.ValidationError as e:
        field: str | None = e.field
        assert field == "txamt"
    return total


def notification_usage(raw_body: bytes, header: str | None, key: str) -> qfpay.Notification | None:
    try:
        n = qfpay.verify_notification(raw_body, header, key)
    except qfpay.SignatureError:
        return None
    if n.is_success:
        print(n.out_trade_no, n.txamt, n.txcurrcd)
    return n


def online_usage(sandbox: Sandbox) -> list[str]:
    client = sandbox.client()
    link: qfpay.CheckoutLink = client.checkout_url(
        1200, "HKD", "https://shop.example/done", "https://shop.example/failed", "https://shop.example/notify",
        goods_name="Tea", checkout_expired_time=15, lang="en",
    )
    back: qfpay.CheckoutLink = client.verify_checkout_url(link.url)
    params: dict[str, object] = dict(back.params)
    oauth: str = client.wechat_oauth_url("https://shop.example/wechat", mchid="MCHTYPED")
    payment = client.create_payment(1500, "HKD", "800207", sub_openid="o" * 28, extra_params={"shop_ref": "7"})
    pay_params: qfpay.WechatPayParams | None = payment.wechat_pay_params
    cashier = ""
    if pay_params is not None:
        package: str = pay_params.package
        cashier = client.cashier_url(1500, "HKD", pay_params.raw, "Tea House", "https://shop.example/done")
        cashier += package
    aclient = sandbox.async_client()
    local: qfpay.CheckoutLink = aclient.checkout_url(
        100, "HKD", "https://shop.example/done", "https://shop.example/failed", "https://shop.example/notify"
    )
    web: str | None = payment.web_url
    return [link.url, str(len(params)), oauth, cashier, local.out_trade_no, web or ""]


def reconciliation_usage(sandbox: Sandbox) -> list[str]:
    client = sandbox.client()
    paid = client.wechat_qr(1001, "HKD")
    start, end = "2024-01-01 00:00:00", "2024-02-29 23:59:59"
    walk: qfpay.Transactions = client.transactions(start, end, pay_type=["800201"], min_interval=0)
    total: int = sum(t.txamt for t in walk if not t.is_refund)
    ledger: list[dict[str, object]] = [{"out_trade_no": paid.out_trade_no, "amount": 1001, "currency": "HKD"}]
    report: qfpay.ReconcileReport = client.reconcile(
        ledger, start, end, min_interval=0, pending_after=60.0
    )
    kinds: list[qfpay.DiscrepancyKind] = [d.kind for d in report.discrepancies]
    nets: list[int] = [n.net for n in report.net]
    report2 = client.reconcile("out_trade_no,amount,currency\nX,1,HKD\n", start, "2024-01-31 23:59:59")
    found = client.find_payment(paid.out_trade_no)
    others: list[str] = found.other_payments if found is not None else []
    try:
        client.refund(paid.syssn, 5000, "HKD")
    except qfpay.RefundRejectedError as e:
        available: int | None = e.available
        others.append(str(available))
    try:
        bill: qfpay.TradeBill = client.download_trade_bill("2026-01-01")
        content: bytes = bill.content
        names = [e.name for e in bill.entries]
        others.extend(names + [content[:2].hex()])
    except qfpay.QfPayError:
        pass
    settled: qfpay.Settlements = client.settlements("20240101", "20240131")
    others.extend(s.chnl_mch_id for s in settled)
    return [str(total), report.summary, report2.csv, report.json[:1], *kinds, *map(str, nets), *others]


async def async_reconciliation_usage(sandbox: Sandbox) -> int:
    client = sandbox.async_client()
    walk: qfpay.AsyncTransactions = client.transactions("2024-01-01 00:00:00", "2024-02-29 23:59:59", min_interval=0)
    count = 0
    async for t in walk:
        count += t.txamt
    report = await client.reconcile([], "2024-01-01 00:00:00", "2024-01-31 23:59:59")
    return count + int(report.clean)


def signing_usage() -> str:
    return qfpay.sign({"txamt": 10, "txcurrcd": "HKD", "pay_type": "800201"}, "KEY", "sha256")


def main() -> None:
    with Sandbox([Merchant("APPTYPED", "KEYTYPED", "MCHTYPED")], rate_limit=False) as sandbox:
        print(sync_usage(sandbox))
        print(asyncio.run(async_usage(sandbox)))
        body = b'{"notify_type": "payment", "status": "1", "txamt": "1"}'
        print(notification_usage(body, qfpay.notification_signature(body, "K"), "K"))
        print(signing_usage())
        print(online_usage(sandbox))
        print(reconciliation_usage(sandbox))
        print(asyncio.run(async_reconciliation_usage(sandbox)))
        env_client = qfpay.Client.from_env(base_url=sandbox.base_url, app_code="A", client_key="K")
        print(repr(env_client))


if __name__ == "__main__":
    main()
