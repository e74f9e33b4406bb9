"""qfpay: the QFPay Open API SDK (WeChat Pay QR payments, queries, refunds, notifications).

Every protocol rule (validation, signing, retries, reconciliation, error classification) is
implemented once in the Rust core; this package is its Python face.

    >>> import qfpay
    >>> client = qfpay.Client(app_code="...", client_key="...", environment="live_test")
    >>> payment = client.wechat_qr(300, "HKD", goods_name="Coffee")   # doctest: +SKIP
    >>> payment.qrcode                                                 # doctest: +SKIP
    'weixin://wxpay/bizpayurl?pr=...'
"""

from __future__ import annotations

from . import _log  # noqa: F401 - the loggers, and QFPAY_LOG's stderr handler
from . import _errors
from ._errors import *  # noqa: F403 - the exception classes, one per error code
from ._async import AsyncClient, AsyncQueryPages
from ._qfpay import (
    CORE_VERSION,
    NOTIFICATION_ACK,
    Cancellation,
    Client,
    Notification,
    Payment,
    QueryItems,
    QueryPage,
    QueryPages,
    Refund,
    Transaction,
    __version__,
    generate_out_trade_no,
    notification_signature,
    qr_data_url,
    qr_png,
    qr_svg,
    qr_terminal,
    sign,
    string_to_sign,
    verify_notification,
)
from ._types import ErrorCode, NotifyType, TransactionState

#: Pay type of WeChat Pay QR code payments (merchant-presented; the customer scans).
WECHAT_QR = "800201"

__all__ = [
    "__version__",
    "CORE_VERSION",
    "NOTIFICATION_ACK",
    "WECHAT_QR",
    # clients and results
    "Client",
    "AsyncClient",
    "QueryPages",
    "QueryItems",
    "AsyncQueryPages",
    "Payment",
    "Transaction",
    "QueryPage",
    "Refund",
    "Cancellation",
    "Notification",
    "TransactionState",
    "NotifyType",
    "ErrorCode",
    # functions
    "verify_notification",
    "notification_signature",
    "sign",
    "string_to_sign",
    "qr_svg",
    "qr_png",
    "qr_data_url",
    "qr_terminal",
    "generate_out_trade_no",
]
__all__ += _errors.__all__
