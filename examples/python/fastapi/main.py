"""A FastAPI shop that takes WeChat Pay through QFPay with ``qfpay.AsyncClient``:
create → QR → notification → confirm by query → refund, and close an unpaid order; or QFPay's
hosted checkout page: checkout link → the customer pays there → notification → result page.

    QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=... QFPAY_ENV=live_test \
    SHOP_PUBLIC_URL=https://shop.example.com uvicorn main:app --host 127.0.0.1 --port 8000

Every QFPay call is awaited: none blocks the event loop, and no handler waits for the customer
(``wait_for_payment``); the notification and the order page's query tell when it is paid.
``checkout_url`` sends nothing, so it is a plain call, not awaited.
Orders live in SQLite (``SHOP_DB``, default ``shop.sqlite3``; microsecond calls, kept inline).
"""

from __future__ import annotations

import html
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel

import qfpay

app = FastAPI()
client = qfpay.AsyncClient.from_env()  # QFPAY_APP_CODE, QFPAY_CLIENT_KEY, QFPAY_ENV or QFPAY_BASE_URL
CLIENT_KEY = os.environ["QFPAY_CLIENT_KEY"]
PUBLIC_URL = os.environ.get("SHOP_PUBLIC_URL", "http://127.0.0.1:8000")  # where QFPay reaches us
DB = os.environ.get("SHOP_DB", "shop.sqlite3")
log = logging.getLogger("shop")


class NewOrder(BaseModel):
    amount: int  # minor units: 300 = HK$3.00
    currency: str = "HKD"


class RefundRequest(BaseModel):
    amount: int


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


def show(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in ("out_trade_no", "amount", "currency", "state", "syssn", "refunded")}


async def confirm(row: sqlite3.Row) -> None:
    """Asks QFPay for the order's state and records it (a notification alone proves nothing)."""
    found = await client.find_payment(row["out_trade_no"])
    if found is not None and found.txamt == row["amount"] and found.txcurrcd == row["currency"]:
        update(row["out_trade_no"], state=found.state, syssn=found.syssn)


@app.get("/", response_class=HTMLResponse)
async def index() -> str:
    return "<p>POST /orders with {\"amount\": 300} to pay HK$3.00</p>"


@app.post("/orders", status_code=201)
async def create_order(new: NewOrder) -> JSONResponse:
    number = qfpay.generate_out_trade_no()  # generate, store, then call: the number survives any failure
    with db() as conn:
        conn.execute("INSERT INTO orders (out_trade_no, amount, currency, state) VALUES (?, ?, ?, 'pending')",
                     (number, new.amount, new.currency))
    try:
        payment = await client.wechat_qr(new.amount, new.currency, out_trade_no=number, goods_name="Coffee",
                                         notify_url=f"{PUBLIC_URL}/qfpay/notify")
    except qfpay.ValidationError as e:
        update(number, state="failed")
        return JSONResponse({"error": "validation", "field": e.field, "rule": e.rule}, status_code=400)
    except qfpay.StatusUnknownError:  # GET /orders/<number> will query it
        return JSONResponse({"error": "status_unknown", "out_trade_no": number}, status_code=502)
    except qfpay.QfPayError as e:
        update(number, state="failed")
        return JSONResponse({"error": e.code, "respcd": e.respcd, "out_trade_no": number}, status_code=502)
    update(number, qrcode=payment.qrcode)
    return JSONResponse({"out_trade_no": number, "qrcode": payment.qrcode, "qr_svg": f"/orders/{number}/qr.svg"},
                        status_code=201)


@app.post("/checkout", response_model=None)
async def checkout(new: NewOrder) -> RedirectResponse | JSONResponse:
    """Stores the order, then sends the customer to QFPay's hosted checkout page."""
    number = qfpay.generate_out_trade_no()
    with db() as conn:
        conn.execute("INSERT INTO orders (out_trade_no, amount, currency, state) VALUES (?, ?, ?, 'pending')",
                     (number, new.amount, new.currency))
    result = f"{PUBLIC_URL}/orders/{number}/result"  # QFPay's redirects carry no result: the page queries
    try:
        link = client.checkout_url(new.amount, new.currency, result, result, f"{PUBLIC_URL}/qfpay/notify",
                                   out_trade_no=number, goods_name="Coffee", cancel_url=f"{PUBLIC_URL}/")
    except qfpay.ValidationError as e:
        update(number, state="failed")
        return JSONResponse({"error": "validation", "field": e.field, "rule": e.rule}, status_code=400)
    return RedirectResponse(link.url, status_code=303)


STATES = {"succeeded": "Paid", "pending": "Waiting for payment", "failed": "The payment failed",
          "cancelled": "Cancelled"}


@app.get("/orders/{number}/result", response_class=HTMLResponse)
async def result_page(number: str) -> HTMLResponse:
    """Where the checkout page sends the customer back: the order's state, queried while pending."""
    row = load(number)
    if row is None:
        return HTMLResponse("<h1>No such order</h1>", status_code=404)
    if row["state"] == "pending":
        try:
            await confirm(row)
        except qfpay.QfPayError:
            log.warning("order %s: the query failed", number)  # shown as waiting; reload asks again
        row = load(number)
        assert row is not None
    state = str(row["state"])
    return HTMLResponse(f'<h1>Order {html.escape(number)}</h1><p id="state" data-state="{html.escape(state)}">'
                        f"{html.escape(STATES.get(state, state))}</p>")


@app.get("/orders/{number}/qr.svg")
async def qr_svg(number: str) -> Response:
    row = load(number)
    if row is None or not row["qrcode"]:
        return PlainTextResponse("no such order", status_code=404)
    return Response(qfpay.qr_svg(row["qrcode"]), media_type="image/svg+xml")


@app.get("/orders/{number}")
async def order_status(number: str) -> JSONResponse:
    row = load(number)
    if row is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    if row["state"] == "pending":
        await confirm(row)  # the notification may be late or lost: ask QFPay
        row = load(number)
        assert row is not None
    return JSONResponse(show(row))


@app.post("/qfpay/notify")
async def qfpay_notify(request: Request) -> PlainTextResponse:
    raw = await request.body()  # the exact bytes QFPay signed, never a pydantic model of them
    try:
        n = qfpay.verify_notification(raw, request.headers.get("X-QF-SIGN"), CLIENT_KEY)
    except qfpay.SignatureError:
        return PlainTextResponse("bad signature", status_code=401)
    except qfpay.DecodeError:
        return PlainTextResponse("not a notification", status_code=400)
    row = load(n.out_trade_no)
    if n.notify_type == "payment" and row is not None:
        try:
            await confirm(row)  # idempotent: a resent notification only queries again
        except qfpay.QfPayError:
            log.warning("order %s left pending: the query failed", n.out_trade_no)  # the page asks again
    return PlainTextResponse(qfpay.NOTIFICATION_ACK)


@app.post("/orders/{number}/refund")
async def refund(number: str, body: RefundRequest) -> JSONResponse:
    row = load(number)
    if row is None or row["state"] not in ("succeeded", "partially_refunded"):
        return JSONResponse({"error": "not paid"}, status_code=409)
    try:
        await client.refund(row["syssn"], body.amount, row["currency"])
    except qfpay.ValidationError as e:
        return JSONResponse({"error": "validation", "field": e.field, "rule": e.rule}, status_code=400)
    except qfpay.QfPayError as e:
        return JSONResponse({"error": e.code, "respcd": e.respcd, "out_trade_no": e.out_trade_no}, status_code=502)
    refunded = row["refunded"] + body.amount
    update(number, refunded=refunded, state="refunded" if refunded == row["amount"] else "partially_refunded")
    row = load(number)
    assert row is not None
    return JSONResponse(show(row))


@app.post("/orders/{number}/close")
async def close(number: str) -> JSONResponse:
    row = load(number)
    if row is None or row["state"] != "pending":
        return JSONResponse({"error": "not pending"}, status_code=409)
    try:
        await client.close(out_trade_no=number, amount=row["amount"], currency=row["currency"])
    except qfpay.OrderStateError:  # paid meanwhile: keep it, refund instead
        await confirm(row)
        return JSONResponse({"error": "already paid"}, status_code=409)
    except qfpay.QfPayError as e:
        return JSONResponse({"error": e.code, "respcd": e.respcd}, status_code=502)
    update(number, state="cancelled")
    row = load(number)
    assert row is not None
    return JSONResponse(show(row))
