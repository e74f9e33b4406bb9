"""Asyncio: several WeChat QR payments at once with ``qfpay.AsyncClient``, then their state.

    QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=... QFPAY_ENV=live_test python async_payments.py [count]
"""

from __future__ import annotations

import asyncio
import sys

import qfpay


async def main(count: int) -> int:
    client = qfpay.AsyncClient.from_env()
    payments = await asyncio.gather(*(client.wechat_qr(300 + i, "HKD", goods_name=f"order {i}") for i in range(count)))
    for p in payments:
        print(p.out_trade_no, p.qrcode)
    numbers = [p.out_trade_no for p in payments]
    async for page in client.query_pages(out_trade_no=numbers):
        for t in page:
            print(t.out_trade_no, t.state)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
