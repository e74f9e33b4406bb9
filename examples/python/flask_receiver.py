"""A QFPay notification receiver in Flask.

Verify the raw body (``request.get_data()``, never ``request.json``), handle the notification
idempotently, answer ``200 SUCCESS``; a bad signature gets ``401`` (never 500), so QFPay's retry
is for real failures only.

    QFPAY_CLIENT_KEY=... flask --app flask_receiver run
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import Flask, Response, request

import qfpay


def create_app(client_key: str, on_notification: Callable[[qfpay.Notification], None]) -> Flask:
    """A Flask app with ``POST /qfpay/notify``."""
    app = Flask(__name__)

    @app.post("/qfpay/notify")
    def notify() -> Response:
        try:
            n = qfpay.verify_notification(request.get_data(), request.headers.get("X-QF-SIGN"), client_key)
        except qfpay.SignatureError:
            return Response("bad signature", status=401, mimetype="text/plain")
        except qfpay.DecodeError:
            return Response("not a notification", status=400, mimetype="text/plain")
        on_notification(n)  # idempotent: QFPay may send the same notification again
        return Response(qfpay.NOTIFICATION_ACK, status=200, mimetype="text/plain")

    return app


def _mark_paid(n: qfpay.Notification) -> None:
    if n.notify_type == "payment" and n.is_success:
        print("paid:", n.out_trade_no, n.syssn, n.txamt, n.txcurrcd)


if __name__ == "__main__":
    create_app(os.environ["QFPAY_CLIENT_KEY"], _mark_paid).run(port=8000)
