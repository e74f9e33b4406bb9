"""Keyword-argument and value types shared by ``Client`` and ``AsyncClient`` (for type checkers)."""

from __future__ import annotations

from typing import Literal, TypedDict, Union

#: ``"live_test"`` (aliases ``"livetest"``, ``"test"``), ``"production"`` (alias ``"prod"``),
#: ``"card_sandbox"`` (QFPay's remote card-simulation host). For the local sandbox, give its
#: ``base_url`` (``Sandbox.client()`` does). ``"sandbox"`` and ``"live"`` are refused.
EnvironmentName = Literal["live_test", "livetest", "test", "production", "prod", "card_sandbox"]
SignTypeName = Literal["md5", "sha256"]
#: Real-name verification: ``{"user_creid": ..., "user_truename": ...}``, or a JSON object as str.
ExtendInfo = Union[dict[str, str], str]
StrOrList = Union[str, list[str], tuple[str, ...]]
#: ``Transaction.state``.
TransactionState = Literal["succeeded", "pending", "failed", "refunded", "partially_refunded", "cancelled"]
#: ``Notification.notify_type``: payment and refund, or another type QFPay sends, kept as sent.
NotifyType = Union[Literal["payment", "refund"], str]
#: ``QfPayError.code``.
ErrorCode = Literal[
    "validation",
    "config",
    "auth",
    "invalid_request",
    "declined",
    "duplicate_order",
    "order_state",
    "refund_rejected",
    "account",
    "server",
    "api",
    "rate_limited",
    "network",
    "timeout",
    "status_unknown",
    "decode",
    "signature",
]


class ConfigOptions(TypedDict, total=False):
    """Client configuration keywords (durations in seconds)."""

    environment: EnvironmentName | None
    base_url: str | None
    mchid: str | None
    sign_type: SignTypeName | None
    timeout: float | None
    connect_timeout: float | None
    max_retries: int | None
    reconcile_timeout: float | None
    retry_base_delay: float | None
    retry_max_delay: float | None
    utc_offset_seconds: int | None
    proxy: str | None


class EnvConfigOptions(ConfigOptions, total=False):
    """``from_env`` overrides: the configuration keywords and the credentials."""

    app_code: str | None
    client_key: str | None


class CallOptions(TypedDict, total=False):
    """Per-call options every operation takes."""

    timeout: float | None
    max_retries: int | None


class QrPaymentOptions(CallOptions, total=False):
    """Optional fields of a merchant-presented (QR) payment, by their QFPay names."""

    out_trade_no: str | None
    txdtm: str | None
    expired_time: int | None
    goods_name: str | None
    goods_info: str | None
    mchid: str | None
    udid: str | None
    notify_url: str | None
    return_url: str | None
    rmb_tag: Literal["Y"] | str | None
    extend_info: ExtendInfo | None
    limit_pay: str | None


class PaymentOptions(QrPaymentOptions, total=False):
    """Optional fields of any payment."""

    auth_code: str | None
    pay_tag: str | None
    sub_openid: str | None


class QueryOptions(CallOptions, total=False):
    """Query filters, by their QFPay names."""

    syssn: StrOrList | None
    out_trade_no: StrOrList | None
    pay_type: StrOrList | None
    respcd: str | None
    start_time: str | None
    end_time: str | None
    page: int | None
    page_size: int | None
    mchid: str | None


class RefundOptions(CallOptions, total=False):
    """Optional fields of a refund."""

    out_trade_no: str | None
    txdtm: str | None
    mchid: str | None
    udid: str | None


class CancelOptions(CallOptions, total=False):
    """Optional fields of a close or reversal (give ``syssn`` or ``out_trade_no``)."""

    syssn: str | None
    out_trade_no: str | None
    txdtm: str | None
    mchid: str | None
    udid: str | None
