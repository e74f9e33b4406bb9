"""The shop's views: create → QR → notification → confirm by query → refund, and close.

Every POST but the notification needs Django's CSRF token (the page's form has it); QFPay cannot
send one, so ``qfpay_notify`` is ``csrf_exempt``: its signature authenticates it instead.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponse, JsonResponse  # type: ignore[import-untyped]
from django.middleware.csrf import get_token  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]
from django.views.decorators.http import require_GET, require_POST  # type: ignore[import-untyped]

import qfpay

from .models import Order

client = qfpay.Client.from_env()  # one per process, shared by its threads; safe across fork()
CLIENT_KEY = os.environ["QFPAY_CLIENT_KEY"]
log = logging.getLogger("shop")


def confirm(order: Order) -> None:
    """Asks QFPay for the order's state and records it (a notification alone proves nothing)."""
    found = client.find_payment(order.out_trade_no)
    if found is not None and found.txamt == order.amount and found.txcurrcd == order.currency:
        order.state, order.syssn = found.state, found.syssn
        order.save(update_fields=["state", "syssn"])


@require_GET  # type: ignore[untyped-decorator]
def index(request: HttpRequest) -> HttpResponse:
    token = get_token(request)
    return HttpResponse(
        f'<form method="post" action="/orders"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input name="amount" value="300"> HKD cents <button>Pay</button></form>'
    )


@require_POST  # type: ignore[untyped-decorator]
def create_order(request: HttpRequest) -> JsonResponse:
    order = Order.objects.create(out_trade_no=qfpay.generate_out_trade_no(),  # generate, store, then call
                                 amount=int(request.POST["amount"]), currency=request.POST.get("currency", "HKD"))
    try:
        payment = client.wechat_qr(order.amount, order.currency, out_trade_no=order.out_trade_no,
                                   goods_name="Coffee", notify_url=f"{settings.SHOP_PUBLIC_URL}/qfpay/notify")
    except qfpay.ValidationError as e:
        Order.objects.filter(pk=order.pk).update(state="failed")
        return JsonResponse({"error": "validation", "field": e.field, "rule": e.rule}, status=400)
    except qfpay.StatusUnknownError:  # GET /orders/<number> will query it
        return JsonResponse({"error": "status_unknown", "out_trade_no": order.out_trade_no}, status=502)
    except qfpay.QfPayError as e:
        Order.objects.filter(pk=order.pk).update(state="failed")
        return JsonResponse({"error": e.code, "respcd": e.respcd, "out_trade_no": order.out_trade_no}, status=502)
    Order.objects.filter(pk=order.pk).update(qrcode=payment.qrcode or "")
    return JsonResponse({"out_trade_no": order.out_trade_no, "qrcode": payment.qrcode,
                         "qr_svg": f"/orders/{order.out_trade_no}/qr.svg"}, status=201)


@require_GET  # type: ignore[untyped-decorator]
def qr_svg(request: HttpRequest, number: str) -> HttpResponse:
    order = Order.objects.filter(pk=number).first()
    if order is None or not order.qrcode:
        return HttpResponse("no such order", status=404, content_type="text/plain")
    return HttpResponse(qfpay.qr_svg(order.qrcode), content_type="image/svg+xml")


@require_GET  # type: ignore[untyped-decorator]
def order_status(request: HttpRequest, number: str) -> JsonResponse:
    order = Order.objects.filter(pk=number).first()
    if order is None:
        return JsonResponse({"error": "not found"}, status=404)
    if order.state == "pending":
        confirm(order)  # the notification may be late or lost: ask QFPay
    return JsonResponse(order.as_dict())


@csrf_exempt  # type: ignore[untyped-decorator]
@require_POST  # type: ignore[untyped-decorator]
def qfpay_notify(request: HttpRequest) -> HttpResponse:
    try:  # the raw body: request.body (bytes), never a parsed and re-serialised copy
        n = qfpay.verify_notification(request.body, request.headers.get("X-QF-SIGN"), CLIENT_KEY)
    except qfpay.SignatureError:
        return HttpResponse("bad signature", status=401, content_type="text/plain")
    except qfpay.DecodeError:
        return HttpResponse("not a notification", status=400, content_type="text/plain")
    order = Order.objects.filter(pk=n.out_trade_no).first()
    if n.notify_type == "payment" and order is not None:
        try:
            confirm(order)  # idempotent: a resent notification only queries again
        except qfpay.QfPayError:
            log.warning("order %s left pending: the query failed", order.pk)  # the page asks again
    return HttpResponse(qfpay.NOTIFICATION_ACK, content_type="text/plain")


@require_POST  # type: ignore[untyped-decorator]
def refund(request: HttpRequest, number: str) -> JsonResponse:
    order = Order.objects.filter(pk=number).first()
    if order is None or order.state not in ("succeeded", "partially_refunded"):
        return JsonResponse({"error": "not paid"}, status=409)
    amount = int(request.POST["amount"])
    try:
        client.refund(order.syssn, amount, order.currency)
    except qfpay.ValidationError as e:
        return JsonResponse({"error": "validation", "field": e.field, "rule": e.rule}, status=400)
    except qfpay.QfPayError as e:
        return JsonResponse({"error": e.code, "respcd": e.respcd, "out_trade_no": e.out_trade_no}, status=502)
    order.refunded += amount
    order.state = "refunded" if order.refunded == order.amount else "partially_refunded"
    order.save(update_fields=["refunded", "state"])
    return JsonResponse(order.as_dict())


@require_POST  # type: ignore[untyped-decorator]
def close(request: HttpRequest, number: str) -> JsonResponse:
    order = Order.objects.filter(pk=number).first()
    if order is None or order.state != "pending":
        return JsonResponse({"error": "not pending"}, status=409)
    try:
        client.close(out_trade_no=order.out_trade_no, amount=order.amount, currency=order.currency)
    except qfpay.OrderStateError:  # paid meanwhile: keep it, refund instead
        confirm(order)
        return JsonResponse({"error": "already paid"}, status=409)
    except qfpay.QfPayError as e:
        return JsonResponse({"error": e.code, "respcd": e.respcd}, status=502)
    order.state = "cancelled"
    order.save(update_fields=["state"])
    return JsonResponse(order.as_dict())
