"""Issue 10: the binding checked by introspection against ``tests/surface.json`` (operations
and their keyword options from the TypedDicts and signatures, result attributes, error codes
and classes and their attributes, sandbox controls, functions, constants), the stubs
included; configuration, environment names, messages in Python's terms."""

from __future__ import annotations

import ast
import inspect
import json
import logging
import typing
from pathlib import Path
from typing import Any

import pytest

import qfpay
from qfpay import _types
from qfpay._errors import BY_CODE
from qfpay.testing import Sandbox

REPO = Path(__file__).resolve().parents[2]
SURFACE = json.loads((REPO / "tests" / "surface.json").read_text("utf-8"))
STUBS = Path(qfpay.__file__).with_name("_qfpay.pyi")

OPTIONS_TYPES: dict[str, Any] = {
    "create_payment": _types.PaymentOptions,
    "wechat_qr": _types.QrPaymentOptions,
    "query": _types.QueryOptions,
    "query_pages": _types.QueryOptions,
    "find_payment": _types.CallOptions,
    "refund": _types.RefundOptions,
    "close": _types.CancelOptions,
    "reverse": _types.CancelOptions,
    "checkout_url": _types.CheckoutOptions,
    "verify_checkout_url": None,
    "wechat_oauth_url": _types.OauthOptions,
    "get_wechat_openid": _types.OpenidOptions,
    "cashier_url": _types.CashierOptions,
    "transactions": _types.PeriodOptions,
    "reconcile": _types.ReconcileOptions,
    "download_trade_bill": _types.CallOptions,
    "settlements": _types.SettlementOptions,
    "add_note": _types.CallOptions,
}


def _stub_classes() -> dict[str, ast.ClassDef]:
    """The classes of the stubs: ``_qfpay.pyi`` and the generated ``_surface.pyi`` it imports."""
    out: dict[str, ast.ClassDef] = {}
    for stubs in (STUBS, STUBS.with_name("_surface.pyi")):
        tree = ast.parse(stubs.read_text("utf-8"))
        out.update({n.name: n for n in tree.body if isinstance(n, ast.ClassDef)})
    return out


def _stub_members(cls: ast.ClassDef) -> set[str]:
    return {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _text_signature_params(fn: Any) -> set[str]:
    return set(inspect.signature(fn).parameters) - {"self", "_channel"}


def test_client_options_and_constructors() -> None:
    config = set(typing.get_type_hints(_types.EnvConfigOptions))
    assert set(SURFACE["client"]["options"]) == config
    for cls in (qfpay.Client, qfpay.AsyncClient):
        for ctor in SURFACE["client"]["constructors"]:
            assert ctor == "new" or callable(getattr(cls, ctor))
        for prop in SURFACE["client"]["properties"]:
            assert isinstance(inspect.getattr_static(cls, prop), (property,)) or hasattr(cls, prop)
    # the extension's own signature takes exactly these keywords
    assert _text_signature_params(qfpay.Client.from_env) == set(SURFACE["client"]["options"])
    assert _text_signature_params(qfpay.Client) == set(SURFACE["client"]["options"])


def test_operations_match_in_both_clients_and_the_stubs() -> None:
    stub_client = _stub_members(_stub_classes()["Client"])
    for op, spec in SURFACE["operations"].items():
        for cls in (qfpay.Client, qfpay.AsyncClient):
            assert callable(getattr(cls, op, None)), f"{cls.__name__}.{op} missing"
        assert op in stub_client, f"{op} missing from the stubs"
        params = _text_signature_params(getattr(qfpay.Client, op))
        assert set(spec["args"]) <= params, (op, spec["args"], params)
        if op == "wait_for_payment":
            assert set(spec["options"]) <= params
            continue
        options_type = OPTIONS_TYPES[op]
        declared = set(typing.get_type_hints(options_type)) if options_type else set()
        # An operation that sends nothing takes no per-call options.
        expected = set(spec["options"]) | (set(SURFACE["call_options"]) if spec["io"] else set())
        assert declared - set(spec["args"]) == expected - set(spec["args"]), (op, declared ^ expected)
        assert expected <= params | set(spec["args"]), (op, expected - params)
        async_method = getattr(qfpay.AsyncClient, op)
        async_params = set(inspect.signature(async_method).parameters)
        assert set(spec["args"]) <= async_params | {"options"}, (op, async_params)
        # io false: a plain call on AsyncClient too; every other call but the iterators (an
        # operation returning a list: pages, or transactions) is a coroutine.
        if not spec["io"] or spec["returns"].startswith("list<"):
            assert not inspect.iscoroutinefunction(async_method), op
        else:
            assert inspect.iscoroutinefunction(async_method), op


def test_wait_defaults() -> None:
    d = SURFACE["operations"]["wait_for_payment"]["defaults"]
    assert (d["timeout_seconds"], d["interval_seconds"], d["max_interval_seconds"]) == (120, 1, 5)
    doc = inspect.getdoc(qfpay.Client.wait_for_payment) or ""
    assert "120" in STUBS.with_name("_surface.pyi").read_text("utf-8") and doc


def test_results_have_every_attribute() -> None:
    stubs = _stub_classes()
    for name, fields in SURFACE["results"].items():
        cls = getattr(qfpay, name)
        for f in fields:
            assert hasattr(cls, f), f"{name}.{f} missing"
            assert f in _stub_members(stubs[name]), f"{name}.{f} missing from the stubs"
    assert typing.get_args(_types.TransactionState) == tuple(SURFACE["transaction_states"])


def test_results_have_nothing_beyond_the_surface() -> None:
    """Issue 23: a result is its fields and nothing else; the QR helpers are module functions
    in every language (``qfpay.qr_svg(payment.qrcode)``), not methods of ``Payment``."""
    stubs = _stub_classes()
    for name, fields in SURFACE["results"].items():
        public = {n for n in dir(getattr(qfpay, name)) if not n.startswith("_")}
        assert public == set(fields), f"{name}: {sorted(public ^ set(fields))}"
        stubbed = {n for n in _stub_members(stubs[name]) if not n.startswith("_")}
        assert stubbed == set(fields), f"{name} stubs: {sorted(stubbed ^ set(fields))}"
    for f in ("qr_svg", "qr_png", "qr_data_url", "qr_terminal"):
        assert f in SURFACE["functions"] and callable(getattr(qfpay, f))


_MS_NAMES = ("ms", "millis", "milliseconds")


def _is_ms(name: str) -> bool:
    return name in _MS_NAMES or name.endswith(tuple(f"_{m}" for m in _MS_NAMES))


def test_every_duration_parameter_is_in_seconds() -> None:
    """Issue 23: durations are seconds (float) everywhere in Python; no parameter, keyword
    option or stub argument is a number of milliseconds (``inject_fault(ms=)`` was)."""
    import qfpay.testing as testing

    found: list[str] = []
    for file in ("_qfpay.pyi", "_async.py", "_types.py", "testing.py"):
        tree = ast.parse(STUBS.with_name(file).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.arg) and _is_ms(node.arg):
                found.append(f"{file}: argument {node.arg}")
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and _is_ms(node.target.id):
                found.append(f"{file}: option {node.target.id}")
    callables: list[Any] = [getattr(qfpay, f) for f in SURFACE["functions"]]
    for cls in (qfpay.Client, qfpay.AsyncClient, testing.Sandbox):
        callables += [m for n, m in vars(cls).items() if callable(m) and not n.startswith("_")]
    callables += [qfpay.Client, testing.Sandbox.__init__, testing.Sandbox.inject_fault]
    for fn in callables:
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            continue
        found += [f"{getattr(fn, '__qualname__', fn)}({p})" for p in params if _is_ms(p)]
    assert not found, found
    assert "delay" in inspect.signature(testing.Sandbox.inject_fault).parameters


def test_error_codes_classes_and_attributes() -> None:
    assert set(BY_CODE) == set(SURFACE["errors"]["codes"])
    assert set(typing.get_args(_types.ErrorCode)) == set(SURFACE["errors"]["codes"])
    for code, cls in BY_CODE.items():
        assert cls.__module__ == "qfpay" and getattr(qfpay, cls.__name__) is cls
        assert repr(cls) == f"<class 'qfpay.{cls.__name__}'>"
        e = cls("x")
        for f in SURFACE["errors"]["fields"]:
            assert hasattr(e, f), f"{cls.__name__}.{f}"


def test_functions_and_constants() -> None:
    stub_text = STUBS.read_text("utf-8")
    for f in SURFACE["functions"]:
        assert callable(getattr(qfpay, f)), f
        assert f"def {f}(" in stub_text, f
    names = {"version": "__version__", "core_version": "CORE_VERSION", "notification_ack": "NOTIFICATION_ACK",
             "sandbox_app_code": "SANDBOX_APP_CODE", "sandbox_client_key": "SANDBOX_CLIENT_KEY"}
    import qfpay.testing as testing

    for c in SURFACE["constants"]:
        name = names[c]
        assert isinstance(getattr(qfpay, name, None) or getattr(testing, name), str), c
    assert inspect.getdoc(qfpay.notification_signature)


def test_sandbox_controls() -> None:
    for control in SURFACE["sandbox"]["controls"]:
        assert hasattr(Sandbox, control), control
    params = set(inspect.signature(Sandbox.__init__).parameters) - {"self"}
    assert set(SURFACE["sandbox"]["start_options"]) == params
    assert inspect.signature(Sandbox.__init__).parameters["rate_limit"].default is True
    assert set(SURFACE["sandbox"]["faults"]) == set(typing.get_args(qfpay.testing.FaultKind))


def _burst(sb: Sandbox, threads: int, each: int) -> list[BaseException]:
    import threading

    client = sb.client(max_retries=0)
    stop = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        for _ in range(each):
            if stop.is_set():
                return
            try:
                client.find_payment("qfRATE")
            except qfpay.QfPayError as e:
                errors.append(e)
                stop.set()

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors


def test_sandbox_rate_limit_is_on_by_default() -> None:
    # 8 x 55 requests at once: past 100 per second, and past 400 per minute however slow.
    with Sandbox() as sb:
        errors = _burst(sb, 8, 55)
        assert errors and all(isinstance(e, qfpay.RateLimitedError) for e in errors), errors
    with Sandbox(rate_limit=None) as sb:
        assert _burst(sb, 8, 20) == []


def test_sandbox_orders_fields(sandbox: Sandbox, client: qfpay.Client) -> None:
    p = client.wechat_qr(1001, "HKD")
    rows = [o for o in sandbox.orders() if o["out_trade_no"] == p.out_trade_no]
    assert len(rows) == 1
    assert set(SURFACE["sandbox"]["orders_fields"]) <= set(rows[0])
    assert rows[0]["state"] == "succeeded" and rows[0]["txamt"] == 1001


def test_query_pages_items_across_pages(sandbox: Sandbox, client: qfpay.Client) -> None:
    numbers = [client.wechat_qr(1001, "HKD").out_trade_no for _ in range(5)]
    items = list(client.query_pages(out_trade_no=numbers, page_size=2).items())
    assert sorted(t.out_trade_no for t in items) == sorted(numbers)
    assert all(isinstance(t, qfpay.Transaction) for t in items)
    pages = list(client.query_pages(out_trade_no=numbers[:4], page_size=2))
    assert [len(p) for p in pages] == [2, 2], "no trailing empty page"

    async def collect() -> list[str]:
        return [t.out_trade_no async for t in sandbox.async_client().query_pages(out_trade_no=numbers, page_size=2).items()]

    import asyncio

    assert sorted(asyncio.run(collect())) == sorted(numbers)


def test_environment_names() -> None:
    for name in SURFACE["client"]["environments"]:
        qfpay.Client("A", "K", environment=name)
    for alias in ("prod", "livetest", "test"):
        qfpay.Client("A", "K", environment=alias)
    for refused in SURFACE["client"]["refused_environment_names"]:
        with pytest.raises(qfpay.ConfigError) as info:
            qfpay.Client("A", "K", environment=refused)
        assert "qfpay::" not in str(info.value)


def test_config_warnings_go_to_qfpay_config(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("QFPAY_APP_CODE", "A")
    monkeypatch.setenv("QFPAY_CLIENT_KEY", "K")
    monkeypatch.setenv("QFPAY_ENV", "production")
    monkeypatch.setenv("QFPAY_BASE_URL", "http://127.0.0.1:1")
    with caplog.at_level(logging.WARNING, logger="qfpay.config"):
        qfpay.Client.from_env()
    assert [r for r in caplog.records if r.name == "qfpay.config" and r.levelno == logging.WARNING]


def test_messages_have_no_rust_paths(sandbox: Sandbox) -> None:
    wrong = qfpay.Client(sandbox.app_code, "WRONGKEY" * 4, base_url=sandbox.base_url)
    with pytest.raises(qfpay.AuthError) as info:
        wrong.wechat_qr(1001, "HKD")
    assert "::" not in str(info.value), str(info.value)
    with pytest.raises(qfpay.DecodeError) as bad:
        qfpay.verify_notification(b"not json", qfpay.notification_signature(b"not json", "K"), "K")
    assert "::" not in str(bad.value) and "notification" in str(bad.value)


def test_logging_events_and_fields() -> None:
    from qfpay import _log

    assert list(_log.EVENTS) == SURFACE["logging_events"]
    assert list(_log.FIELDS) == SURFACE["logging_event_fields"]
    assert {_log.http_logger.name, _log.reconcile_logger.name, _log.config_logger.name} == {
        "qfpay.http", "qfpay.reconcile", "qfpay.config"}
