"""Type stubs of the Rust extension module ``qfpay._qfpay`` (re-exported by ``qfpay``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any, Self, Unpack, final

from ._errors import ConfigError
from ._types import (
    CancelOptions,
    ConfigOptions,
    EnvConfigOptions,
    NotifyType,
    PaymentOptions,
    QrPaymentOptions,
    QueryOptions,
    RefundOptions,
    TransactionState,
)

#: The package version.
__version__: str
#: The version of the Rust core inside.
CORE_VERSION: str
#: The body to answer a notification with (``"SUCCESS"``), with HTTP 200.
NOTIFICATION_ACK: str
#: The local sandbox's default app code.
SANDBOX_APP_CODE: str
#: The local sandbox's default client key (a test key, not a secret).
SANDBOX_CLIENT_KEY: str

@final
class Payment:
    """The answer to a payment request; ``qrcode`` is what the customer scans (800201; draw it
    with ``qfpay.qr_svg(payment.qrcode)``, ``qr_png``, ``qr_data_url`` or ``qr_terminal``). The
    order is unpaid until they do."""

    @property
    def syssn(self) -> str:
        """QFPay's transaction number."""
    @property
    def out_trade_no(self) -> str:
        """The merchant order number (generated when none was given)."""
    @property
    def pay_type(self) -> str:
        """The pay type code (``"800201"``)."""
    @property
    def txamt(self) -> int:
        """Amount in minor units."""
    @property
    def txcurrcd(self) -> str:
        """Currency code (``"HKD"``)."""
    @property
    def txdtm(self) -> str:
        """The request time sent (``YYYY-MM-DD hh:mm:ss``)."""
    @property
    def sysdtm(self) -> str:
        """QFPay's system time."""
    @property
    def paydtm(self) -> str:
        """Payment time, when paid."""
    @property
    def qrcode(self) -> str | None:
        """The QR code content to show the customer (MPM pay types)."""
    @property
    def pay_url(self) -> str | None:
        """A payment page URL (online pay types)."""
    @property
    def chnlsn(self) -> str:
        """The wallet's transaction number."""
    @property
    def cardcd(self) -> str:
        """Card number field (usually empty)."""
    @property
    def udid(self) -> str:
        """The device id."""
    @property
    def respcd(self) -> str:
        """``respcd`` (``"0000"`` on success)."""
    @property
    def resperr(self) -> str:
        """``resperr``."""
    @property
    def respmsg(self) -> str:
        """``respmsg``."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""

@final
class Transaction:
    """A transaction as a query returns it, with its interpreted ``state``."""

    @property
    def syssn(self) -> str:
        """QFPay's transaction number."""
    @property
    def out_trade_no(self) -> str:
        """The merchant order number."""
    @property
    def order_type(self) -> str:
        """``"payment"`` or ``"refund"`` as QFPay sent it."""
    @property
    def origssn(self) -> str | None:
        """For a refund: the ``syssn`` of the payment refunded."""
    @property
    def pay_type(self) -> str:
        """The pay type code."""
    @property
    def txamt(self) -> int:
        """Amount in minor units."""
    @property
    def txcurrcd(self) -> str:
        """Currency code."""
    @property
    def txdtm(self) -> str:
        """The request time the merchant sent."""
    @property
    def sysdtm(self) -> str:
        """QFPay's system time."""
    @property
    def paydtm(self) -> str:
        """Payment time, when paid."""
    @property
    def respcd(self) -> str:
        """The transaction's ``respcd`` (``"0000"`` paid, ``"1143"``/``"1145"`` processing)."""
    @property
    def errmsg(self) -> str:
        """QFPay's message for the transaction."""
    @property
    def cancel(self) -> str:
        """The cancel flag as QFPay sent it (``"0"`` none, refund/close/reversal codes otherwise)."""
    @property
    def goods_name(self) -> str:
        """The goods name sent with the payment."""
    @property
    def chnlsn(self) -> str:
        """The wallet's transaction number."""
    @property
    def state(self) -> TransactionState:
        """``"succeeded"``, ``"pending"``, ``"failed"``, ``"refunded"``, ``"partially_refunded"`` or ``"cancelled"``."""
    @property
    def is_paid(self) -> bool:
        """Whether the customer's money was taken (paid, possibly refunded since)."""
    @property
    def is_refund(self) -> bool:
        """Whether this record is a refund."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""


@final
class QueryPage:
    """One page of query results; iterating yields its transactions."""

    @property
    def page(self) -> int:
        """The page number (from 1)."""
    @property
    def page_size(self) -> int:
        """The page size asked for."""
    @property
    def data(self) -> list[Transaction]:
        """The transactions on this page."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""
    def __len__(self) -> int:
        """The number of transactions on this page."""
    def __iter__(self) -> Iterator[Transaction]:
        """The transactions on this page."""

@final
class Refund:
    """The answer to a refund request."""

    @property
    def syssn(self) -> str:
        """The refund's own transaction number."""
    @property
    def orig_syssn(self) -> str:
        """The ``syssn`` of the payment refunded."""
    @property
    def out_trade_no(self) -> str:
        """The refund's merchant order number."""
    @property
    def txamt(self) -> int:
        """Refunded amount in minor units."""
    @property
    def txcurrcd(self) -> str:
        """Currency code."""
    @property
    def txdtm(self) -> str:
        """The request time sent."""
    @property
    def sysdtm(self) -> str:
        """QFPay's system time."""
    @property
    def respcd(self) -> str:
        """``respcd`` (``"0000"`` on success)."""
    @property
    def resperr(self) -> str:
        """``resperr``."""
    @property
    def respmsg(self) -> str:
        """``respmsg``."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""

@final
class Cancellation:
    """The answer to a close or reversal."""

    @property
    def syssn(self) -> str:
        """The cancellation's transaction number."""
    @property
    def orig_syssn(self) -> str:
        """The ``syssn`` of the order closed or reversed."""
    @property
    def out_trade_no(self) -> str:
        """The merchant order number."""
    @property
    def txamt(self) -> int:
        """Amount in minor units."""
    @property
    def respcd(self) -> str:
        """``respcd`` (``"0000"`` on success)."""
    @property
    def resperr(self) -> str:
        """``resperr``."""
    @property
    def respmsg(self) -> str:
        """``respmsg``."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""

@final
class Notification:
    """A verified asynchronous notification (``verify_notification``)."""

    @property
    def notify_type(self) -> NotifyType:
        """``"payment"``, ``"refund"``, or another type QFPay sends, kept as sent."""
    @property
    def status(self) -> str:
        """``"1"`` on success."""
    @property
    def pay_type(self) -> str:
        """The pay type code."""
    @property
    def syssn(self) -> str:
        """QFPay's transaction number."""
    @property
    def out_trade_no(self) -> str:
        """The merchant order number."""
    @property
    def txamt(self) -> int:
        """Amount in minor units."""
    @property
    def txcurrcd(self) -> str:
        """Currency code."""
    @property
    def txdtm(self) -> str:
        """The request time the merchant sent."""
    @property
    def sysdtm(self) -> str:
        """QFPay's system time."""
    @property
    def paydtm(self) -> str:
        """Payment time."""
    @property
    def cancel(self) -> str:
        """The cancel flag as sent."""
    @property
    def respcd(self) -> str:
        """``respcd``."""
    @property
    def mchid(self) -> str | None:
        """The merchant id, when sent."""
    @property
    def goods_name(self) -> str:
        """The goods name."""
    @property
    def chnlsn(self) -> str:
        """The wallet's transaction number."""
    @property
    def orig_syssn(self) -> str | None:
        """For a refund: the payment's ``syssn``."""
    @property
    def orig_out_trade_no(self) -> str | None:
        """For a refund: the payment's ``out_trade_no``."""
    @property
    def is_success(self) -> bool:
        """Whether the notification reports a success (``status == "1"``)."""
    @property
    def raw(self) -> dict[str, Any]:
        """Every field QFPay sent, as a new dict."""


@final
class QueryPages:
    """The pages of a query, fetched as iteration advances (the GIL released meanwhile);
    never ends with an empty page."""

    def __iter__(self) -> Self:
        """This iterator."""
    def __next__(self) -> QueryPage:
        """The next page.

        Raises:
            StopIteration: after the last page.
            QfPayError: the page could not be fetched (``RequestTimeoutError``, ``NetworkError``...).
        """
    def items(self) -> QueryItems:
        """The transactions of every remaining page, in order: ``for t in pages.items()``.

        Raises:
            QfPayError: on iteration, when a page could not be fetched.
        """
    def _next_async(self, channel: _Channel) -> asyncio.Future[Any]: ...
    def _flush(self) -> None: ...

@final
class QueryItems:
    """The transactions across the pages of a query (``QueryPages.items()``)."""

    def __iter__(self) -> Self:
        """This iterator."""
    def __next__(self) -> Transaction:
        """The next transaction, fetching the next page when needed.

        Raises:
            StopIteration: after the last transaction.
            QfPayError: a page could not be fetched.
        """

@final
class Client:
    """A synchronous QFPay client; thread-safe, the GIL is released during network waits.

    Configuration keywords (durations in seconds, numbers checked: NaN, infinities, negative or
    huge values raise ``ValidationError`` naming the option): ``environment`` (``"live_test"``
    default, ``"production"``, ``"card_sandbox"``), ``base_url``, ``mchid``, ``sign_type``
    (``"md5"``/``"sha256"``), ``timeout`` (30 s per call), ``connect_timeout`` (5 s),
    ``max_retries`` (2), ``reconcile_timeout`` (15 s), ``retry_base_delay`` /
    ``retry_max_delay``, ``utc_offset_seconds`` (for ``txdtm``), ``proxy`` (a URL, or ``"none"``;
    else ``QFPAY_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` with ``NO_PROXY``). Every operation also
    takes ``timeout=`` and ``max_retries=`` for that call. Every error from a money-moving call
    carries ``.out_trade_no``.
    """

    def __init__(self, app_code: str | None = None, client_key: str | None = None, **config: Unpack[ConfigOptions]) -> None:
        """A client configured by keywords.

        Raises:
            ConfigError: missing credentials, an unknown environment (``"sandbox"`` and
                ``"live"`` are refused: use ``Sandbox.client()`` / ``"production"``), sign type
                or proxy. ``.field`` is the keyword at fault (``"app_code"``, ``"proxy"``...),
                ``.rule`` what is wrong, and the message ``configuration error: <keyword>
                <rule>`` (a value that may be a secret is never quoted).
            ValidationError: a number out of range (``.field`` names the option).
            ArgumentTypeError: a keyword of the wrong type (``max_retries=True``).
        """
    @classmethod
    def from_env(cls, **overrides: Unpack[EnvConfigOptions]) -> Client:
        """A client from ``QFPAY_APP_CODE``, ``QFPAY_CLIENT_KEY``, ``QFPAY_MCHID``, ``QFPAY_ENV``
        or ``QFPAY_BASE_URL``, ``QFPAY_SIGN_TYPE``, ``QFPAY_PROXY``; keywords override them.
        Configuration warnings (``QFPAY_ENV`` and ``QFPAY_BASE_URL`` disagreeing) are logged on
        ``qfpay.config``.

        Raises:
            ConfigError: the variables and keywords do not make a valid configuration.
            ValidationError: a number out of range.
        """
    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
    @property
    def app_code(self) -> str:
        """The app code (``X-QF-APPCODE``)."""
    @property
    def mchid(self) -> str | None:
        """The default ``mchid``, if any."""
    def create_payment(self, amount: int, currency: str, pay_type: str, **options: Unpack[PaymentOptions]) -> Payment:
        """Creates a payment of any pay type (``/trade/v1/payment``); ``out_trade_no`` is
        generated when absent. Never sent twice under a new number.

        Raises:
            ValidationError: a field broke a rule; nothing was sent (``.field``).
            ArgumentTypeError: an argument of the wrong type.
            DeclinedError: the payment was declined (``.respcd``).
            DuplicateOrderError: the ``out_trade_no`` was used before; ``.existing`` is that
                order's transaction (``.existing.state == "succeeded"``: already paid).
            RateLimitedError: HTTP 429 after the retries.
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``, do not pay
                again under a new number.
            QfPayError: any other failure. Every one names ``.out_trade_no``.
        """
    def wechat_qr(self, amount: int, currency: str = "HKD", **options: Unpack[QrPaymentOptions]) -> Payment:
        """A WeChat Pay QR payment (pay type 800201): show ``payment.qrcode`` to the customer.

        Raises:
            ValidationError: a field broke a rule; nothing was sent.
            DeclinedError: the payment was declined.
            DuplicateOrderError: the ``out_trade_no`` was used before (``.existing``).
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``.
            QfPayError: any other failure. Every one names ``.out_trade_no``.
        """
    def query(self, **filters: Unpack[QueryOptions]) -> QueryPage:
        """Queries transactions (one page). ``syssn``, ``out_trade_no`` and ``pay_type`` take a
        str or a list of str.

        Raises:
            ValidationError: a filter broke a rule.
            RequestTimeoutError: the call ran out of time.
            QfPayError: any other failure.
        """
    def query_pages(self, **filters: Unpack[QueryOptions]) -> QueryPages:
        """Every page of a query, fetched as iteration reaches it; ``.items()`` iterates over
        the transactions.

        Raises:
            ValidationError: a filter broke a rule (raised here, before any request).
        """
    def find_payment(self, out_trade_no: str, *, timeout: float | None = None, max_retries: int | None = None) -> Transaction | None:
        """The payment with merchant order number ``out_trade_no``, or ``None`` if QFPay has
        none.

        Raises:
            RequestTimeoutError: the call ran out of time.
            QfPayError: any other failure.
        """
    def refund(self, syssn: str, amount: int, currency: str, **options: Unpack[RefundOptions]) -> Refund:
        """Refunds a paid transaction, fully or partly; the refund's ``out_trade_no`` is
        generated when absent.

        Raises:
            ValidationError: a field broke a rule; nothing was sent.
            RefundRejectedError: QFPay refused the refund.
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``.
            QfPayError: any other failure. Every one names ``.out_trade_no``.
        """
    def close(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Closes an unpaid order (``/trade/v1/close``), by ``syssn`` or ``out_trade_no``.

        Raises:
            ValidationError: neither ``syssn`` nor ``out_trade_no``, or a bad field.
            OrderStateError: the order cannot be closed (already paid or closed).
            QfPayError: any other failure.
        """
    def reverse(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Reverses an unfinished transaction (``/trade/v1/reversal``); a reversal does not
        prove the customer was not charged: confirm with a query.

        Raises:
            ValidationError: neither ``syssn`` nor ``out_trade_no``, or a bad field.
            OrderStateError: the order cannot be reversed.
            QfPayError: any other failure.
        """
    def wait_for_payment(
        self,
        out_trade_no: str,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        max_interval: float | None = None,
    ) -> Transaction:
        """Polls until the payment is paid (returns it), fails (raises), or ``timeout`` seconds
        pass (defaults: 120 s, every 1 s growing by half to 5 s; one last query at the
        deadline). Ctrl-C stops the wait (``KeyboardInterrupt``).

        Raises:
            DeclinedError: the payment failed.
            StatusUnknownError: still not paid at the deadline.
            ValidationError: a duration out of range.
            KeyboardInterrupt: Ctrl-C during the wait.
            QfPayError: any other failure.
        """

@final
class _Channel:
    def __init__(self, event_loop: asyncio.AbstractEventLoop) -> None: ...
    def fileno(self) -> int: ...
    def drain(self) -> None: ...
    def cancel(self, future: asyncio.Future[Any]) -> None: ...
    def pending(self) -> int: ...

@final
class _Sandbox:
    def __init__(
        self,
        merchants: list[tuple[str, str, str | None, str | None]],
        rate_limit: tuple[int, int] | None = None,
        rate_limit_off: bool = False,
        notify_time_scale: float | None = None,
        pending_queries: int | None = None,
        slow_response: float | None = None,
        port: int | None = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def merchants(self) -> list[tuple[str, str, str | None, str | None]]: ...
    @property
    def closed(self) -> bool: ...
    def pay(self, syssn_or_out_trade_no: str) -> dict[str, Any]: ...
    def inject_fault(
        self, kind: str, count: int = 1, delay: float | None = None, status: int | None = None, body: str | None = None
    ) -> None: ...
    def requests(self) -> list[dict[str, Any]]: ...
    def request_count(self) -> int: ...
    def notifications(self) -> list[dict[str, Any]]: ...
    def orders(self) -> list[dict[str, Any]]: ...
    def reset(self) -> None: ...
    def advance_clock(self, seconds: int) -> None: ...
    def close(self) -> None: ...

def verify_notification(raw_body: bytes | bytearray | memoryview | str, signature: str | None, client_key: str) -> Notification:
    """Verifies ``X-QF-SIGN`` against the raw body and the client key, then parses the
    notification. Pass the raw request body (``request.get_data()``, ``request.body``,
    ``await request.body()``), never a parsed one.

    Raises:
        SignatureError: the signature is missing, empty or does not match.
        DecodeError: the body is not a notification.
        ArgumentTypeError: something other than the raw body was given (a dict, parsed
            JSON), or a signature or key that is not a str; ``field`` names the argument
            (``raw_body``, ``signature``, ``client_key``). Also a ``TypeError``.
        ValidationError: a str argument with a lone surrogate (``field`` names it).
    """
def notification_signature(raw_body: bytes | bytearray | memoryview | str, client_key: str) -> str:
    """The ``X-QF-SIGN`` QFPay would send with ``raw_body`` (uppercase hex MD5 of body + key):
    for tests of your own notification receiver.

    Raises:
        ArgumentTypeError: ``raw_body`` is not bytes-like or a str, or ``client_key`` not a
            str (``field`` names it; also a ``TypeError``).
    """
def sign(params: Mapping[str, object], client_key: str, sign_type: str = "md5") -> str:
    """The request signature (``X-QF-SIGN``) of ``params``: sorted by name, empty values and
    ``None`` left out, ``k=v`` joined by ``&``, the key appended, hashed, uppercase hex.

    Raises:
        ConfigError: an unknown ``sign_type`` (``field`` is ``"sign_type"``; the value is never
            quoted).
        ArgumentTypeError: ``params`` is not a mapping of str names, or ``client_key`` /
            ``sign_type`` not a str (``field`` names it; also a ``TypeError``).
        ValidationError: a name, value or key with a lone surrogate.
    """
def string_to_sign(params: Mapping[str, object]) -> str:
    """The string that is signed, without the key (for debugging a ``1108``).

    Raises:
        ArgumentTypeError: ``params`` is not a mapping of str names (``field`` is ``params``;
            also a ``TypeError``).
    """
def qr_svg(content: str) -> str:
    """The QR code for ``content`` (a payment's ``qrcode``) as an SVG document.

    Raises:
        ValidationError: ``content`` is too long for a QR code.
    """
def qr_png(content: str, scale: int = 8) -> bytes:
    """The QR code for ``content`` as PNG bytes, ``scale`` pixels per module.

    Raises:
        ValidationError: ``content`` too long or ``scale`` out of range.
    """
def qr_data_url(content: str) -> str:
    """The QR code for ``content`` as a ``data:image/png;base64,...`` URL (for ``<img src>``).

    Raises:
        ValidationError: ``content`` is too long for a QR code.
    """
def qr_terminal(content: str) -> str:
    """The QR code for ``content`` as text for a terminal.

    Raises:
        ValidationError: ``content`` is too long for a QR code.
    """
def generate_out_trade_no() -> str:
    """A fresh merchant order number (34 URL-safe characters, from the OS random source, so
    never repeated across ``fork()``). Generate, store, then pay with ``out_trade_no=``.

    Raises:
        RuntimeError: never in practice (the OS random source failed).
    """

def _env_log() -> tuple[tuple[dict[str, int | None] | None, int | None], str | None]:
    """``QFPAY_LOG`` read by the core's rule: ``((levels, max_level), warning)``; ``levels`` maps
    each SDK logger to its ``logging`` level (``None``: off), ``warning`` is given once."""
def _parse_log_filter(spec: str) -> tuple[tuple[dict[str, int | None] | None, int | None], str | None]:
    """A ``QFPAY_LOG`` value parsed by the core's rule: ``((levels, max_level), error)``."""
def _config_error(option: str, message: str) -> ConfigError:
    """The ``ConfigError`` about the option ``option`` (a keyword of the Python layer's own, such
    as ``max_concurrency``), made as the core's are: ``.field`` is ``option``, ``.rule`` is
    ``message`` (worded to follow the name), the message ``configuration error: <option>
    <message>``."""
