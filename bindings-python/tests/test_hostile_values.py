"""Issue 9.7 and 9.8: extreme numbers for every duration and amount option, and a wrong type
for every argument of the surface: a typed error naming the argument, never a panic; nothing
sent."""

from __future__ import annotations

import asyncio
import math
import typing
from collections.abc import Callable
from typing import Any

import pytest

import qfpay
from qfpay import _types
from qfpay.testing import Sandbox

EXTREMES = [math.nan, math.inf, -math.inf, 1e19, 1e300, -1.0, -1]
CLIENT_DURATIONS = ["timeout", "connect_timeout", "reconcile_timeout", "retry_base_delay", "retry_max_delay"]
WAIT_DURATIONS = ["timeout", "interval", "max_interval"]
PANIC = "PanicException"
#: The QFPay field an argument is sent as, when its Python name differs.
QFPAY_FIELD = {"amount": "txamt", "currency": "txcurrcd"}


def _names(e: BaseException, option: str) -> bool:
    return getattr(e, "field", None) == option or option in str(e)


def _expect_refused(call: Callable[[], object], option: str) -> None:
    try:
        call()
    except qfpay.QfPayError as e:
        assert type(e).__name__ != PANIC
        assert isinstance(e, (qfpay.ValidationError, qfpay.ConfigError)), repr(e)
        assert _names(e, option), f"{e!r} does not name {option}"
    except BaseException as e:  # a PanicException is a BaseException
        pytest.fail(f"{option}: {type(e).__name__}: {e}")
    else:
        pytest.fail(f"{option} was accepted")


def _expect_no_panic(call: Callable[[], object], option: str) -> None:
    try:
        call()
    except qfpay.QfPayError as e:
        assert _names(e, option) or e.code not in ("validation", "config"), repr(e)
    except BaseException as e:
        pytest.fail(f"{option}=0: {type(e).__name__}: {e}")


def test_client_duration_extremes(sandbox: Sandbox) -> None:
    for option in CLIENT_DURATIONS:
        for value in EXTREMES:
            _expect_refused(lambda: sandbox.client(**{option: value}), option)
            _expect_refused(lambda: qfpay.AsyncClient("A", "K", **{option: value}), option)
        _expect_no_panic(lambda: sandbox.client(**{option: 0}).query(out_trade_no="qfZERO"), option)


def test_per_call_and_wait_extremes(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    calls: dict[str, Callable[..., object]] = {
        "wechat_qr": lambda **kw: client.wechat_qr(100, "HKD", **kw),
        "create_payment": lambda **kw: client.create_payment(100, "HKD", "800201", **kw),
        "query": lambda **kw: client.query(out_trade_no="qfX", **kw),
        "find_payment": lambda **kw: client.find_payment("qfX", **kw),
        "refund": lambda **kw: client.refund("S1", 100, "HKD", **kw),
        "close": lambda **kw: client.close(out_trade_no="qfX", amount=100, currency="HKD", **kw),
        "reverse": lambda **kw: client.reverse(out_trade_no="qfX", amount=100, currency="HKD", **kw),
        "query_pages": lambda **kw: client.query_pages(out_trade_no="qfX", **kw),
    }
    for name, call in calls.items():
        for value in EXTREMES:
            _expect_refused(lambda: call(timeout=value), "timeout")
    for option in WAIT_DURATIONS:
        for value in EXTREMES:
            _expect_refused(lambda: client.wait_for_payment("qfX", **{option: value}), option)
    assert sandbox.request_count() == before, "an extreme value was sent"
    _expect_no_panic(lambda: client.wait_for_payment("qfX", timeout=0), "timeout")
    _expect_no_panic(lambda: client.query(out_trade_no="qfX", timeout=0), "timeout")


AMOUNTS: list[Any] = [math.nan, math.inf, -math.inf, 1e19, 1e300, -1, 0, 2**63, 2**70, -(2**70), 100.0]


def test_amount_extremes(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    for value in AMOUNTS:
        for call in (
            lambda: client.wechat_qr(value, "HKD"),
            lambda: client.create_payment(value, "HKD", "800201"),
            lambda: client.refund("S1", value, "HKD"),
            lambda: client.close(out_trade_no="qfX", amount=value, currency="HKD"),
            lambda: client.reverse(out_trade_no="qfX", amount=value, currency="HKD"),
        ):
            try:
                call()
            except qfpay.ValidationError as e:
                assert e.field in ("amount", "txamt"), repr(e)
            except BaseException as e:
                pytest.fail(f"amount={value!r}: {type(e).__name__}: {e}")
            else:
                pytest.fail(f"amount={value!r} accepted")
    assert sandbox.request_count() == before


# -- wrong types, over the whole surface --------------------------------------------------

WRONG: dict[str, list[Any]] = {
    "str": [123, b"bytes", 1.5],
    "int": ["12", 1.5, True],
    "float": ["1.0", True, [1]],
    "strlist": [123, [1, 2], {"a": 1}],
    "extend": [123, ["x"]],
}


def _kind(annotation: Any) -> str:
    text = str(annotation)
    if "ExtendInfo" in text or "dict[str, str]" in text:
        return "extend"
    if "list" in text or "StrOrList" in text:
        return "strlist"
    if "float" in text:
        return "float"
    if "int" in text:
        return "int"
    return "str"


def _options(td: Any) -> dict[str, str]:
    hints = typing.get_type_hints(td, include_extras=False)
    return {name: _kind(t) for name, t in hints.items()}


def _cases(client: qfpay.Client) -> list[tuple[str, str, Callable[..., object], str]]:
    """(operation, argument, call(**kw) taking the argument, kind)."""
    out: list[tuple[str, str, Callable[..., object], str]] = []
    ops: dict[str, tuple[Callable[..., object], dict[str, Any], Any]] = {
        "create_payment": (client.create_payment, {"amount": 100, "currency": "HKD", "pay_type": "800201"}, _types.PaymentOptions),
        "wechat_qr": (client.wechat_qr, {"amount": 100, "currency": "HKD"}, _types.QrPaymentOptions),
        "query": (client.query, {}, _types.QueryOptions),
        "query_pages": (client.query_pages, {}, _types.QueryOptions),
        "find_payment": (client.find_payment, {"out_trade_no": "qfX"}, _types.CallOptions),
        "refund": (client.refund, {"syssn": "S1", "amount": 100, "currency": "HKD"}, _types.RefundOptions),
        "close": (client.close, {"amount": 100, "currency": "HKD", "out_trade_no": "qfX"}, _types.CancelOptions),
        "reverse": (client.reverse, {"amount": 100, "currency": "HKD", "out_trade_no": "qfX"}, _types.CancelOptions),
    }
    positional_kinds = {"amount": "int", "currency": "str", "pay_type": "str", "syssn": "str", "out_trade_no": "str"}
    for op, (fn, required, td) in ops.items():
        for arg in required:
            kind = positional_kinds[arg]
            out.append((op, arg, lambda value, fn=fn, required=required, arg=arg: fn(**{**required, arg: value}), kind))
        for opt, kind in _options(td).items():
            out.append((op, opt, lambda value, fn=fn, required=required, opt=opt: fn(**{**required, opt: value}), kind))
    wait = {"timeout": "float", "interval": "float", "max_interval": "float", "out_trade_no": "str"}
    for arg, kind in wait.items():
        out.append(
            ("wait_for_payment", arg, lambda value, arg=arg: client.wait_for_payment(**{"out_trade_no": "qfX", arg: value}), kind)
        )
    for opt, kind in _options(_types.EnvConfigOptions).items():
        out.append(("Client", opt, lambda value, opt=opt: qfpay.Client(**{"app_code": "A", "client_key": "K", opt: value}), kind))
    return out


def test_every_wrong_type_names_the_argument(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    cases = _cases(client)
    checked = 0
    failures = []
    for op, arg, call, kind in cases:
        for value in WRONG[kind][:1] + ([True] if kind in ("int", "float") else []):
            try:
                call(value)
            except TypeError as e:
                field = QFPAY_FIELD.get(arg, arg)
                if not (isinstance(e, qfpay.ArgumentTypeError) and e.field == field and arg in str(e)):
                    failures.append(f"{op}({arg}={value!r}): {e}")
            except BaseException as e:
                failures.append(f"{op}({arg}={value!r}): {type(e).__name__}: {e}")
            else:
                failures.append(f"{op}({arg}={value!r}) accepted")
            checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 114, checked
    assert sandbox.request_count() == before


def test_max_retries_true_is_refused(sandbox: Sandbox, client: qfpay.Client) -> None:
    with pytest.raises(qfpay.ArgumentTypeError) as info:
        sandbox.client(max_retries=True)
    assert info.value.field == "max_retries"
    assert isinstance(info.value, TypeError) and isinstance(info.value, qfpay.ValidationError)
    with pytest.raises(TypeError, match="max_retries"):
        client.query(out_trade_no="qfX", max_retries=True)


def test_lone_surrogate_is_refused_not_replaced(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    with pytest.raises(qfpay.ValidationError) as info:
        client.wechat_qr(100, "HKD", goods_name="caf\ud800e")
    assert info.value.field == "goods_name"
    assert not isinstance(info.value, TypeError)
    with pytest.raises(qfpay.ValidationError) as info2:
        client.query(out_trade_no=["ok", "bad\udfff"])
    assert info2.value.field == "out_trade_no"
    assert sandbox.request_count() == before


# -- issue 22 item 5: one field per argument, the order named, typed errors everywhere -------


def _raised(call: Callable[[], object]) -> qfpay.QfPayError:
    try:
        call()
    except qfpay.QfPayError as e:
        return e
    except BaseException as e:  # pragma: no cover - the failure message matters
        pytest.fail(f"{type(e).__name__}: {e}")
    pytest.fail("accepted")


SAME_FIELD: list[tuple[str, str, Any, Any]] = [
    # (argument, QFPay field, wrong type, broken rule)
    ("amount", "txamt", "300", 0),
    ("amount", "txamt", 3.5, 2**63),
    ("currency", "txcurrcd", 344, "GBP"),
    ("goods_name", "goods_name", 5, "x" * 65),
    ("expired_time", "expired_time", "5", 4),
    ("out_trade_no", "out_trade_no", 5, "A 1"),
]


def test_a_type_error_and_a_rule_give_the_same_field(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    aclient = sandbox.async_client()
    for arg, field, wrong, broken in SAME_FIELD:
        for value, typed in ((wrong, True), (broken, False)):
            kw: dict[str, Any] = {"amount": 300, "currency": "HKD", arg: value}
            for e in (
                _raised(lambda: client.wechat_qr(**kw)),
                _raised(lambda: asyncio.run(aclient.wechat_qr(**kw))),
            ):
                assert isinstance(e, qfpay.ValidationError), repr(e)
                assert e.field == field, f"{arg}={value!r}: {e!r}"
                assert isinstance(e, qfpay.ArgumentTypeError) == typed, repr(e)
                if typed:
                    assert arg in str(e), f"{e} does not name {arg}"
    for extend, typed in (({"user_creid": 5, "user_truename": "A"}, True), ({"user_creid": "123", "user_truename": "A"}, False)):
        e = _raised(lambda: client.wechat_qr(300, extend_info=extend))
        assert e.field == "extend_info.user_creid" and isinstance(e, TypeError) == typed, repr(e)
    e = _raised(lambda: client.refund("S1", "1", "HKD"))
    assert e.field == "txamt" and str(e).startswith("invalid txamt: amount must be an int"), str(e)
    assert sandbox.request_count() == before


def test_conversion_failures_name_the_order_like_rule_errors(sandbox: Sandbox, client: qfpay.Client) -> None:
    before = sandbox.request_count()
    aclient = sandbox.async_client()
    calls: dict[str, Callable[..., Any]] = {
        "wechat_qr": lambda amount=100, currency="HKD", **kw: client.wechat_qr(amount, currency, **kw),
        "create_payment": lambda amount=100, currency="HKD", **kw: client.create_payment(amount, currency, "800201", **kw),
        "refund": lambda amount=100, currency="HKD", **kw: client.refund("S1", amount, currency, **kw),
        "async wechat_qr": lambda amount=100, currency="HKD", **kw: asyncio.run(aclient.wechat_qr(amount, currency, **kw)),
        "async refund": lambda amount=100, currency="HKD", **kw: asyncio.run(aclient.refund("S1", amount, currency, **kw)),
    }
    failures: list[dict[str, Any]] = [
        {"amount": 2**63},
        {"amount": -(2**70)},
        {"amount": "300"},
        {"currency": 344},
        {"currency": "GBP"},
        {"timeout": math.nan},
        {"max_retries": True},
        {"udid": "caf\ud800e"},
    ]
    for name, call in calls.items():
        core = _raised(lambda: call(amount=0))  # a rule the core checks: it names the order
        assert core.out_trade_no, repr(core)
        for kw in failures:
            e = _raised(lambda: call(**kw))
            assert e.code == "validation", f"{name} {kw}: {e!r}"
            assert e.out_trade_no and e.out_trade_no.startswith("qf"), f"{name} {kw}: {e!r}"
            assert f"(out_trade_no {e.out_trade_no})" in str(e), str(e)
            given = _raised(lambda: call(out_trade_no="qfGIVEN22", **kw))
            assert given.out_trade_no == "qfGIVEN22", f"{name} {kw}: {given!r}"
    # A close or reversal names the order only when it was given, as the core does.
    for op in (client.close, client.reverse):
        core = _raised(lambda: op(syssn="S1", amount=0, currency="HKD"))
        mine = _raised(lambda: op(syssn="S1", amount=2**63, currency="HKD"))
        assert core.out_trade_no is None and mine.out_trade_no is None, (core, mine)
        core = _raised(lambda: op(out_trade_no="qfC22", syssn="S9", amount=0, currency="HKD"))
        mine = _raised(lambda: op(out_trade_no="qfC22", syssn="S9", amount="1", currency="HKD"))
        assert (core.out_trade_no, core.syssn) == (mine.out_trade_no, mine.syssn) == ("qfC22", "S9")
        assert "(out_trade_no qfC22, syssn S9)" in str(mine), str(mine)
    assert sandbox.request_count() == before


def test_module_functions_raise_typed_errors_naming_the_argument() -> None:
    body = b'{"notify_type":"payment"}'
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: qfpay.verify_notification(body, 123, "K"), "signature"),  # type: ignore[arg-type]
        (lambda: qfpay.verify_notification(body, "00", 123), "client_key"),  # type: ignore[arg-type]
        (lambda: qfpay.verify_notification({"notify_type": "payment"}, "00", "K"), "raw_body"),  # type: ignore[arg-type]
        (lambda: qfpay.notification_signature(123, "K"), "raw_body"),  # type: ignore[arg-type]
        (lambda: qfpay.notification_signature(body, b"K"), "client_key"),  # type: ignore[arg-type]
        (lambda: qfpay.sign({"a": "1"}, 5), "client_key"),  # type: ignore[arg-type]
        (lambda: qfpay.sign({"a": "1"}, "K", 5), "sign_type"),  # type: ignore[arg-type]
        (lambda: qfpay.sign(5, "K"), "params"),  # type: ignore[arg-type]
        (lambda: qfpay.sign({5: "1"}, "K"), "params"),  # type: ignore[dict-item]
        (lambda: qfpay.string_to_sign([("a", "1")]), "params"),  # type: ignore[arg-type]
        (lambda: qfpay.qr_svg(5), "content"),  # type: ignore[arg-type]
        (lambda: qfpay.qr_png("weixin://x", scale="8"), "scale"),  # type: ignore[arg-type]
        (lambda: qfpay.qr_data_url(None), "content"),  # type: ignore[arg-type]
        (lambda: qfpay.qr_terminal(b"x"), "content"),  # type: ignore[arg-type]
    ]
    for call, field in cases:
        try:
            call()
        except qfpay.ArgumentTypeError as e:
            assert e.field == field and field in str(e), repr(e)
            assert isinstance(e, TypeError)
        except BaseException as e:
            pytest.fail(f"{field}: {type(e).__name__}: {e}")
        else:
            pytest.fail(f"{field}: accepted")
    # A lone surrogate is a ValidationError naming the argument, never a UnicodeEncodeError
    # (which would keep the whole string, a key included, in its .object).
    for call, field in [
        (lambda: qfpay.verify_notification(body, "00", "K\ud800"), "client_key"),
        (lambda: qfpay.verify_notification("{\ud800}", "00", "K"), "raw_body"),
        (lambda: qfpay.sign({"a": "1"}, "K\ud800"), "client_key"),
        (lambda: qfpay.sign({"a": "x\ud800"}, "K"), "params"),
        (lambda: qfpay.string_to_sign({"a": "x\ud800"}), "params"),
    ]:
        with pytest.raises(qfpay.ValidationError) as info:
            call()
        assert info.value.field == field and not isinstance(info.value, UnicodeError), repr(info.value)
    # Unknown sign types and currencies are not quoted (a key pasted there stays out).
    with pytest.raises(qfpay.ConfigError) as cfg:
        qfpay.sign({"a": "1"}, "K", "SECRET-SIGN-TYPE")
    assert cfg.value.field == "sign_type" and "SECRET" not in str(cfg.value)
