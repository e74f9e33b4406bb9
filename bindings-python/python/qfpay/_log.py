"""The SDK's ``logging`` side: loggers ``qfpay``, ``qfpay.http``, ``qfpay.reconcile``,
``qfpay.config``, and the records made from the core's events.

Levels: ``request``/``response`` DEBUG, ``retry`` INFO, ``reconcile``, ``status_unknown`` and
``cancelled`` WARNING. Request and answer bodies (``auth_code`` masked, never the client key)
are logged (a DEBUG record, and the ``body`` attribute) only when the ``qfpay.http`` logger is
enabled for ``TRACE`` (level 5, below DEBUG; ``QFPAY_LOG=trace``). Every record carries the event's fields as
attributes: ``event``, ``endpoint``, ``attempt``, ``out_trade_no``, ``elapsed_ms``,
``http_status``, ``respcd``, ``decision``, ``reason``.

``QFPAY_LOG`` (the core's syntax, as in every language and the CLI: ``qfpay=debug``,
``qfpay::reconcile=warn``, ``trace``...) is read on import: a filter that enables any target
sets the levels of the ``qfpay`` loggers it names and adds a stderr handler on ``qfpay``; an
unusable value never fails an import or a call: one ``RuntimeWarning`` names the wrong directive.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from typing import Any

from ._qfpay import _env_log
from ._types import EVENTS, FIELDS

__all__ = ["TRACE", "EVENTS", "FIELDS", "logger", "http_logger", "reconcile_logger", "config_logger"]

#: The level of request and answer bodies (below DEBUG).
TRACE = 5
logging.addLevelName(TRACE, "TRACE")

logger = logging.getLogger("qfpay")
http_logger = logging.getLogger("qfpay.http")
reconcile_logger = logging.getLogger("qfpay.reconcile")
config_logger = logging.getLogger("qfpay.config")
logger.addHandler(logging.NullHandler())


_OFF = 255
_LEVELS = {"trace": TRACE, "debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
_RECONCILE_KINDS = frozenset(("reconcile", "status_unknown"))
_manager = logging.Logger.manager


# The threshold is kept in the logger's `_cache`, which `logging` clears on every level change:
# never stale, and one dict look-up per call (the extension reads the key itself).
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


def emit(events: list[dict[str, Any]]) -> None:
    """Turns core events (their ``Serialize`` form) into records (called by the extension with
    the GIL held)."""
    for extra in events:
        kind, level, message = extra.pop("kind"), _LEVELS[extra.pop("level")], extra.pop("message")
        target = reconcile_logger if kind in _RECONCILE_KINDS else http_logger
        if not target.isEnabledFor(level):
            continue
        # Bodies need TRACE on the event's own logger (another logger at TRACE makes the core
        # include them).
        if extra["body"] is not None and not target.isEnabledFor(TRACE):
            extra["body"] = None
        extra["event"] = kind
        target.log(level, "%s", message, extra=extra)
        if extra["body"] is not None:
            target.log(logging.DEBUG, "%s %s body: %s", kind, extra["endpoint"], extra["body"], extra=extra)


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
        with contextlib.suppress(Exception):
            sys.stderr.write(f"RuntimeWarning: {message}\n")


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
