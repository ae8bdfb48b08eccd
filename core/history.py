"""Who made a change, and why, for the model's history (django-simple-history).

simple-history reads both from attributes of the instance being saved; this
is the one place that sets them.
"""

from __future__ import annotations

from typing import Any


def changed_by(obj: Any, actor: Any = None, reason: str | None = None) -> None:
    """Name the person (an authenticated one) and the reason of the next save."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    if reason is not None:
        obj._change_reason = reason[:100]
