"""``AsyncClient``: the same calls as ``Client``, awaited, with no thread per call.

Each call is started on the core's async client, which runs on an I/O runtime that Rust owns.
Finished calls are queued as Rust values; the event loop watches one socket per loop
(``loop.add_reader``) and collects them in batches, converting them to Python objects on the
loop's own thread. Rust threads never touch Python objects, so nothing races the interpreter at
exit. Cancelling the awaiting task (``asyncio.wait_for``, a client disconnect in a web
framework) cancels the call: the ``qfpay.http`` logger then gets a WARNING naming the
``out_trade_no`` of a money-moving call that had been sent. To keep the order number whatever
happens, generate it first: ``out_trade_no = qfpay.generate_out_trade_no()``, store it, then
pass ``out_trade_no=``.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, TypeVar, Unpack, cast

from ._qfpay import Cancellation, Client, Payment, QueryPage, QueryPages, Refund, Transaction, _Channel, _config_error
from ._types import (
    CallOptions,
    CancelOptions,
    ConfigOptions,
    EnvConfigOptions,
    PaymentOptions,
    QrPaymentOptions,
    QueryOptions,
    RefundOptions,
)

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncClient", "AsyncQueryPages"]

T = TypeVar("T")


class _LoopBridge:
    """One event loop's end of the bridge: the channel, whose reader the loop watches."""

    __slots__ = ("channel", "loop", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # Weak references only: the loop owns this bridge (through its reader), never the
        # reverse, so a finished loop (asyncio.run) is collected with its channel and socket.
        self.loop = weakref.ref(loop)
        self.channel = _Channel(loop)
        # The channel resolves the futures of finished calls itself (in Rust, on this thread).
        loop.add_reader(self.channel.fileno(), self.channel.drain)


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopBridge] = weakref.WeakKeyDictionary()


def _no_bridge() -> _LoopBridge | None:
    return None


# The bridge used last (a weak reference): the fast path of `_channel()` for the common case of
# one event loop, without a WeakKeyDictionary look-up (which builds a weak reference per call).
_last: Callable[[], _LoopBridge | None] = _no_bridge


def _first_running_loop() -> asyncio.AbstractEventLoop:
    # asyncio is imported on first use, keeping `import qfpay` fast.
    global _running_loop
    from asyncio import get_running_loop

    _running_loop = get_running_loop
    return get_running_loop()


_running_loop: Callable[[], asyncio.AbstractEventLoop] = _first_running_loop


def _channel() -> _Channel:
    """The running event loop's channel (made on first use)."""
    global _last
    loop = _running_loop()
    bridge = _last()
    if bridge is not None and bridge.loop() is loop:
        return bridge.channel
    bridge = _bridges.get(loop)
    if bridge is None:
        bridge = _bridges[loop] = _LoopBridge(loop)
    _last = weakref.ref(bridge)
    return bridge.channel


def _abandon(channel: _Channel, fut: asyncio.Future[Any]) -> None:
    """The awaiting of a call's future ended in an exception: when that is the task's
    cancellation (or the coroutine was closed while the call ran), cancel the call too."""
    if fut.cancelled() or fut.cancel():
        channel.cancel(fut)


async def _wait(channel: _Channel, fut: asyncio.Future[Any]) -> Any:
    """Awaits a call's future; cancelling the awaiting task cancels the call."""
    try:
        return await fut
    except BaseException:
        _abandon(channel, fut)
        raise


class AsyncQueryPages:
    """The pages of a query as an async iterator: ``async for page in client.query_pages(...)``;
    ``.items()`` iterates over the transactions of every page."""

    __slots__ = ("_pages",)

    def __init__(self, pages: QueryPages) -> None:
        """Wraps the engine's page iterator (made by ``AsyncClient.query_pages``).

        Raises:
            Nothing: the filters were checked by ``AsyncClient.query_pages``.
        """
        self._pages = pages

    def __aiter__(self) -> AsyncQueryPages:
        return self

    async def __anext__(self) -> QueryPage:
        """The next page; raises ``StopAsyncIteration`` after the last one.

        Raises:
            QfPayError: the query failed (``RequestTimeoutError``, ``NetworkError``...).
        """
        channel = _channel()
        page = await _wait(channel, self._pages._next_async(channel))
        self._pages._flush()
        if page is None:
            raise StopAsyncIteration
        return cast(QueryPage, page)

    async def items(self) -> AsyncIterator[Transaction]:
        """The transactions of every page, in order: ``async for t in pages.items()``.

        Raises:
            QfPayError: a page could not be fetched.
        """
        async for page in self:
            for t in page:
                yield t


class AsyncClient:
    """An asyncio QFPay client. Same keywords, defaults and results as ``Client``; every
    operation is a coroutine and nothing blocks the event loop, and no thread is held per call
    (waits sleep on the I/O runtime). Share one client across tasks and event loops.
    ``max_concurrency`` is accepted for compatibility and bounds nothing: calls in flight cost a
    small Rust task each. ``await client.aclose()`` (or ``async with``) is harmless."""

    __slots__ = ("_engine", "_max_concurrency")

    def __init__(
        self,
        app_code: str | None = None,
        client_key: str | None = None,
        *,
        max_concurrency: int = 64,
        **config: Unpack[ConfigOptions],
    ) -> None:
        """A client configured by keywords; see ``Client``.

        Raises:
            ConfigError: missing credentials, an unknown environment or sign type.
            ValidationError: a keyword with a value out of range (names it in ``field``).
            ArgumentTypeError: a keyword of the wrong type.
        """
        _check_concurrency(max_concurrency)
        self._engine = Client(app_code, client_key, **config)
        self._max_concurrency = max_concurrency

    @classmethod
    def from_env(cls, *, max_concurrency: int = 64, **overrides: Unpack[EnvConfigOptions]) -> AsyncClient:
        """A client from the ``QFPAY_*`` environment variables; keywords override them.

        Raises:
            ConfigError: the variables do not make a valid configuration.
        """
        _check_concurrency(max_concurrency)
        self = cls.__new__(cls)
        self._engine = Client.from_env(**overrides)
        self._max_concurrency = max_concurrency
        return self

    async def _call(self, method: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        channel = _channel()
        return await _wait(channel, method(*args, _channel=channel, **kwargs))

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._engine.base_url

    @property
    def app_code(self) -> str:
        """The app code (``X-QF-APPCODE``)."""
        return self._engine.app_code

    @property
    def mchid(self) -> str | None:
        """The default ``mchid``, if any."""
        return self._engine.mchid

    def __repr__(self) -> str:
        return "Async" + repr(self._engine)

    async def aclose(self) -> None:
        """Releases nothing and waits for nothing (calls in flight finish on their own); kept
        so ``async with`` and existing code work."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def create_payment(self, amount: int, currency: str, pay_type: str, **options: Unpack[PaymentOptions]) -> Payment:
        """Creates a payment; see ``Client.create_payment``.

        Raises:
            ValidationError: a field broke a rule; nothing was sent.
            DeclinedError: the payment was declined (``.out_trade_no`` names it).
            DuplicateOrderError: the ``out_trade_no`` was used before (``.existing``).
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``.
            QfPayError: any other failure (every one names ``.out_trade_no``).
        """
        # `_call` inlined in the two payment calls: one coroutine frame less per payment.
        channel = _channel()
        fut: asyncio.Future[Payment] = self._engine.create_payment(amount, currency, pay_type, _channel=channel, **options)  # type: ignore[call-arg, assignment]
        try:
            return await fut
        except BaseException:
            _abandon(channel, fut)
            raise

    async def wechat_qr(self, amount: int, currency: str = "HKD", **options: Unpack[QrPaymentOptions]) -> Payment:
        """A WeChat Pay QR payment (pay type 800201); show ``payment.qrcode`` to the customer.

        Raises:
            ValidationError: a field broke a rule; nothing was sent.
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``.
            QfPayError: any other failure (every one names ``.out_trade_no``).
        """
        channel = _channel()
        fut: asyncio.Future[Payment] = self._engine.wechat_qr(amount, currency, _channel=channel, **options)  # type: ignore[call-arg, assignment]
        try:
            return await fut
        except BaseException:
            _abandon(channel, fut)
            raise

    async def query(self, **filters: Unpack[QueryOptions]) -> QueryPage:
        """Queries transactions (one page).

        Raises:
            ValidationError: a filter broke a rule.
            RequestTimeoutError: the call ran out of time.
            QfPayError: any other failure.
        """
        return cast(QueryPage, await self._call(self._engine.query, **filters))

    def query_pages(self, **filters: Unpack[QueryOptions]) -> AsyncQueryPages:
        """Every page of a query: ``async for page in client.query_pages(...)``. The filters are
        checked at once.

        Raises:
            ValidationError: a filter broke a rule (raised here, not on iteration).
        """
        return AsyncQueryPages(self._engine.query_pages(**filters))

    async def find_payment(self, out_trade_no: str, **options: Unpack[CallOptions]) -> Transaction | None:
        """The payment with merchant order number ``out_trade_no``, or ``None``.

        Raises:
            RequestTimeoutError: the call ran out of time.
            QfPayError: any other failure.
        """
        return cast("Transaction | None", await self._call(self._engine.find_payment, out_trade_no, **options))

    async def refund(self, syssn: str, amount: int, currency: str, **options: Unpack[RefundOptions]) -> Refund:
        """Refunds a paid transaction, fully or partly.

        Raises:
            RefundRejectedError: QFPay refused the refund.
            StatusUnknownError: the outcome is unknown: query ``.out_trade_no``.
            QfPayError: any other failure (every one names ``.out_trade_no``).
        """
        return cast(Refund, await self._call(self._engine.refund, syssn, amount, currency, **options))

    async def close(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Closes an unpaid order, by ``syssn`` or ``out_trade_no``.

        Raises:
            OrderStateError: the order cannot be closed (paid, already closed).
            QfPayError: any other failure.
        """
        return cast(Cancellation, await self._call(self._engine.close, amount=amount, currency=currency, **options))

    async def reverse(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Reverses an unfinished transaction (confirm the outcome with a query).

        Raises:
            OrderStateError: the order cannot be reversed.
            QfPayError: any other failure.
        """
        return cast(Cancellation, await self._call(self._engine.reverse, amount=amount, currency=currency, **options))

    async def wait_for_payment(
        self, out_trade_no: str, *, timeout: float | None = None, interval: float | None = None, max_interval: float | None = None
    ) -> Transaction:
        """Polls until the payment is paid, fails, or ``timeout`` seconds pass (defaults: 120 s,
        every 1 s growing to 5 s). Holds no thread while it sleeps.

        Raises:
            DeclinedError: the payment failed.
            StatusUnknownError: still unpaid at the deadline.
            QfPayError: any other failure.
        """
        options = {"timeout": timeout, "interval": interval, "max_interval": max_interval}
        return cast(Transaction, await self._call(self._engine.wait_for_payment, out_trade_no, **options))


def _check_concurrency(max_concurrency: int) -> None:
    # The value is quoted only when it is an int (anything else may be a secret misplaced).
    if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool):
        from ._errors import ArgumentTypeError

        e = ArgumentTypeError(f"invalid max_concurrency: must be an int, not {type(max_concurrency).__name__}")
        e.field, e.rule = "max_concurrency", f"must be an int, not {type(max_concurrency).__name__}"
        raise e
    if max_concurrency < 1:
        # Made by the extension, as the core's configuration errors are: `.field` and `.rule`
        # set, the message `configuration error: max_concurrency must be ...`.
        raise _config_error("max_concurrency", f"must be a positive integer (got {max_concurrency})")
