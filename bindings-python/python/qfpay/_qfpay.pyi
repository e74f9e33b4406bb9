"""Type stubs of the Rust extension module ``qfpay._qfpay`` (re-exported by ``qfpay``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Self, final

from ._errors import ConfigError
from ._surface import Cancellation as Cancellation
from ._surface import Client as Client
from ._surface import Notification as Notification
from ._surface import Payment as Payment
from ._surface import QueryPage as QueryPage
from ._surface import Refund as Refund
from ._surface import Transaction as Transaction

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
class _Channel:
    def __init__(self, event_loop: asyncio.AbstractEventLoop) -> None: ...
    def fileno(self) -> int: ...
    def drain(self) -> None: ...
    def cancel(self, future: asyncio.Future[Any]) -> None: ...
    def pending(self) -> int: ...

@final
class _Sandbox:
    def __init__(self, **options: Any) -> None: ...
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
