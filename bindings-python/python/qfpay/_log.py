"""The SDK's ``logging`` side: loggers ``qfpay``, ``qfpay.http``, ``qfpay.reconcile``,
``qfpay.config``, and the records made from the core's events.

Levels: ``request``/``response`` DEBUG, ``retry`` INFO, ``reconcile``, ``status_unknown`` and
``cancelled`` WARNING. Request and answer bodies (``auth_code`` masked, never the client key)
are logged (a DEBUG record, and the ``body`` attribute) only when the ``qfpay.http`` logger is
enabled for ``TRACE`` (level 5, below DEBUG; ``QFPAY_LOG=trace``). Every record carries the event's fields as
attributes: ``event``, ``endpoint``, ``attempt``, ``out_trade_no``, ``elapsed_ms``,
``http_status``, ``respcd``, ``decision``, ``reason``.

``QFPAY_LOG`` (``error``, ``warn``, ``info``, ``debug``, ``trace``) installs a stderr handler on
the ``qfpay`` logger at that level when the package is imported.
"""

from __future__ import annotations

import logging
import os
from typing import Any

__all__ = ["TRACE", "EVENTS", "FIELDS", "logger", "http_logger", "reconcile_logger", "config_logger"]

#: The level of request and answer bodies (below DEBUG).
TRACE = 5
logging.addLevelName(TRACE, "TRACE")

logger = logging.getLogger("qfpay")
http_logger = logging.getLogger("qfpay.http")
reconcile_logger = logging.getLogger("qfpay.reconcile")
config_logger = logging.getLogger("qfpay.config")
logger.addHandler(logging.NullHandler())

#: The event kinds the core reports (``record.event``).
EVENTS = ("request", "response", "retry", "reconcile", "status_unknown", "cancelled")
#: The event fields every record carries as attributes.
FIELDS = ("endpoint", "attempt", "out_trade_no", "elapsed_ms", "http_status", "respcd", "decision", "reason")

_OFF = 255
_LOGGERS = {"qfpay::http": http_logger, "qfpay::reconcile": reconcile_logger}
_RECONCILE_KINDS = frozenset(("reconcile", "status_unknown"))
_manager = logging.Logger.manager


# `logging` clears every logger's `_cache` (its isEnabledFor cache) whenever a level changes
# (`setLevel`, `logging.disable`, configuration): the threshold is kept there too, so a call
# costs one dict look-up instead of walking the logger hierarchy, and is never stale. The
# extension reads the key itself (src/log.rs) and calls `threshold()` only when it is missing.
_THRESHOLD_KEY = "qfpay.threshold"
_level_cache: dict[Any, Any] | None = getattr(http_logger, "_cache", None)
if not isinstance(_level_cache, dict):
    _level_cache = None


def threshold() -> int:
    """The lowest level at which the SDK's event loggers log now (255: none)."""
    cache = _level_cache
    if cache is not None:
        cached = cache.get(_THRESHOLD_KEY)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
    lowest = min(http_logger.getEffectiveLevel(), reconcile_logger.getEffectiveLevel())
    disabled = _manager.disable
    if disabled >= lowest:
        lowest = disabled + 1
    result = lowest if lowest <= logging.CRITICAL else _OFF
    if cache is not None:
        cache[_THRESHOLD_KEY] = result
    return result


def emit(events: list[tuple[Any, ...]]) -> None:
    """Turns core events into records (called by the extension with the GIL held)."""
    for kind, level, endpoint, attempt, out_trade_no, elapsed_ms, http_status, respcd, decision, reason, body, message in events:
        target = reconcile_logger if kind in _RECONCILE_KINDS else http_logger
        if not target.isEnabledFor(level):
            continue
        extra = dict(zip(FIELDS, (endpoint, attempt, out_trade_no, elapsed_ms, http_status, respcd, decision, reason)))
        extra["event"] = kind
        extra["body"] = body
        target.log(level, "%s", message, extra=extra)
        if body is not None:
            target.log(logging.DEBUG, "%s %s body: %s", kind, endpoint, body, extra=extra)


def config_warnings(warnings: list[str]) -> None:
    """Logs the core's configuration warnings on ``qfpay.config``."""
    for w in warnings:
        config_logger.warning("%s", w)


def _from_env() -> None:
    value = os.environ.get("QFPAY_LOG", "").strip().lower()
    if not value:
        return
    levels = {
        "error": logging.ERROR,
        "warn": logging.WARNING,
        "warning": logging.WARNING,
        "info": logging.INFO,
        "debug": logging.DEBUG,
        "trace": TRACE,
    }
    level = levels.get(value)
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


_from_env()
