"""``add_note`` against the embedded sandbox over real HTTP: the note kept on the order (a later
one replaces it), typed ``NoteAdded``, a bad note and an ``mchid`` client refused before sending."""

from __future__ import annotations

import asyncio

import pytest

import qfpay
from qfpay.testing import Merchant, Sandbox


def test_a_note_is_kept_on_the_order() -> None:
    with Sandbox(rate_limit=None) as sb:
        c = sb.client()
        p = c.wechat_qr(1001, "HKD")  # paid at once in the sandbox
        added = c.add_note(p.syssn, "禮物包裝 gift wrap")
        assert isinstance(added, qfpay.NoteAdded)
        assert (added.syssn, added.note) == (p.syssn, "禮物包裝 gift wrap")
        assert added.raw["respcd"] == "0000"
        [order] = [o for o in sb.orders() if o["syssn"] == p.syssn]
        assert order["note"] == "禮物包裝 gift wrap"

        async def again() -> qfpay.NoteAdded:
            return await sb.async_client().add_note(p.syssn, "second")

        assert asyncio.run(again()).note == "second"
        [order] = [o for o in sb.orders() if o["syssn"] == p.syssn]
        assert order["note"] == "second"
        with pytest.raises(qfpay.QfPayError) as info:
            c.add_note("20990101000300020000000001", "x")
        assert info.value.respcd == "1268"


@pytest.mark.parametrize("note", ["", "x" * 201, "a\nb"])
def test_a_bad_note_is_refused_before_sending(note: str) -> None:
    with Sandbox(rate_limit=None) as sb:
        with pytest.raises(qfpay.ValidationError) as info:
            sb.client().add_note("20260101000300020000000001", note)
        assert info.value.field == "note"
        assert sb.request_count() == 0


def test_a_client_with_an_mchid_is_refused_before_sending() -> None:
    with Sandbox([Merchant("APPMCH", "KEYMCH", "MCH0001")]) as sb:
        with pytest.raises(qfpay.ConfigError) as info:
            sb.client().add_note("20260101000300020000000001", "x")
        assert "mchid" in str(info.value)
        assert sb.request_count() == 0
