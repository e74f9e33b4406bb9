"""A QFPay notification receiver as a Django view.

Verify the raw body (``request.body``), handle the notification idempotently, answer
``200 SUCCESS``; a bad signature gets ``401``. The view is exempt from CSRF (QFPay cannot send
a token; the signature authenticates the request). In a project, route it in ``urls.py``:
``path("qfpay/notify", make_view(settings.QFPAY_CLIENT_KEY, mark_paid))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]
from django.views.decorators.http import require_POST  # type: ignore[import-untyped]

import qfpay


def make_view(client_key: str, on_notification: Callable[[qfpay.Notification], None]) -> Callable[..., Any]:
    """The view for ``POST /qfpay/notify``."""

    @csrf_exempt  # type: ignore[untyped-decorator]
    @require_POST  # type: ignore[untyped-decorator]
    def notify(request: HttpRequest) -> HttpResponse:
        try:
            n = qfpay.verify_notification(request.body, request.headers.get("X-QF-SIGN"), client_key)
        except qfpay.SignatureError:
            return HttpResponse("bad signature", status=401, content_type="text/plain")
        except qfpay.DecodeError:
            return HttpResponse("not a notification", status=400, content_type="text/plain")
        on_notification(n)  # idempotent: QFPay may send the same notification again
        return HttpResponse(qfpay.NOTIFICATION_ACK, status=200, content_type="text/plain")

    return notify  # type: ignore[no-any-return]
