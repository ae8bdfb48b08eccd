"""What this process has seen of Redis lately.

The cache and the queue note a failure here; for ``DOWN_SECONDS`` after it
they do not try Redis again (each try would cost a timeout on every page),
and pages say that background work is delayed.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)
DOWN_SECONDS = 30.0
_down_until = 0.0


def note_down(what: str, error: BaseException) -> None:
    global _down_until
    if not is_down():
        logger.warning(
            "%s unreachable, degrading for %ss: %s", what, DOWN_SECONDS, error
        )
    _down_until = time.monotonic() + DOWN_SECONDS


def note_up() -> None:
    global _down_until
    _down_until = 0.0


def is_down() -> bool:
    return time.monotonic() < _down_until
