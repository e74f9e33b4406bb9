"""A Flask shop that takes WeChat Pay through QFPay: create → QR → notification → query → refund;
or QFPay's hosted checkout page: checkout link → the customer pays there → notification → result page.

    QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=... QFPAY_ENV=live_test \
    SHOP_PUBLIC_URL=https://shop.example.com gunicorn -w 2 -b 127.0.0.1:8000 app:app

Orders live in SQLite (``SHOP_DB``, default ``shop.sqlite3``), shared by gunicorn's workers.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, jsonify, redirect, request
from markupsafe import escape
from werkzeug.wrappers import Response as Redirect

import qfpay

app = Flask(__name__)
client = qfpay.Client.from_env()  # QFPAY_APP_CODE, QFPAY_CLIENT_KEY, QFPAY_ENV or QFPAY_BASE_URL
CLIENT_KEY = os.environ["QFPAY_CLIENT_KEY"]
PUBLIC_URL = os.environ.get("SHOP_PUBLIC_URL", "http://127.0.0.1:8000")  # where QFPay reaches us
DB = os.environ.get("SHOP_DB", "shop.sqlite3")


@contextmanager
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(DB, timeout=10, isolation_level=None)  # autocommit
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(
            "CREATE TABLE IF NOT EXISTS orders (out_trade_no TEXT PRIMARY KEY, amount INTEGER, currency TEXT,"
            " state TEXT, qrcode TEXT, syssn TEXT, refunded INTEGER DEFAULT 0)"
        )
        yield conn
    finally:
        conn.close()


def load(number: str) -> sqlite3.Row | None:
    with db() as conn:
        row: sqlite3.Row | None = conn.execute("SELECT * FROM orders WHERE out_trade_no = ?", (number,)).fetchone()
        return row


def update(number: str, **fields: Any) -> None:
    with db() as conn:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE orders SET {sets} WHERE out_trade_no = ?", (*fields.values(), number))


def confirm(number: str) -> str:
    """Asks QFPay for the order's state and records it (a notification alone proves nothing)."""
    row = load(number)
    assert row is not None
    found = client.find_payment(number)
    if found is not None and found.txamt == row["amount"] and found.txcurrcd == row["currency"]:
        update(number, state=found.state, syssn=found.syssn)
        return found.state
    return str(row["state"])


def show(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in ("out_trade_no", "amount", "currency", "state", "syssn", "refunded")}


@app.get("/")
def index() -> str:
    return (
        '<form method="post" action="/orders"><input name="amount" value="300"> HKD cents <button>Pay</button></form>'
        '<form method="post" action="/checkout"><input name="amount" value="300"> HKD cents'
        " <button>Pay on QFPay's checkout page</button></form>"
    )


@app.post("/checkout")
def checkout() -> Redirect | tuple[Response, int]:
    """Stores the order, then sends the customer to QFPay's hosted checkout page (a signed link:
    nothing is sent to QFPay until the customer opens it)."""
    amount, currency = int(request.form["amount"]), request.form.get("currency", "HKD")
    number = qfpay.generate_out_trade_no()
    with db() as conn:
        conn.execute("INSERT INTO orders (out_trade_no, amount, currency, state) VALUES (?, ?, ?, 'pending')",
                     (number, amount, currency))
    result = f"{PUBLIC_URL}/orders/{number}/result"  # QFPay's redirects carry no result: the page queries
    try:
        link = client.checkout_url(amount, currency, result, result, f"{PUBLIC_URL}/qfpay/notify",
                                   out_trade_no=number, goods_name="Coffee", cancel_url=f"{PUBLIC_URL}/")
    except qfpay.ValidationError as e:
        update(number, state="failed")
        return jsonify(error="validation", field=e.field, rule=e.rule), 400
    return redirect(link.url, 303)


STATES = {"succeeded": "Paid", "pending": "Waiting for payment", "failed": "The payment failed",
          "cancelled": "Cancelled"}


@app.get("/orders/<number>/result")
def result_page(number: str) -> tuple[str, int]:
    """Where the checkout page sends the customer back (paid, failed or not): the state by query."""
    row = load(number)
    if row is None:
        return "<h1>No such order</h1>", 404
    if row["state"] == "pending":
        try:
            confirm(number)
        except qfpay.QfPayError:
            app.logger.warning("order %s: the query failed", number)  # shown as waiting; reload asks again
        row = load(number)
        assert row is not None
    state = str(row["state"])
    return (f'<h1>Order {escape(number)}</h1><p id="state" data-state="{escape(state)}">'
            f'{escape(STATES.get(state, state))}</p>'), 200


@app.post("/orders")
def create_order() -> tuple[Response, int]:
    amount, currency = int(request.form["amount"]), request.form.get("currency", "HKD")
    number = qfpay.generate_out_trade_no()  # generate, store, then call: the number survives any failure
    with db() as conn:
        conn.execute("INSERT INTO orders (out_trade_no, amount, currency, state) VALUES (?, ?, ?, 'pending')",
                     (number, amount, currency))
    try:
        payment = client.wechat_qr(amount, currency, out_trade_no=number, goods_name="Coffee",
                                   notify_url=f"{PUBLIC_URL}/qfpay/notify")
    except qfpay.ValidationError as e:
        update(number, state="failed")
        return jsonify(error="validation", field=e.field, rule=e.rule), 400
    except qfpay.StatusUnknownError:
        return jsonify(error="status_unknown", out_trade_no=number), 502  # GET /orders/<n> will query it
    except qfpay.QfPayError as e:
        update(number, state="failed")
        return jsonify(error=e.code, respcd=e.respcd, out_trade_no=number), 502
    update(number, qrcode=payment.qrcode)
    return jsonify(out_trade_no=number, qrcode=payment.qrcode, qr_svg=f"/orders/{number}/qr.svg"), 201


@app.get("/orders/<number>/qr.svg")
def qr_svg(number: str) -> Response:
    row = load(number)
    if row is None or not row["qrcode"]:
        return Response("no such order", status=404, mimetype="text/plain")
    return Response(qfpay.qr_svg(row["qrcode"]), mimetype="image/svg+xml")


@app.get("/orders/<number>")
def order_status(number: str) -> tuple[Response, int]:
    row = load(number)
    if row is None:
        return jsonify(error="not found"), 404
    if row["state"] == "pending":
        confirm(number)  # the notification may be late or lost: ask QFPay
        row = load(number)
        assert row is not None
    return jsonify(show(row)), 200


@app.post("/qfpay/notify")
def qfpay_notify() -> Response:
    try:  # the raw body: request.get_data(), never request.json (re-serialised bytes do not verify)
        n = qfpay.verify_notification(request.get_data(), request.headers.get("X-QF-SIGN"), CLIENT_KEY)
    except qfpay.SignatureError:
        return Response("bad signature", status=401, mimetype="text/plain")
    except qfpay.DecodeError:
        return Response("not a notification", status=400, mimetype="text/plain")
    if n.notify_type == "payment" and load(n.out_trade_no) is not None:
        try:
            confirm(n.out_trade_no)  # idempotent: a resent notification only queries again
        except qfpay.QfPayError:
            app.logger.warning("order %s left pending: the query failed", n.out_trade_no)  # the page asks again
    return Response(qfpay.NOTIFICATION_ACK, status=200, mimetype="text/plain")


@app.post("/orders/<number>/refund")
def refund(number: str) -> tuple[Response, int]:
    row = load(number)
    if row is None or row["state"] not in ("succeeded", "partially_refunded"):
        return jsonify(error="not paid"), 409
    amount = int(request.form["amount"])
    try:
        client.refund(row["syssn"], amount, row["currency"])
    except qfpay.ValidationError as e:
        return jsonify(error="validation", field=e.field, rule=e.rule), 400
    except qfpay.QfPayError as e:
        return jsonify(error=e.code, respcd=e.respcd, out_trade_no=e.out_trade_no), 502
    refunded = row["refunded"] + amount
    update(number, refunded=refunded, state="refunded" if refunded == row["amount"] else "partially_refunded")
    row = load(number)
    assert row is not None
    return jsonify(show(row)), 200


@app.post("/orders/<number>/close")
def close(number: str) -> tuple[Response, int]:
    row = load(number)
    if row is None or row["state"] != "pending":
        return jsonify(error="not pending"), 409
    try:
        client.close(out_trade_no=number, amount=row["amount"], currency=row["currency"])
    except qfpay.OrderStateError:  # paid meanwhile: keep it, refund instead
        confirm(number)
        return jsonify(error="already paid"), 409
    except qfpay.QfPayError as e:
        return jsonify(error=e.code, respcd=e.respcd), 502
    update(number, state="cancelled")
    row = load(number)
    assert row is not None
    return jsonify(show(row)), 200
