"""``AsyncClient``: coroutines over the Rust engine (``_qfpay._AsyncClient``), so each method
works with ``await``, ``asyncio.run``, ``create_task`` and ``TaskGroup`` alike."""

from __future__ import annotations

from typing import Unpack

from ._qfpay import AsyncQueryPages, Cancellation, Payment, QueryPage, Refund, Transaction, _AsyncClient
from ._types import CancelOptions, ConfigOptions, EnvConfigOptions, PaymentOptions, QrPaymentOptions, QueryOptions, RefundOptions

__all__ = ["AsyncClient"]


class AsyncClient:
    """An asyncio QFPay client. Same keywords, defaults and results as ``Client``; every
    operation is a coroutine, and nothing blocks the event loop (the I/O runs on a tokio
    runtime beside it). Share one client across tasks."""

    __slots__ = ("_engine",)

    def __init__(self, app_code: str | None = None, client_key: str | None = None, **config: Unpack[ConfigOptions]) -> None:
        self._engine = _AsyncClient(app_code, client_key, **config)

    @classmethod
    def from_env(cls, **overrides: Unpack[EnvConfigOptions]) -> AsyncClient:
        """A client from the ``QFPAY_*`` environment variables; keywords override them."""
        self = cls.__new__(cls)
        self._engine = _AsyncClient.from_env(**overrides)
        return self

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
        return repr(self._engine).replace("_AsyncClient(", "AsyncClient(", 1)

    async def create_payment(self, amount: int, currency: str, pay_type: str, **options: Unpack[PaymentOptions]) -> Payment:
        """Creates a payment; see ``Client.create_payment``."""
        result: Payment = await self._engine.create_payment(amount, currency, pay_type, **options)
        return result

    async def wechat_qr(self, amount: int, currency: str = "HKD", **options: Unpack[QrPaymentOptions]) -> Payment:
        """A WeChat Pay QR payment (pay type 800201); show ``payment.qrcode`` to the customer."""
        result: Payment = await self._engine.wechat_qr(amount, currency, **options)
        return result

    async def query(self, **filters: Unpack[QueryOptions]) -> QueryPage:
        """Queries transactions (one page)."""
        result: QueryPage = await self._engine.query(**filters)
        return result

    def query_pages(self, **filters: Unpack[QueryOptions]) -> AsyncQueryPages:
        """Every page of a query: ``async for page in client.query_pages(...)``."""
        return self._engine.query_pages(**filters)

    async def find_payment(self, out_trade_no: str, *, timeout: float | None = None) -> Transaction | None:
        """The payment with merchant order number ``out_trade_no``, or ``None``."""
        result: Transaction | None = await self._engine.find_payment(out_trade_no, timeout=timeout)
        return result

    async def refund(self, syssn: str, amount: int, currency: str, **options: Unpack[RefundOptions]) -> Refund:
        """Refunds a paid transaction, fully or partly."""
        result: Refund = await self._engine.refund(syssn, amount, currency, **options)
        return result

    async def close(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Closes an unpaid order, by ``syssn`` or ``out_trade_no``."""
        result: Cancellation = await self._engine.close(amount=amount, currency=currency, **options)
        return result

    async def reverse(self, *, amount: int, currency: str, **options: Unpack[CancelOptions]) -> Cancellation:
        """Reverses an unfinished transaction (confirm the outcome with a query)."""
        result: Cancellation = await self._engine.reverse(amount=amount, currency=currency, **options)
        return result

    async def wait_for_payment(
        self, out_trade_no: str, *, timeout: float = 120.0, interval: float = 1.0, max_interval: float = 5.0
    ) -> Transaction:
        """Polls until the payment is paid, fails, or ``timeout`` seconds pass
        (``StatusUnknownError``)."""
        result: Transaction = await self._engine.wait_for_payment(
            out_trade_no, timeout=timeout, interval=interval, max_interval=max_interval
        )
        return result
