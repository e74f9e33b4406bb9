"""Shared fixtures: one in-process sandbox per test module, clients bound to it, the vectors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import qfpay
from qfpay.testing import Merchant, Sandbox

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
EXAMPLES = REPO / "examples" / "python"

#: The seed's Python sample sends this mchid; the sandbox merchant used with it has it.
SEED_MCHID = "ZaMVg*****"
SEED_MERCHANT = Merchant("D5589D2A1F2E42A9A60C37*********", "0E32A59A8B454940A2FF39**********", SEED_MCHID)


def load_vectors(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((VECTORS / f"{name}.json").read_text("utf-8"))["cases"]
    assert cases, f"{name}.json has no cases"
    return cases


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(
        rate_limit=False,
        notify_time_scale=0.001,
        pending_queries=2,
        slow_response=0.5,
    ) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> qfpay.Client:
    return sandbox.client(reconcile_timeout=1.0, timeout=5.0)
