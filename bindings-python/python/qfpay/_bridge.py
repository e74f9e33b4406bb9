"""The asyncio bridge behind ``AsyncClient`` (``_async``, generated): no thread per call.

Calls run on the core's I/O runtime; the event loop watches one socket per loop
(``loop.add_reader``) and the channel (``_qfpay._Channel``) resolves the finished calls' futures
on the loop's thread. Cancelling the awaiting task cancels the call (the ``qfpay.http`` logger
gets a WARNING naming the ``out_trade_no`` of a money-moving call that had been sent): to keep
the order number whatever happens, generate it first (``qfpay.generate_out_trade_no()``).
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Callable, cast

from ._qfpay import QueryPage, QueryPages, Transaction, Transactions, _Channel

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncQueryPages", "AsyncTransactions", "QueryItems"]


class _LoopBridge:
    """One event loop's end of the bridge: the channel, whose reader the loop watches."""

    __slots__ = ("channel", "loop", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # Weak references only: the loop owns this bridge (through its reader), so a finished
        # loop (asyncio.run) is collected with its channel and socket.
        self.loop = weakref.ref(loop)
        self.channel = _Channel(loop)
        loop.add_reader(self.channel.fileno(), self.channel.drain)


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopBridge] = weakref.WeakKeyDictionary()


# The bridge used last (a weak reference): the fast path of `_channel()` for the common case of
# one event loop, without a WeakKeyDictionary look-up (which builds a weak reference per call).
_last: Callable[[], _LoopBridge | None] = lambda: None


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


class QueryItems:
    """The transactions across the pages of a query: ``for t in client.query_pages(...).items()``."""

    __module__ = "qfpay"
    __slots__ = ("_pages", "_page")

    def __init__(self, pages: QueryPages) -> None:
        """Wraps a query's pages (made by ``QueryPages.items()``).

        Raises:
            Nothing: the pages are fetched on iteration.
        """
        self._pages = pages
        self._page: Iterator[Transaction] = iter(())

    def __iter__(self) -> QueryItems:
        """This iterator."""
        return self

    def __next__(self) -> Transaction:
        """The next transaction, fetching the next page when needed.

        Raises:
            StopIteration: after the last transaction.
            QfPayError: a page could not be fetched.
        """
        while (t := next(self._page, None)) is None:
            self._page = iter(next(self._pages))
        return t


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
        fut = self._pages._next_async(channel)
        try:
            page = await fut
        except BaseException:
            _abandon(channel, fut)
            raise
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


class AsyncTransactions:
    """Every transaction of a period as an async iterator: ``async for t in
    client.transactions(start, end)``. One page is held at a time; the next is fetched on the I/O
    runtime when it is used up (nothing blocks the event loop)."""

    __slots__ = ("_items",)

    def __init__(self, items: Transactions) -> None:
        """Wraps the engine's item iterator (made by ``AsyncClient.transactions``).

        Raises:
            Nothing: the arguments were checked by ``AsyncClient.transactions``.
        """
        self._items = items

    def __aiter__(self) -> AsyncTransactions:
        return self

    async def __anext__(self) -> Transaction:
        """The next transaction; raises ``StopAsyncIteration`` after the last one.

        Raises:
            QfPayError: a page could not be fetched (``RequestTimeoutError``, ``NetworkError``...).
        """
        while (t := self._items._take()) is None:
            channel = _channel()
            fut = self._items._fill_async(channel)
            try:
                more = await fut
            except BaseException:
                _abandon(channel, fut)
                raise
            self._items._flush()
            if not more:
                raise StopAsyncIteration
        return t
