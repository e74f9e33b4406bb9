"""Keyword-argument types shared by ``Client`` and ``AsyncClient`` (for type checkers)."""

from __future__ import annotations

from typing import Literal, TypedDict, Union

#: ``"live_test"``, ``"production"``, ``"sandbox"``, or an ``http(s)://`` base URL.
EnvironmentName = Union[Literal["live_test", "production", "sandbox"], str]
SignTypeName = Literal["md5", "sha256"]
#: Real-name verification: ``{"user_creid": ..., "user_truename": ...}``, or a JSON object as str.
ExtendInfo = Union[dict[str, str], str]
StrOrList = Union[str, list[str], tuple[str, ...]]


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


class EnvConfigOptions(ConfigOptions, total=False):
    """``from_env`` overrides: the configuration keywords and the credentials."""

    app_code: str | None
    client_key: str | None


class QrPaymentOptions(TypedDict, total=False):
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
    timeout: float | None


class PaymentOptions(QrPaymentOptions, total=False):
    """Optional fields of any payment."""

    auth_code: str | None
    pay_tag: str | None
    sub_openid: str | None


class QueryOptions(TypedDict, total=False):
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
    timeout: float | None


class RefundOptions(TypedDict, total=False):
    """Optional fields of a refund."""

    out_trade_no: str | None
    txdtm: str | None
    mchid: str | None
    udid: str | None
    timeout: float | None


class CancelOptions(TypedDict, total=False):
    """Optional fields of a close or reversal (give ``syssn`` or ``out_trade_no``)."""

    syssn: str | None
    out_trade_no: str | None
    txdtm: str | None
    mchid: str | None
    udid: str | None
    timeout: float | None
