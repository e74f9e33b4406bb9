"""The SDK's ``logging`` side: loggers ``qfpay``, ``qfpay.http``, ``qfpay.reconcile``,
``qfpay.config``, and the records made from the core's events.

Levels: ``request``/``response`` DEBUG, ``retry`` INFO, ``reconcile``, ``status_unknown`` and
``cancelled`` WARNING. Request and answer bodies (``auth_code`` masked, never the client key)
are logged (a DEBUG record, and the ``body`` attribute) only when the ``qfpay.http`` logger is
enabled for ``TRACE`` (level 5, below DEBUG; ``QFPAY_LOG=trace``). Every record carries the event's fields as
attributes: ``event``, ``endpoint``, ``attempt``, ``out_trade_no``, ``elapsed_ms``,
``http_status``, ``respcd``, ``decision``, ``reason``.

``QFPAY_LOG`` is read when the package is imported, by the core's one rule (the same in every
language and the CLI): comma-separated directives, each ``LEVEL``, ``TARGET=LEVEL`` or ``TARGET``
(that target at ``trace``); ``LEVEL`` is ``off``, ``error``, ``warn``/``warning``, ``info``,
``debug`` or ``trace`` in any case; targets are ``qfpay``, ``qfpay::http``, ``qfpay::reconcile``,
``qfpay::config`` (a directive covers the targets below it; the most specific one wins). A
filter that enables any of them sets the levels of the ``qfpay`` loggers it names and adds a
stderr handler on ``qfpay`` at the most verbose of them: ``QFPAY_LOG=qfpay=debug`` logs every
event, ``QFPAY_LOG=qfpay::reconcile=warn`` only reconciliations. A value that does not follow
the syntax never fails an import or a call: nothing is logged and one ``RuntimeWarning`` says
which directive is wrong (the value is never quoted), printed once to stderr by Python's
default warning filters.
"""

from __future__ import annotations

import logging
import sys
import warnings
from typing import Any

from ._qfpay import _env_log

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
# extension reads the key itself (src/events.rs) and calls `threshold()` only when it is missing.
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
        # Bodies need TRACE on the event's own logger (another logger at TRACE makes the core
        # include them).
        if body is not None and not target.isEnabledFor(TRACE):
            body = None
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


def _warn_once(message: str) -> None:
    """The one warning about an unusable ``QFPAY_LOG``; never raises, even under
    ``-W error`` (then it goes to stderr as it is)."""
    try:
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    except Exception:
        try:
            sys.stderr.write(f"RuntimeWarning: {message}\n")
        except Exception:
            pass


def _from_env() -> None:
    """Applies ``QFPAY_LOG`` (read by the core) to the loggers; never raises."""
    try:
        (levels, most_verbose), warning = _env_log()
    except Exception:  # pragma: no cover - the extension always answers
        return
    if warning is not None:
        _warn_once(warning)
    if levels is None or most_verbose is None:
        return
    parent = levels.get("qfpay")
    logger.setLevel(_OFF if parent is None else parent)
    for child in (http_logger, reconcile_logger, config_logger):
        level = levels.get(child.name)
        if level != parent:
            child.setLevel(_OFF if level is None else level)
    handler = logging.StreamHandler()
    handler.setLevel(most_verbose)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)


_from_env()
