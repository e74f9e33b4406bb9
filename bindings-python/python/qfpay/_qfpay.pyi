"""Type stubs of the Rust extension module ``qfpay._qfpay`` (re-exported by ``qfpay``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, final

from ._surface import *  # noqa: F403 - Client, QueryPages, the results and the constants

@final
class _Channel:
    def __init__(self, event_loop: asyncio.AbstractEventLoop) -> None: ...
    def fileno(self) -> int: ...
    def drain(self) -> None: ...
    def cancel(self, future: asyncio.Future[Any]) -> None: ...
    def pending(self) -> int: ...

class _Sandbox:  # the base of ``qfpay.testing.Sandbox``: its controls (documented in the extension)
    def _start(self, **options: Any) -> tuple[str, int, list[tuple[str, str, str | None, str | None]]]: ...
    @property
    def stopped(self) -> bool: ...
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
    def stop(self) -> None: ...

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

def _env_log() -> tuple[tuple[dict[str, int | None] | None, int | None], str | None]: ...
def _parse_log_filter(spec: str) -> tuple[tuple[dict[str, int | None] | None, int | None], str | None]: ...
def _check_concurrency(max_concurrency: object) -> None: ...
