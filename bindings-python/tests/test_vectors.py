"""Every shared vector file in tests/vectors/, run through the public Python API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import qfpay
from qfpay.testing import Sandbox

from conftest import VECTORS, load_vectors


def test_every_vector_file_is_covered() -> None:
    files = sorted(p.stem for p in VECTORS.glob("*.json"))
    assert files == ["checkout", "notifications", "responses", "results", "signing", "validation"], files


# -- signing -----------------------------------------------------------------------------

@pytest.mark.parametrize("case", load_vectors("signing"), ids=lambda c: c["name"])
def test_signing(case: dict[str, Any]) -> None:
    assert qfpay.string_to_sign(case["params"]) == case["string_to_sign"]
    assert qfpay.sign(case["params"], case["key"], case["sign_type"]) == case["signature"]


# -- notifications -----------------------------------------------------------------------

@pytest.mark.parametrize("case", load_vectors("notifications"), ids=lambda c: c["name"])
def test_notifications(case: dict[str, Any]) -> None:
    body = case["body"].encode("utf-8")
    if case["valid"]:
        n = qfpay.verify_notification(body, case["signature"], case["key"])
        for name, want in case["expect"].items():
            assert getattr(n, name) == want, name
        # A str body is taken as its UTF-8 bytes.
        assert qfpay.verify_notification(case["body"], case["signature"], case["key"]).raw == n.raw
    else:
        with pytest.raises(qfpay.QfPayError) as info:
            qfpay.verify_notification(body, case["signature"], case["key"])
        assert info.value.code == case["error_code"]


# -- validation (against the sandbox: nothing may be sent) --------------------------------

def call(client: qfpay.Client, operation: str, params: dict[str, Any]) -> Any:
    p = dict(params)
    if operation == "payment":
        return client.create_payment(p.pop("txamt"), p.pop("txcurrcd"), p.pop("pay_type"), **p)
    if operation == "query":
        return client.query(**p)
    if operation == "refund":
        return client.refund(p.pop("syssn"), p.pop("txamt"), p.pop("txcurrcd"), **p)
    if operation in ("close", "reverse"):
        method = client.close if operation == "close" else client.reverse
        return method(amount=p.pop("txamt"), currency=p.pop("txcurrcd"), **p)
    raise AssertionError(f"unknown operation {operation}")


@pytest.fixture(scope="module")
def strict_client(sandbox: Sandbox) -> qfpay.Client:
    return sandbox.client(max_retries=0, reconcile_timeout=0.3, timeout=5.0)


@pytest.mark.parametrize("case", load_vectors("validation"), ids=lambda c: c["name"])
def test_validation(case: dict[str, Any], sandbox: Sandbox, strict_client: qfpay.Client) -> None:
    before = sandbox.request_count()
    if case["valid"]:
        try:
            call(strict_client, case["operation"], case["params"])
        except qfpay.ValidationError as e:  # pragma: no cover - the failure message matters
            pytest.fail(f"valid request rejected: {e!r}")
        except qfpay.QfPayError:
            pass  # the sandbox may still answer with an API error
    else:
        with pytest.raises(qfpay.ValidationError) as info:
            call(strict_client, case["operation"], case["params"])
        assert info.value.code == "validation"
        assert info.value.field == case["field"]
        assert info.value.rule
        assert sandbox.request_count() == before, "a rejected request reached the sandbox"


# -- responses (the sandbox answers exactly the canned body) ------------------------------

@pytest.fixture()
def canned_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.reset()
    yield sandbox
    sandbox.reset()


def check_fields(obj: Any, fields: dict[str, Any]) -> None:
    for name, want in fields.items():
        if name == "records":
            assert len(obj.data) == want
        elif name == "first":
            check_fields(obj.data[0], want)
        else:
            assert getattr(obj, name) == want, name


@pytest.mark.parametrize("case", load_vectors("responses"), ids=lambda c: c["name"])
def test_responses(case: dict[str, Any], canned_sandbox: Sandbox, strict_client: qfpay.Client) -> None:
    canned_sandbox.inject_fault("canned", 1, status=case["status"], body=case["body"])
    expect = case["expect"]
    if expect["ok"]:
        result = call(strict_client, case["operation"], case["request"])
        check_fields(result, expect.get("fields", {}))
        assert isinstance(result.raw, dict)
    else:
        with pytest.raises(qfpay.QfPayError) as info:
            call(strict_client, case["operation"], case["request"])
        assert info.value.code == expect["error_code"], repr(info.value)
        if "respcd" in expect:
            assert info.value.respcd == expect["respcd"]
        if expect["error_code"] == "status_unknown":
            assert isinstance(info.value, qfpay.StatusUnknownError)
            assert info.value.out_trade_no


# -- results (what the typed results mean, computed values included) ----------------------

#: results.json's names are the core's snake_case, which are Python's own; the one exception is
#: the error's code (the core's ``Error::code()``), ``QfPayError.code`` in Python.
PY_NAMES: dict[str, str] = {"error_code": "code"}
RESULT_KINDS = ("transaction", "notification", "duplicate_order", "payment", "reconcile", "note")


#: The typed objects a result holds (a payment's pay parameters), by field name.
NESTED: dict[str, type] = {
    "wechat_pay_params": qfpay.WechatPayParams,
    "wechat_app_params": qfpay.WechatAppParams,
    "alipay_pay_params": qfpay.AlipayPayParams,
}


def check_result(case: str, obj: Any, expect: dict[str, Any]) -> None:
    """Every expected key equals the result's attribute, of the same Python type (``True`` is
    not ``1``; ``state`` and ``notify_type`` are str); a nested typed object (``None`` when
    expected null) field by field, its ``raw`` as QFPay sent it."""
    for key, want in expect.items():
        name = PY_NAMES.get(key, key)
        assert hasattr(obj, name), f"{case}: {type(obj).__name__} has no {name!r}"
        got = getattr(obj, name)
        if name in NESTED and want is not None:
            assert isinstance(got, NESTED[name]), f"{case}: {name} is {got!r}"
            check_result(f"{case}: {name}", got, want)
            continue
        assert got == want and type(got) is type(want), f"{case}: {name} is {got!r}, expected {want!r}"


def check_contains(at: str, got: Any, want: Any) -> None:
    """The report holds everything ``want`` says, recursively (the Rust runner's ``contains``):
    an object's expected fields (others, such as a discrepancy's ``detail``, may exist), a list
    item by item with the same length, any other value equal and of the same Python type (a
    discrepancy's ``kind`` is its str; ``None`` is an absent amount)."""
    if isinstance(want, dict):
        for key, value in want.items():
            name = PY_NAMES.get(key, key)
            assert hasattr(got, name), f"{at}: {type(got).__name__} has no {name!r}"
            check_contains(f"{at}.{name}", getattr(got, name), value)
    elif isinstance(want, list):
        assert isinstance(got, list), f"{at}: not a list: {got!r}"
        assert len(got) == len(want), f"{at}: {len(got)} items, expected {len(want)}: {got!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            check_contains(f"{at}[{i}]", g, w)
    else:
        assert got == want and type(got) is type(want), f"{at} is {got!r}, expected {want!r}"


def test_results_kinds_are_all_run() -> None:
    kinds = {c["kind"] for c in load_vectors("results")}
    assert kinds == set(RESULT_KINDS), kinds


@pytest.mark.parametrize("case", load_vectors("results"), ids=lambda c: c["name"])
def test_results(case: dict[str, Any], canned_sandbox: Sandbox, strict_client: qfpay.Client) -> None:
    name, kind, expect = case["name"], case["kind"], case["expect"]
    assert kind in RESULT_KINDS, f"{name}: unknown kind {kind}"
    if kind == "transaction":
        canned_sandbox.inject_fault("canned", 1, status=200, body=case["answer"])
        page = strict_client.query(syssn=case["syssn"])
        assert len(page.data) == 1, name
        assert isinstance(page.data[0], qfpay.Transaction)
        check_result(name, page.data[0], expect)
    elif kind == "notification":
        n = qfpay.verify_notification(case["body"].encode("utf-8"), case["signature"], case["key"])
        check_result(name, n, expect)
    elif kind == "payment":
        canned_sandbox.inject_fault("canned", 1, status=200, body=case["answer"])
        payment = call(strict_client, "payment", case["request"])
        assert isinstance(payment, qfpay.Payment)
        check_result(name, payment, expect)
    elif kind == "reconcile":
        canned_sandbox.inject_fault("canned", 1, status=200, body=case["answer"])
        report = strict_client.reconcile(case["ledger"], case["start_time"], case["end_time"], min_interval=0)
        assert isinstance(report, qfpay.ReconcileReport)
        assert all(isinstance(d, qfpay.Discrepancy) for d in report.discrepancies), name
        assert all(isinstance(t, qfpay.NetTotal) for t in report.net), name
        check_contains(name, report, expect)
    elif kind == "note":
        canned_sandbox.inject_fault("canned", 1, status=200, body=case["answer"])
        added = strict_client.add_note(case["syssn"], case["note"])
        assert isinstance(added, qfpay.NoteAdded), f"{name}: {added!r}"
        check_result(name, added, expect)
    else:
        assert kind == "duplicate_order", f"{name}: unknown kind {kind}"
        for answer in case["answers"]:
            canned_sandbox.inject_fault("canned", 1, status=200, body=answer)
        with pytest.raises(qfpay.DuplicateOrderError) as info:
            call(strict_client, "payment", case["request"])
        e = info.value
        check_result(name, e, {k: v for k, v in expect.items() if k != "existing"})
        assert e.existing is not None, f"{name}: no existing transaction"
        assert isinstance(e.existing, qfpay.Transaction)
        check_result(name, e.existing, expect["existing"])


# -- checkout (hosted checkout links: built, read back, verified) ---------------------------

def checkout_client(case: dict[str, Any]) -> qfpay.Client:
    return qfpay.Client(
        case["app_code"], case["key"], base_url=case["base_url"], sign_type=case.get("sign_type", "md5")
    )


def build_checkout(client: qfpay.Client, request: dict[str, Any]) -> qfpay.CheckoutLink:
    r = dict(request)
    return client.checkout_url(
        r.pop("amount"), r.pop("currency"), r.pop("return_url"), r.pop("failed_url"), r.pop("notify_url"), **r
    )


def test_checkout_kinds_are_all_run() -> None:
    assert {c["kind"] for c in load_vectors("checkout")} == {"sign", "verify"}


@pytest.mark.parametrize("case", load_vectors("checkout"), ids=lambda c: c["name"])
def test_checkout(case: dict[str, Any]) -> None:
    client = checkout_client(case)
    if case["kind"] == "sign":
        link = build_checkout(client, case["request"])
        assert isinstance(link, qfpay.CheckoutLink)
        assert link.url == case["url"]
        assert link.sign == case["sign"]
        assert link.sign_type == case["sign_type"]
        assert link.txamt == case["request"]["amount"]
        unsigned = {k: v for k, v in link.params.items() if k != "sign"}
        assert qfpay.string_to_sign(unsigned) == case["string_to_sign"]
        back = client.verify_checkout_url(link.url)
        assert back.url == link.url and back.sign == link.sign
        assert back.params == link.params
        assert back.out_trade_no == case["request"].get("out_trade_no", link.out_trade_no)
    elif case["valid"]:
        link = client.verify_checkout_url(case["url"])
        assert link.appcode == case["app_code"]
    else:
        with pytest.raises(qfpay.SignatureError) as info:
            client.verify_checkout_url(case["url"])
        assert info.value.code == "signature"
        if "reason" in case:
            assert case["reason"] in str(info.value), str(info.value)
