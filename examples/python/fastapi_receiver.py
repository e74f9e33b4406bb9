"""A QFPay notification receiver in FastAPI.

Verify the raw body (``await request.body()``, never a pydantic model of it), handle the
notification idempotently, answer ``200 SUCCESS``; a bad signature gets ``401``.

    QFPAY_CLIENT_KEY=... uvicorn fastapi_receiver:app
"""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

import qfpay


def create_app(client_key: str, on_notification: Callable[[qfpay.Notification], None]) -> FastAPI:
    """A FastAPI app with ``POST /qfpay/notify``."""
    app = FastAPI()

    @app.post("/qfpay/notify", response_class=PlainTextResponse)
    async def notify(request: Request) -> PlainTextResponse:
        raw = await request.body()  # the exact bytes QFPay signed
        try:
            n = qfpay.verify_notification(raw, request.headers.get("X-QF-SIGN"), client_key)
        except qfpay.SignatureError:
            return PlainTextResponse("bad signature", status_code=401)
        except qfpay.DecodeError:
            return PlainTextResponse("not a notification", status_code=400)
        on_notification(n)  # idempotent: QFPay may send the same notification again
        return PlainTextResponse(qfpay.NOTIFICATION_ACK, status_code=200)

    return app


def _mark_paid(n: qfpay.Notification) -> None:
    if n.notify_type == "payment" and n.is_success:
        print("paid:", n.out_trade_no, n.syssn, n.txamt, n.txcurrcd)


if os.environ.get("QFPAY_CLIENT_KEY"):
    app = create_app(os.environ["QFPAY_CLIENT_KEY"], _mark_paid)
