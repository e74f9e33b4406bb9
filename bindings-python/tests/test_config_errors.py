"""Issue 23: a configuration error names the option as Python spells it. ``.field`` is the
keyword (the core's option, by ``Error::field``), ``.rule`` what is wrong, and the message
``configuration error: <keyword> <rule>``; no message names an option any other way (the
camelCase or ``Ms`` spellings of the other bindings, Rust names). Table-driven over every client
option of ``tests/surface.json`` and the Python layer's own (``max_concurrency``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import qfpay

REPO = Path(__file__).resolve().parents[2]
SURFACE = json.loads((REPO / "tests" / "surface.json").read_text("utf-8"))
#: A value that must never be quoted back (a key pasted into the wrong option).
SECRET = "SECRETKEY0123456789"

Call = Callable[[], object]

# option -> (the exception class the binding documents for that mistake, calls that make it).
# The core's configuration rules raise ConfigError; a number the binding cannot convert
# (0 or more than 100 years of seconds, a bool for a count) is a ValidationError naming the
# keyword the same way (Client's "ValidationError: a number out of range").
TABLE: dict[str, tuple[type[qfpay.QfPayError], list[Call]]] = {
    "app_code": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client(None, "K"),
            lambda: qfpay.Client("   ", "K"),
            lambda: qfpay.Client("A B", "K"),
            lambda: qfpay.Client("A" * 200, "K"),
            lambda: qfpay.AsyncClient(None, "K"),
        ],
    ),
    "client_key": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A"),
            lambda: qfpay.Client("A", ""),
            lambda: qfpay.verify_notification(b"{}", "00", ""),
        ],
    ),
    "environment": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", environment="mars"),  # type: ignore[arg-type]
            lambda: qfpay.Client("A", "K", environment=SECRET),  # type: ignore[arg-type]
            *[
                (lambda name: lambda: qfpay.Client("A", "K", environment=name))(name)
                for name in SURFACE["client"]["refused_environment_names"]
            ],
        ],
    ),
    "base_url": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", base_url="ftp://host/"),
            lambda: qfpay.Client("A", "K", base_url=SECRET),
        ],
    ),
    "mchid": (qfpay.ConfigError, [lambda: qfpay.Client("A", "K", mchid="M" * 17)]),
    "sign_type": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", sign_type="sha1"),  # type: ignore[arg-type]
            lambda: qfpay.Client("A", "K", sign_type=SECRET),  # type: ignore[arg-type]
            lambda: qfpay.sign({"a": "1"}, "K", SECRET),
        ],
    ),
    # Zero: the core's rule (ConfigError, as in every language); 1e10 s: the conversion.
    "timeout": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", timeout=0),
            (qfpay.ValidationError, lambda: qfpay.Client("A", "K", timeout=1e10)),
        ],
    ),
    "connect_timeout": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", connect_timeout=0),
            (qfpay.ValidationError, lambda: qfpay.Client("A", "K", connect_timeout=1e10)),
        ],
    ),
    "max_retries": (qfpay.ValidationError, [lambda: qfpay.Client("A", "K", max_retries=-1)]),
    "reconcile_timeout": (qfpay.ValidationError, [lambda: qfpay.Client("A", "K", reconcile_timeout=1e10)]),
    "retry_base_delay": (qfpay.ValidationError, [lambda: qfpay.Client("A", "K", retry_base_delay=1e10)]),
    "retry_max_delay": (qfpay.ValidationError, [lambda: qfpay.Client("A", "K", retry_max_delay=1e10)]),
    "utc_offset_seconds": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", utc_offset_seconds=15 * 3600),
            lambda: qfpay.Client("A", "K", utc_offset_seconds=-15 * 3600),
        ],
    ),
    "proxy": (
        qfpay.ConfigError,
        [
            lambda: qfpay.Client("A", "K", proxy="not a url at all"),
            lambda: qfpay.Client("A", "K", proxy="socks5://user:" + SECRET + "@host:1080"),
            lambda: qfpay.AsyncClient("A", "K", proxy=SECRET),
        ],
    ),
    # The Python layer's own option.
    "max_concurrency": (
        qfpay.ConfigError,
        [lambda: qfpay.AsyncClient("A", "K", max_concurrency=0), lambda: qfpay.AsyncClient("A", "K", max_concurrency=-3)],
    ),
}


def _other_spellings(option: str) -> set[str]:
    """How the other bindings (or Rust) would name ``option``, where that differs from Python's
    keyword: lowerCamelCase, with ``Ms`` for a duration, ``Seconds`` dropped, ``with_`` setters."""
    head, *rest = option.split("_")
    camel = head + "".join(p.capitalize() for p in rest)
    names = {camel, camel + "Ms", f"with_{option}", f"{option}_ms", "qfpay::"}
    return {n for n in names if n != option}


def test_the_table_covers_every_client_option() -> None:
    assert set(TABLE) == set(SURFACE["client"]["options"]) | {"max_concurrency"}


@pytest.mark.parametrize("option", sorted(TABLE))
def test_the_error_names_the_option_as_python_spells_it(option: str) -> None:
    default_cls, calls = TABLE[option]
    for entry in calls:
        cls, call = entry if isinstance(entry, tuple) else (default_cls, entry)
        with pytest.raises(qfpay.QfPayError) as info:
            call()
        e = info.value
        text = str(e)
        assert type(e) is cls or (cls is qfpay.ValidationError and isinstance(e, cls)), repr(e)
        assert e.field == option, repr(e)
        assert e.rule and e.rule.strip() == e.rule, repr(e)
        if isinstance(e, qfpay.ConfigError):
            assert e.code == "config"
            assert text == f"configuration error: {option} {e.rule}", text
        else:
            assert text == f"invalid {option}: {e.rule}", text
        for other in _other_spellings(option):
            assert other not in text, f"{option}: {text!r} names it {other!r}"
        assert SECRET not in text and SECRET not in repr(e), text
        assert f"field={option!r}" in repr(e)


def test_from_env_names_the_keyword_of_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("QFPAY_ENV", "QFPAY_BASE_URL", "QFPAY_PROXY", "QFPAY_MCHID", "QFPAY_SIGN_TYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("QFPAY_APP_CODE", "A")
    monkeypatch.setenv("QFPAY_CLIENT_KEY", "K")
    cases = {
        "QFPAY_SIGN_TYPE": ("sign_type", SECRET),
        "QFPAY_ENV": ("environment", SECRET),
        "QFPAY_PROXY": ("proxy", "not a url " + SECRET),
    }
    for var, (option, value) in cases.items():
        with monkeypatch.context() as m:
            m.setenv(var, value)
            for make in (qfpay.Client.from_env, qfpay.AsyncClient.from_env):
                with pytest.raises(qfpay.ConfigError) as info:
                    make()
                assert info.value.field == option, (var, repr(info.value))
                assert str(info.value) == f"configuration error: {option} {info.value.rule}"
                assert SECRET not in str(info.value)
    monkeypatch.delenv("QFPAY_APP_CODE")
    with pytest.raises(qfpay.ConfigError) as missing:
        qfpay.Client.from_env()
    assert missing.value.field == "app_code" and "QFPAY_APP_CODE" in str(missing.value)


def test_an_error_about_no_one_option_has_no_field() -> None:
    e = qfpay.ConfigError("configuration error: something")
    assert e.field is None and e.rule is None
    # Every core option name a message may hold is a Python keyword.
    keywords = set(SURFACE["client"]["options"])
    with pytest.raises(qfpay.ConfigError) as info:
        qfpay.Client("A", "K", environment="sandbox")  # type: ignore[arg-type]
    named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", str(info.value)))
    assert named <= keywords | {"card_sandbox", "live_test"}, named
