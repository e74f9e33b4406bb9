"""``AsyncClient``: the same calls as ``Client``, awaited.

Each call runs the synchronous engine (which releases the GIL while it waits on the network) on
a thread pool owned by the client, via ``loop.run_in_executor``. The event loop never blocks,
and only threads that Python owns ever touch Python objects: no foreign runtime thread is left
to race the interpreter at exit.
"""

from __future__ import annotations

import functools
from types import TracebackType
from typing import TYPE_CHECKING, Callable, TypeVar, Unpack

from ._qfpay import Cancellation, Client, Payment, QueryPage, QueryPages, Refund, Transaction
from ._types import CancelOptions, ConfigOptions, EnvConfigOptions, PaymentOptions, QrPaymentOptions, QueryOptions, RefundOptions

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["AsyncClient", "AsyncQueryPages"]

T = TypeVar("T")
_DONE = object()


class AsyncQueryPages:
    """The pages of a query as an async iterator: ``async for page in client.query_pages(...)``."""

    __slots__ = ("_client", "_pages")

    def __init__(self, client: AsyncClient, pages: QueryPages) -> None:
        self._client = client
        self._pages = pages

    def __aiter__(self) -> AsyncQueryPages:
        return self

    async def __anext__(self) -> QueryPage:
        page = await self._client._run(next, self._pages, _DONE)
        if page is _DONE:
            raise StopAsyncIteration
        assert isinstance(page, QueryPage)
        return page


class AsyncClient:
    """An asyncio QFPay client. Same keywords, defaults and results as ``Client``; every
    operation is a coroutine and nothing blocks the event loop. ``max_concurrency`` bounds the
    calls in flight (the size of the client's thread pool). Share one client across tasks;
    ``await client.aclose()`` (or ``async with``) releases its threads."""

    __slots__ = ("_engine", "_executor", "_max_concurrency")

    def __init__(
        self,
        app_code: str | None = None,
        client_key: str | None = None,
        *,
        max_concurrency: int = 64,
        **config: Unpack[ConfigOptions],
    ) -> None:
        _check_concurrency(max_concurrency)
        self._engine = Client(app_code, client_key, **config)
        self._max_concurrency = max_concurrency
        self._executor: ThreadPoolExecutor | None = None

    @classmethod
    def from_env(cls, *, max_concurrency: int = 64, **overrides: Unpack[EnvConfigOptions]) -> AsyncClient:
        """A client from the ``QFPAY_*`` environment variables; keywords override them."""
        _check_concurrency(max_concurrency)
        self = cls.__new__(cls)
        self._engine = Client.from_env(**overrides)
        self._max_concurrency = max_concurrency
        self._executor = None
        return self

    async def _run(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        # asyncio and the thread pool are loaded on first use, keeping `import qfpay` fast.
        import asyncio

        loop = asyncio.get_running_loop()
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=self._max_concurrency, thread_name_prefix="qfpay-async")
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

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
        """Waits for calls in flight, then releases the client's threads."""
        executor, self._executor = self._executor, None
        if executor is not None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, executor.shutdown)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def create_payment(self, amount: int, currency: str, pay_type: str, **options: Unpack[PaymentOptions]) -> Payment:
        """Creates a payment; see ``Client.create_payment``."""
        return await self._run(self._engine.create_payment, amount, currency, pay_type, **options)

    async def wechat_qr(self, amount: int, currency: str = "HKD", **options: Unpack[QrPaymentOptions]) -> Payment:
        """A WeChat Pay QR payment (pay type 800201); show ``payment.qrcode`` to the customer."""
        return await self._run(self._engine.wechat_qr, amount, currency, **options)

    async def query(self, **filters: Unpack[QueryOptions]) -> QueryPage:
        """Queries transactions (one page)."""
        return await self._run(self._engine.query, **filters)

    def query_pages(self, **filters: Unpack[QueryOptions]) -> AsyncQueryPages:
        """Every page of a query: ``async for page in client.query_pages(...)``. The filters are
        checked at once; a bad one raises ``ValidationError`` here."""
        return AsyncQueryPages(self, self._engine.query_pages(**filters))

    async def find_payment(self, out_trade_no: str, *, timeout: float | None = None) -> Transaction | None:
        """The payment with merchant order number ``out_trade_no``, or ``None``."""
        return await self._run(self._engine.find_payment, out_trade_no, timeout=timeout)

    async def refund(self, syssn: str, amount: int, currency: str, **options: Unpack[RefundOptions]) -> Refund:
        """Refunds a paid transaction, fully or partly."""
        return await self._run(self._engine.refund, syssn, amount, currency, **options)

    async def close(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Closes an unpaid order, by ``syssn`` or ``out_trade_no``."""
        return await self._run(self._engine.close, amount=amount, currency=currency, **options)

    async def reverse(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Reverses an unfinished transaction (confirm the outcome with a query)."""
        return await self._run(self._engine.reverse, amount=amount, currency=currency, **options)

    async def wait_for_payment(
        self, out_trade_no: str, *, timeout: float = 120.0, interval: float = 1.0, max_interval: float = 5.0
    ) -> Transaction:
        """Polls until the payment is paid, fails, or ``timeout`` seconds pass
        (``StatusUnknownError``)."""
        return await self._run(
            self._engine.wait_for_payment, out_trade_no, timeout=timeout, interval=interval, max_interval=max_interval
        )


def _check_concurrency(max_concurrency: int) -> None:
    if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool) or max_concurrency < 1:
        from ._errors import ConfigError

        raise ConfigError(f"max_concurrency must be a positive integer (got {max_concurrency!r})")
