"""Test helpers: ``Sandbox`` runs the QFPay sandbox in-process, on a free port of 127.0.0.1.

    from qfpay.testing import Sandbox

    with Sandbox() as sandbox:
        client = sandbox.client()
        payment = client.wechat_qr(1001, "HKD")      # 1001: paid at once
        sandbox.pay(payment.out_trade_no)            # or: the customer scans

Scenario amounts (any currency): 1001 paid at once, 1002 pending for ``pending_queries``
queries, 1003 declined, 1004 pending on create, 1005 slow (``slow_response``), 1006 HTTP 500
after creating the order, 1007 rate limited (HTTP 429). Other MPM amounts wait for ``pay()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Sequence

from ._async import AsyncClient
from ._qfpay import SANDBOX_APP_CODE, SANDBOX_CLIENT_KEY, Client, _Sandbox

__all__ = ["Sandbox", "Merchant", "FaultKind", "SANDBOX_APP_CODE", "SANDBOX_CLIENT_KEY"]

FaultKind = Literal["delay", "drop", "http_status", "malformed", "canned"]


@dataclass(frozen=True)
class Merchant:
    """A merchant the sandbox accepts: credentials, optional ``mchid`` and notification URL."""

    app_code: str
    client_key: str
    mchid: str | None = None
    notify_url: str | None = None

    def __repr__(self) -> str:  # never show the key
        return f"Merchant(app_code={self.app_code!r}, mchid={self.mchid!r}, notify_url={self.notify_url!r})"


class Sandbox(_Sandbox):
    """The QFPay sandbox, started in-process on 127.0.0.1 (a free port unless ``port`` is
    given); a context manager (``stop()`` on leaving). Every setting left out keeps the
    sandbox's own default (the same in every language). The controls (``pay``,
    ``inject_fault``, ``requests``, ``orders``, ``reset``, ``advance_clock``, ``stop``...) are the
    extension's.

    ``rate_limit``: ``True`` (default: on, QFPay's documented 100 per second and 400 per
    minute per app code), ``None`` or ``False`` (off), or ``(per_second, per_minute)``.
    ``notify_time_scale`` shrinks the notification retry schedule (0.001 turns 2 minutes into
    120 ms; default 1.0). ``pending_queries`` (default 2): queries scenario 1002 answers
    "pending". ``slow_response`` (seconds, default 3): scenario 1005's delay.
    ``strict_pay_types`` (default ``False``): refuse the legacy pay codes with ``1104``, as an
    account without them would.
    """

    def __init__(
        self,
        merchants: Sequence[Merchant] | None = None,
        *,
        rate_limit: bool | tuple[int, int] | None = True,
        notify_time_scale: float | None = None,
        pending_queries: int | None = None,
        slow_response: float | None = None,
        port: int | None = None,
        strict_pay_types: bool | None = None,
    ) -> None:
        """Starts the sandbox; see the class documentation for the settings.

        Raises:
            ConfigError: a setting that cannot work (a port beyond 65535, a negative time scale).
            ValidationError: a setting of the wrong type, or a duration out of range.
            RuntimeError: the sandbox could not start (the port is taken).
        """
        # Read by the sandbox crate's reader, as in every binding (None options: its defaults).
        rate: Any = bool(rate_limit) if rate_limit is None or isinstance(rate_limit, bool) else dict(
            per_second=rate_limit[0], per_minute=rate_limit[1]
        )
        listed = None if merchants is None else [vars(m) for m in merchants]
        self._base_url, self._port, specs = self._start(
            merchants=listed,
            rate_limit=rate,
            notify_time_scale=notify_time_scale,
            pending_queries=pending_queries,
            slow_response=slow_response,
            port=port,
            strict_pay_types=strict_pay_types,
        )
        self.merchants = [Merchant(*spec) for spec in specs]

    @classmethod
    def start(cls, merchants: Sequence[Merchant] | None = None, **options: Any) -> Sandbox:
        """Starts a sandbox (the same as ``Sandbox(...)``); stop it with ``stop()``."""
        return cls(merchants, **options)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self._base_url

    @property
    def port(self) -> int:
        """The port the sandbox listens on."""
        return self._port

    @property
    def app_code(self) -> str:
        """The first merchant's app code."""
        return self.merchants[0].app_code

    @property
    def client_key(self) -> str:
        """The first merchant's client key."""
        return self.merchants[0].client_key

    @property
    def mchid(self) -> str | None:
        """The first merchant's ``mchid``, if it has one."""
        return self.merchants[0].mchid

    def env(self) -> dict[str, str]:
        """The ``QFPAY_*`` environment variables that point ``Client.from_env()`` here."""
        env = {"QFPAY_BASE_URL": self.base_url, "QFPAY_APP_CODE": self.app_code, "QFPAY_CLIENT_KEY": self.client_key}
        if self.mchid:
            env["QFPAY_MCHID"] = self.mchid
        return env

    def _config(self, kw: dict[str, Any]) -> dict[str, Any]:
        merchant: Merchant = kw.pop("merchant", None) or self.merchants[0]
        kw.setdefault("base_url", self.base_url)
        kw.setdefault("app_code", merchant.app_code)
        kw.setdefault("client_key", merchant.client_key)
        if merchant.mchid is not None:
            kw.setdefault("mchid", merchant.mchid)
        return kw

    def client(self, **kw: Any) -> Client:
        """A ``Client`` for this sandbox (first merchant unless ``merchant=`` is given);
        other keywords are passed to ``Client``."""
        return Client(**self._config(kw))

    def async_client(self, **kw: Any) -> AsyncClient:
        """An ``AsyncClient`` for this sandbox; keywords as for ``client()``."""
        return AsyncClient(**self._config(kw))

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self.stopped else "running"
        return f"Sandbox(base_url={self.base_url!r}, app_code={self.app_code!r}, {state})"
