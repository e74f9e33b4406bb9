"""Issue 28, reconciliation from Python against the in-process sandbox over real HTTP: every
transaction of a period (calendar-month windows, a leap February, pages of 100, 429s waited
out), ``reconcile`` with every kind of discrepancy and the net per day and currency (ledger as
CSV text and as a list of dicts, report read back from its CSV and JSON), duplicates named by
``other_payments``, ``1269``'s ``available``, the trade bill's bytes and the legacy settlements.
Each test seeds its own sandbox (history is written through ``POST /sandbox/seed``)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

import qfpay
from qfpay.testing import Sandbox

from conftest import REPO

PERIOD = ("2024-01-15 00:00:00", "2024-03-31 23:59:59")
WINDOWS = [
    ("2024-01-15 00:00:00", "2024-01-31 23:59:59"),
    ("2024-02-01 00:00:00", "2024-02-29 23:59:59"),  # 2024 is a leap year
    ("2024-03-01 00:00:00", "2024-03-31 23:59:59"),
]
#: QFPay's (and the sandbox's) time zone.
QFPAY_TZ = timezone(timedelta(hours=8))


def control(sb: Sandbox, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The sandbox's control API over HTTP (``/sandbox/...``)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(sb.base_url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return json.loads(answer.read())


def seed(sb: Sandbox, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = control(sb, "POST", "/sandbox/seed", body)
    assert answer["ok"] is True
    return answer


def queries(sb: Sandbox) -> list[tuple[int, dict[str, str]]]:
    """Each query request the sandbox received: its HTTP status and its form fields."""
    return [
        (r["status"], dict(urllib.parse.parse_qsl(r["body"])))
        for r in sb.requests()
        if r["path"] == "/trade/v1/query"
    ]


def today() -> date:
    return datetime.now(QFPAY_TZ).date()


def this_month() -> tuple[str, str]:
    first = today().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"{first} 00:00:00", f"{last} 23:59:59"


@pytest.fixture()
def fresh() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=False) as sb:
        yield sb


def test_month_windows_leap_february_and_paging(fresh: Sandbox) -> None:
    seeded = seed(fresh, orders=400, refunds=20, **{"from": "2024-01-20", "to": "2024-03-10", "seed": 2801})
    client = fresh.client(max_retries=0)
    walk = client.transactions(*PERIOD, min_interval=0)
    assert isinstance(walk, qfpay.Transactions)
    assert fresh.request_count() == 0  # nothing is sent until the iteration starts

    seen = [t for t in walk]
    assert all(isinstance(t, qfpay.Transaction) for t in seen)
    syssns = [t.syssn for t in seen]
    book = {o["syssn"] for o in fresh.orders()}
    assert len(syssns) == seeded["records"] == len(book)  # every record exactly once
    assert set(syssns) == book
    refunds = [t for t in seen if t.is_refund]
    assert len(refunds) == seeded["refunds"] and all(r.origssn in book for r in refunds)

    sent = queries(fresh)
    windows = list(dict.fromkeys((q["start_time"], q["end_time"]) for _, q in sent))
    assert windows == WINDOWS
    february = [int(q["page"]) for _, q in sent if q["start_time"].startswith("2024-02")]
    feb_records = sum(1 for t in seen if t.sysdtm.startswith("2024-02"))
    assert feb_records > 200
    assert february == list(range(1, feb_records // 100 + 2))  # pages 1, 2, 3 (the last one short)
    assert {q["page_size"] for _, q in sent} == {"100"}


def test_rate_limit_is_waited_out_by_the_walk() -> None:
    # 2 requests a second: a walk that does not pace itself meets 429s; with max_retries=0 the
    # client does not retry them, the walk waits each one out and goes on.
    with Sandbox(rate_limit=(2, 400)) as sb:
        seeded = seed(sb, orders=350, **{"from": "2024-01-20", "to": "2024-03-10", "seed": 2802})
        client = sb.client(max_retries=0)
        started = time.monotonic()
        months = Counter(t.sysdtm[:7] for t in client.transactions(*PERIOD, min_interval=0))
        elapsed = time.monotonic() - started
        assert sum(months.values()) == seeded["records"]
        statuses = Counter(status for status, _ in queries(sb))
        assert statuses[429] >= 1, statuses
        assert statuses[200] == sum(n // 100 + 1 for n in months.values())  # each page answered once
        assert elapsed < 10


def test_min_interval_paces_the_requests(fresh: Sandbox) -> None:
    seed(fresh, orders=150, **{"from": "2024-01-20", "to": "2024-01-30", "seed": 2803})
    client = fresh.client()
    started = time.monotonic()
    assert sum(1 for _ in client.transactions(*PERIOD, min_interval=0.2)) == 150
    assert time.monotonic() - started >= 0.2 * 3  # Jan: 2 pages, Feb and Mar: 1 each
    with pytest.raises(qfpay.ValidationError) as info:
        client.transactions(*PERIOD, min_interval=-1)
    assert info.value.field == "min_interval"
    with pytest.raises(qfpay.ArgumentTypeError):
        client.transactions(*PERIOD, min_interval="fast")  # type: ignore[typeddict-item]


def test_async_walk_gives_the_same_records(fresh: Sandbox) -> None:
    seed(fresh, orders=230, **{"from": "2024-01-20", "to": "2024-03-10", "seed": 2804})
    expected = {t.syssn for t in fresh.client().transactions(*PERIOD, min_interval=0)}

    async def walk() -> list[str]:
        client = fresh.async_client()
        items = client.transactions(*PERIOD, min_interval=0)
        assert isinstance(items, qfpay.AsyncTransactions)
        return [t.syssn async for t in items]

    got = asyncio.run(walk())
    assert len(got) == len(expected) and set(got) == expected


def test_walk_arguments_are_checked_before_sending(fresh: Sandbox) -> None:
    client = fresh.client()
    with pytest.raises(qfpay.ValidationError) as info:
        client.transactions("2024-03-01 00:00:00", "2024-01-01 00:00:00")
    assert info.value.field
    with pytest.raises(qfpay.ValidationError):
        client.transactions("yesterday", "2024-01-01 00:00:00")
    with pytest.raises(qfpay.ValidationError):
        client.transactions(*PERIOD, colour="red")  # type: ignore[call-arg]
    assert fresh.request_count() == 0


def test_query_pages_still_iterate_pages(fresh: Sandbox) -> None:
    seed(fresh, orders=120, **{"from": "2024-02-01", "to": "2024-02-10", "seed": 2805})
    pages = list(fresh.client().query_pages(start_time="2024-02-01 00:00:00", end_time="2024-02-29 23:59:59", page_size=100))
    assert [len(p) for p in pages] == [100, 20]
    assert all(isinstance(p, qfpay.QueryPage) for p in pages)


def scenario(sb: Sandbox) -> tuple[qfpay.Client, dict[str, tuple[int, str, str]]]:
    """Today's book, one order per kind of discrepancy (and one that matches): the ledger's
    view of each (amount, currency, state), keyed by order number."""
    seeded = seed(sb, orders=3, duplicates=1, **{"from": str(today()), "to": str(today()), "seed": 2806})
    client = sb.client()
    pending = client.wechat_qr(2000, "HKD")  # never scanned
    paid = {name: client.wechat_qr(1001, "HKD").out_trade_no for name in ("ok", "amount", "currency", "refund", "unpaid")}
    refunded = client.find_payment(paid["refund"])
    assert refunded is not None
    client.refund(refunded.syssn, 500, "HKD")
    duplicate = seeded["duplicate_out_trade_nos"][0]
    found = client.find_payment(duplicate)
    assert found is not None
    ledger = {
        paid["ok"]: (1001, "HKD", "paid"),
        paid["amount"]: (1500, "HKD", "paid"),
        paid["currency"]: (1001, "CNY", "paid"),
        paid["refund"]: (1001, "HKD", "paid"),  # the ledger does not know the refund
        paid["unpaid"]: (1001, "HKD", "unpaid"),
        "SHOP-NEVER-PAID": (800, "HKD", "paid"),
        duplicate: (found.txamt, found.txcurrcd, "paid"),
    }
    assert pending.out_trade_no not in ledger  # pending_too_long is QFPay's side alone
    return client, ledger


def as_csv(ledger: dict[str, tuple[int, str, str]]) -> str:
    lines = ["out_trade_no,amount,currency,state"]
    lines += [f"{no},{amount},{currency},{state}" for no, (amount, currency, state) in ledger.items()]
    return "\n".join(lines) + "\n"


def as_list(ledger: dict[str, tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [{"out_trade_no": no, "amount": a, "currency": c, "state": s} for no, (a, c, s) in ledger.items()]


def test_reconcile_reports_every_kind_and_the_net(fresh: Sandbox) -> None:
    client, ledger = scenario(fresh)
    time.sleep(1.1)  # the pending payment is older than pending_after=0 (QFPay's times are seconds)
    start, end = this_month()
    report = client.reconcile(as_csv(ledger), start, end, min_interval=0, pending_after=0)
    assert isinstance(report, qfpay.ReconcileReport)
    assert not report.clean
    kinds = Counter(d.kind for d in report.discrepancies)
    assert set(kinds) == {
        "missing_at_qfpay",
        "missing_in_ledger",
        "amount_mismatch",
        "currency_mismatch",
        "duplicate_payments",
        "pending_too_long",
        "unknown_refund",
        "state_mismatch",
    }
    by_kind = {d.kind: d for d in report.discrepancies}
    assert by_kind["missing_at_qfpay"].out_trade_no == "SHOP-NEVER-PAID"
    assert (by_kind["amount_mismatch"].ledger_amount, by_kind["amount_mismatch"].qfpay_amount) == (1500, 1001)
    assert by_kind["currency_mismatch"].currency == "HKD"
    assert by_kind["unknown_refund"].qfpay_amount == 500
    assert by_kind["pending_too_long"].ledger_amount is None and len(by_kind["pending_too_long"].syssns) == 1
    dup = by_kind["duplicate_payments"]
    assert len(dup.syssns) >= 2
    assert kinds["missing_in_ledger"] == 2  # the two seeded orders the ledger does not have
    assert report.matched == 1 and report.ledger_orders == len(ledger)
    assert "1 matched" in report.summary
    shown = repr(report)  # the documents are summarised, the lists counted
    assert "csv=<" in shown and "discrepancies=<" in shown and report.csv not in shown

    # Net per day and currency, against the sandbox's book.
    book = fresh.orders()
    paid = Counter[tuple[str, str]]()
    refunded = Counter[tuple[str, str]]()
    for o in book:
        key = (o["sysdtm"][:10], o["txcurrcd"])
        if o["kind"] == "payment" and o["state"] in ("succeeded", "refunded", "partially_refunded"):
            paid[key] += o["txamt"]
        elif o["kind"] == "refund" and o["state"] == "succeeded":
            refunded[key] += o["txamt"]
    assert {(n.day, n.currency): (n.paid, n.refunded, n.net) for n in report.net} == {
        k: (paid[k], refunded[k], paid[k] - refunded[k]) for k in set(paid) | set(refunded)
    }

    # The same from a list of dicts; the report's CSV and JSON read back.
    again = client.reconcile(as_list(ledger), start, end, min_interval=0, pending_after=0)
    shape = [(d.kind, d.out_trade_no, d.syssns) for d in report.discrepancies]
    assert [(d.kind, d.out_trade_no, d.syssns) for d in again.discrepancies] == shape
    rows = list(csv.DictReader(io.StringIO(report.csv)))
    assert [(r["kind"], r["out_trade_no"]) for r in rows] == [(k, no) for k, no, _ in shape]
    assert {r["kind"]: r["ledger_amount"] for r in rows}["amount_mismatch"] == "1500"
    data = json.loads(report.json)
    assert [d["kind"] for d in data["discrepancies"]] == [k for k, _, _ in shape]
    assert data["clean"] is False and data["matched"] == 1
    net_rows = list(csv.DictReader(io.StringIO(report.net_csv)))
    assert [(r["day"], r["currency"], int(r["net"])) for r in net_rows] == [(n.day, n.currency, n.net) for n in report.net]

    async def reconcile_async() -> qfpay.ReconcileReport:
        return await fresh.async_client().reconcile(as_list(ledger), start, end, min_interval=0, pending_after=0)

    assert [(d.kind, d.out_trade_no) for d in asyncio.run(reconcile_async()).discrepancies] == [(k, no) for k, no, _ in shape]


def test_a_clean_ledger_is_clean(fresh: Sandbox) -> None:
    client = fresh.client()
    numbers = [client.wechat_qr(1001, "HKD").out_trade_no for _ in range(3)]
    ledger = [{"out_trade_no": no, "amount": 1001, "currency": "HKD"} for no in numbers]
    report = client.reconcile(ledger, *this_month(), min_interval=0)
    assert report.clean and report.matched == 3 and list(report.discrepancies) == []
    assert report.csv.splitlines() == ["kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail"]
    # Any iterator of dicts: a generator, a database cursor's rows.
    rows = (dict(entry) for entry in ledger)
    again = client.reconcile(rows, *this_month(), min_interval=0)
    assert again.clean and again.matched == 3 and again.ledger_orders == 3


def test_a_ledger_whose_iteration_raises_is_refused_not_cut_short(fresh: Sandbox) -> None:
    def rows() -> Any:
        yield {"out_trade_no": "A1", "amount": 100, "currency": "HKD"}
        raise RuntimeError("the database went away")

    with pytest.raises(qfpay.ArgumentTypeError) as info:
        fresh.client().reconcile(rows(), *PERIOD)
    assert info.value.field == "ledger"
    assert "the database went away" in str(info.value)
    assert fresh.request_count() == 0


@pytest.mark.parametrize(
    ("ledger", "where", "rule"),
    [
        ([{"out_trade_no": "A1", "amount": 100, "currency": "HKD"}, {"out_trade_no": "A2", "amount": -5, "currency": "HKD"}], "entry 2", "amount"),
        ([{"out_trade_no": "A1", "amount": 100, "currency": "HKD", "state": "shipped"}], "entry 1", "state"),
        ([{"out_trade_no": "A1", "amount": "100", "currency": "HKD"}], "entry 1", "amount"),
        ([{"out_trade_no": "A1", "amount": 100, "currency": "HKD", "colour": "red"}], "entry 1", "colour"),
        ("out_trade_no,amount,currency\nA1,100,HKD\nA2,ten,HKD\n", "line 3", "amount"),
        ("number,amount\nA1,100\n", "", "out_trade_no"),
    ],
)
def test_a_bad_ledger_is_refused_naming_the_entry_and_rule(fresh: Sandbox, ledger: Any, where: str, rule: str) -> None:
    client = fresh.client()
    with pytest.raises(qfpay.ValidationError) as info:
        client.reconcile(ledger, *PERIOD)
    assert info.value.field == "ledger"
    assert where in str(info.value) and rule in str(info.value)
    assert fresh.request_count() == 0


def test_a_ledger_of_the_wrong_type_is_a_type_error(fresh: Sandbox) -> None:
    with pytest.raises(qfpay.ArgumentTypeError) as info:
        fresh.client().reconcile(42, *PERIOD)  # type: ignore[arg-type]
    assert info.value.field == "ledger" and isinstance(info.value, TypeError)
    assert "dicts in a list, a tuple or an iterator" in str(info.value)


def test_duplicates_are_named_by_other_payments(fresh: Sandbox) -> None:
    seeded = seed(fresh, orders=40, duplicates=2, **{"from": "2024-02-01", "to": "2024-02-20", "seed": 2807})
    assert len(seeded["duplicate_out_trade_nos"]) == 2
    client = fresh.client()
    for number in seeded["duplicate_out_trade_nos"]:
        found = client.find_payment(number)
        assert found is not None and found.state == "succeeded"
        book = {o["syssn"] for o in fresh.orders() if o["out_trade_no"] == number and o["kind"] == "payment"}
        assert len(found.other_payments) == len(book) - 1 >= 1
        assert {found.syssn, *found.other_payments} == book
        waited = client.wait_for_payment(number, timeout=5)
        assert waited.syssn == found.syssn and waited.other_payments == found.other_payments
    single = client.find_payment("SEED2807-0000001")
    if single is not None and single.out_trade_no not in seeded["duplicate_out_trade_nos"]:
        assert single.other_payments == []

    number = seeded["duplicate_out_trade_nos"][0]
    with pytest.raises(qfpay.DuplicateOrderError) as info:
        client.wechat_qr(300, "HKD", out_trade_no=number)
    existing = info.value.existing
    assert existing is not None and existing.other_payments
    assert str(len(existing.other_payments)) + " more" in str(info.value)


def test_1269_says_how_much_is_available(fresh: Sandbox) -> None:
    yesterday = today() - timedelta(days=1)
    seed(fresh, orders=60, **{"from": str(yesterday - timedelta(days=5)), "to": str(yesterday), "seed": 2808})
    older = next(
        o for o in fresh.orders()
        if o["kind"] == "payment" and o["pay_type"] == "800201" and o["txamt"] >= 2000 and o["state"] == "succeeded"
    )
    control(fresh, "POST", "/sandbox/config", {"refund_rules": {"daily_unsettled": True}})
    client = fresh.client()
    client.wechat_qr(1001, older["txcurrcd"])  # today's unsettled amount of this pay type: 1001
    with pytest.raises(qfpay.RefundRejectedError) as info:
        client.refund(older["syssn"], 1500, older["txcurrcd"])
    assert info.value.respcd == "1269"
    assert info.value.available == 1001
    assert info.value.out_trade_no  # a money-moving call's error names its order
    done = client.refund(older["syssn"], 1001, older["txcurrcd"])  # what is available goes through
    assert done.txamt == 1001


def test_trade_bill_is_the_zip_as_sent(fresh: Sandbox) -> None:
    seed(fresh, orders=30, **{"from": str(today()), "to": str(today()), "seed": 2809})
    bill = fresh.client().download_trade_bill(str(today()))
    assert isinstance(bill, qfpay.TradeBill) and bill.trade_date == str(today())
    assert isinstance(bill.content, bytes) and bill.content[:2] == b"PK"
    assert all(isinstance(e, qfpay.TradeBillEntry) for e in bill.entries) and len(bill) == len(bill.entries) >= 1
    with zipfile.ZipFile(io.BytesIO(bill.content)) as z:
        assert [i.filename for i in z.infolist()] == [e.name for e in bill.entries]
        assert [i.file_size for i in z.infolist()] == [e.size for e in bill.entries]
        rows = sum(len(z.read(e.name).decode().splitlines()) - 1 for e in bill.entries)
    assert rows == 30
    assert "bytes>" in repr(bill)  # the repr does not print the file

    with pytest.raises(qfpay.ValidationError) as info:
        fresh.client().download_trade_bill("08/12/2026")
    assert info.value.field == "trade_date"


def test_trade_bill_is_refused_before_sending_on_live_test() -> None:
    client = qfpay.Client("APPCODE", "KEY", environment="live_test", timeout=2, max_retries=0)
    started = time.monotonic()
    with pytest.raises(qfpay.ConfigError) as info:
        client.download_trade_bill("2026-12-01")
    assert time.monotonic() - started < 1
    assert "production" in str(info.value)


def test_settlements_are_typed(fresh: Sandbox) -> None:
    seed(fresh, orders=200, refunds=20, **{"from": "2024-02-01", "to": "2024-02-10", "seed": 2810})
    answer = fresh.client().settlements("20240201", "20240210")
    assert isinstance(answer, qfpay.Settlements) and len(answer) == len(answer.data) > 0
    for s in answer:
        assert isinstance(s, qfpay.Settlement)
        assert all(isinstance(v, int) for v in (s.pay_amt, s.refund_amt, s.chnl_poundage_amt, s.pay_net_amt, s.settlement_amt))
        assert s.pay_net_amt == s.pay_amt - s.refund_amt
        assert s.settlement_amt == s.pay_net_amt - s.chnl_poundage_amt
        assert s.raw["chnl_mch_id"] == s.chnl_mch_id
    channels = ("8002", "8001", "8015")  # WeChat and Alipay: what the legacy query knows
    paid = sum(
        o["txamt"] for o in fresh.orders()
        if o["kind"] == "payment" and o["pay_type"].startswith(channels) and o["state"] != "failed"
    )
    assert sum(s.pay_amt for s in answer) == paid
    with pytest.raises(qfpay.ValidationError) as info:
        fresh.client().settlements("2024-02-01", "20240210")
    assert info.value.field == "date_start"


def test_readme_reconciliation_section_runs(fresh: Sandbox, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    text = (REPO / "bindings-python" / "README.md").read_text("utf-8")
    section = text.split("## Reconciliation", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks
    seed(fresh, orders=500, refunds=30, duplicates=2, **{"from": "2026-01-05", "to": "2026-03-20", "seed": 2811})
    orders = list({o["out_trade_no"]: o for o in fresh.orders() if o["kind"] == "payment"}.values())[:50]
    (tmp_path / "orders.csv").write_text(
        "out_trade_no,amount,currency\n" + "".join(f"{o['out_trade_no']},{o['txamt']},{o['txcurrcd']}\n" for o in orders)
    )
    monkeypatch.chdir(tmp_path)
    for k, v in fresh.env().items():
        monkeypatch.setenv(k, v)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "records" in out and "PK" in out


def test_a_walk_stops_on_a_signal_and_resumes(fresh: Sandbox) -> None:
    # A page that takes long (a 429 waited out, a slow answer) holds no Ctrl-C: the GIL is
    # released in slices and the signal handler's exception ends the wait; the walk goes on
    # from the same page on the next call.
    import signal

    seed(fresh, orders=150, **{"from": "2024-01-20", "to": "2024-01-30", "seed": 2812})
    walk = fresh.client().transactions(*PERIOD, min_interval=0)
    # Pages 1 and 2 slow: page 2 is asked for as soon as page 1 arrives (read ahead).
    fresh.inject_fault("delay", count=2, delay=2.0)
    first = next(walk)

    class Interrupted(Exception):
        pass

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        for _ in range(99):
            next(walk)  # the rest of page 1: buffered; page 2 is on its way
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        started = time.monotonic()
        with pytest.raises(Interrupted):
            next(walk)  # page 2, still 2 s away
        assert time.monotonic() - started < 1.5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    rest = [t.syssn for t in walk]
    assert len(rest) == 50 and first.syssn not in rest
