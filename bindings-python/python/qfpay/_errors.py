"""The exception hierarchy. The Rust extension raises these by looking the class up by the
core's error code (``Error::code()``) in ``BY_CODE`` and setting the attributes below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._types import ErrorCode

if TYPE_CHECKING:
    from ._qfpay import Transaction

__all__ = [
    "QfPayError",
    "ValidationError",
    "ConfigError",
    "ApiError",
    "AuthError",
    "InvalidRequestError",
    "DeclinedError",
    "DuplicateOrderError",
    "OrderStateError",
    "RefundRejectedError",
    "AccountError",
    "ServerError",
    "RateLimitedError",
    "NetworkError",
    "RequestTimeoutError",
    "StatusUnknownError",
    "DecodeError",
    "SignatureError",
    "ArgumentTypeError",
    "BY_CODE",
]


class QfPayError(Exception):
    """Base class of every error the SDK raises. ``code`` is the core's stable error code.

    Every attribute exists on every instance; the ones that do not apply are ``None``.
    """

    code: ErrorCode = "api"
    #: The request field that broke a rule (``ValidationError``), or the client option at fault
    #: by its keyword (``ConfigError``: ``"app_code"``, ``"timeout"``, ``"proxy"``...; ``None``
    #: when no one option is).
    field: str | None = None
    #: The rule the field broke (``ValidationError``), or what is wrong with the option
    #: (``ConfigError``: ``"must be greater than zero"``); never quotes a possible secret.
    rule: str | None = None
    #: QFPay's ``respcd``, when QFPay answered (the last one seen for ``StatusUnknownError``).
    respcd: str | None = None
    #: QFPay's ``resperr``, when QFPay answered.
    resperr: str | None = None
    #: QFPay's ``respmsg``, when QFPay answered.
    respmsg: str | None = None
    #: The HTTP status of QFPay's answer, when there was one.
    http_status: int | None = None
    #: The merchant order number whose outcome is unknown (``StatusUnknownError``).
    out_trade_no: str | None = None
    #: QFPay's transaction number, when known (``StatusUnknownError``).
    syssn: str | None = None
    #: Seconds the server asked to wait before retrying (``RateLimitedError``).
    retry_after: float | None = None
    #: Whether the request may have reached QFPay (``NetworkError``).
    sent: bool | None = None
    #: The transaction already under that ``out_trade_no`` (``DuplicateOrderError``), or ``None``
    #: when it could not be read.
    existing: Transaction | None = None

    @property
    def message(self) -> str:
        """The error message."""
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        extra = [
            f"{name}={getattr(self, name)!r}"
            for name in ("field", "respcd", "out_trade_no", "syssn", "http_status")
            if getattr(self, name) is not None
        ]
        inner = ", ".join([repr(self.message), f"code={self.code!r}", *extra])
        return f"{type(self).__name__}({inner})"


class ValidationError(QfPayError, ValueError):
    """A request field broke a documented rule; nothing was sent. ``field`` names it."""

    code: ErrorCode = "validation"


class ArgumentTypeError(ValidationError, TypeError):
    """An argument has the wrong type (``max_retries=True``, ``goods_name=5``); nothing was sent.
    ``field`` names the argument. Also a ``TypeError``."""

    code: ErrorCode = "validation"


class ConfigError(QfPayError):
    """The client is not configured correctly (missing credentials, bad URL...). When one option
    is at fault, ``field`` is its keyword as you pass it (``"app_code"``, ``"sign_type"``,
    ``"max_concurrency"``...), ``rule`` says what is wrong, and the message is
    ``configuration error: <keyword> <rule>``."""

    code: ErrorCode = "config"


class ApiError(QfPayError):
    """QFPay answered with a failure code (``respcd``, ``resperr``, ``respmsg``, ``http_status``)."""

    code: ErrorCode = "api"


class AuthError(ApiError):
    """Signature, app code, key or merchant rejected (for example ``1108``)."""

    code: ErrorCode = "auth"


class InvalidRequestError(ApiError):
    """QFPay rejected the request's parameters."""

    code: ErrorCode = "invalid_request"


class DeclinedError(ApiError):
    """The payment was declined (for example ``1201`` insufficient balance)."""

    code: ErrorCode = "declined"


class DuplicateOrderError(ApiError):
    """The ``out_trade_no`` was used before: query it instead of paying again."""

    code: ErrorCode = "duplicate_order"


class OrderStateError(ApiError):
    """The order is in a state that does not allow this operation."""

    code: ErrorCode = "order_state"


class RefundRejectedError(ApiError):
    """The refund was refused."""

    code: ErrorCode = "refund_rejected"


class AccountError(ApiError):
    """The merchant account, device or store is not set up for this."""

    code: ErrorCode = "account"


class ServerError(ApiError):
    """QFPay had a transient problem."""

    code: ErrorCode = "server"


class RateLimitedError(QfPayError):
    """HTTP 429 from QFPay; ``retry_after`` holds the server's wait in seconds, if given."""

    code: ErrorCode = "rate_limited"


class NetworkError(QfPayError):
    """The request could not be delivered; ``sent`` tells whether it may have reached QFPay."""

    code: ErrorCode = "network"


class RequestTimeoutError(QfPayError, TimeoutError):
    """The call's deadline passed (a call that moves no money)."""

    code: ErrorCode = "timeout"


class StatusUnknownError(QfPayError):
    """The outcome of a money-moving call is not known.

    Do not pay again under a new number: query ``out_trade_no`` (or wait for the
    notification) to learn what happened.
    """

    code: ErrorCode = "status_unknown"


class DecodeError(QfPayError):
    """An answer or notification could not be understood."""

    code: ErrorCode = "decode"


class SignatureError(QfPayError):
    """A notification's signature did not match its body and key."""

    code: ErrorCode = "signature"


# Shown as ``qfpay.X`` in tracebacks and reprs (they are re-exported there).
def _public(*classes: type[QfPayError]) -> None:
    for cls in classes:
        cls.__module__ = "qfpay"
        _public(*cls.__subclasses__())


_public(QfPayError)

BY_CODE: dict[str, type[QfPayError]] = {
    cls.code: cls
    for cls in (
        ValidationError,
        ConfigError,
        ApiError,
        AuthError,
        InvalidRequestError,
        DeclinedError,
        DuplicateOrderError,
        OrderStateError,
        RefundRejectedError,
        AccountError,
        ServerError,
        RateLimitedError,
        NetworkError,
        RequestTimeoutError,
        StatusUnknownError,
        DecodeError,
        SignatureError,
    )
}
