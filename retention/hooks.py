"""What the apps above retention tell it, so that it never imports them.

Lending depends on retention (a damaged return opens an incident), never the
other way round (issue 16). Where retention's work needs to know about loans
(whether a record may be destroyed, the daily check, the tables a backup is
counted by) the app that knows registers here from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from django.db.models import Model

# Each is given record ids and yields (record id, why it may not be destroyed
# now); the first reason found for a record is the one shown.
DESTRUCTION_BLOCKERS: list[Callable[[list[int]], Iterable[tuple[int, str]]]] = []
# Each runs once in the daily check, is safe to repeat, may add findings to
# the check's writer, and returns figures for the check's summary.
DAILY_STEPS: list[Callable[..., dict]] = []
# Models whose tables the quarterly backup check counts, besides retention's.
COUNTED_MODELS: list[type[Model]] = []


def register(
    *,
    blocker: Callable | None = None,
    daily: Callable | None = None,
    counted: Iterable[type] = (),
) -> None:
    if blocker is not None and blocker not in DESTRUCTION_BLOCKERS:
        DESTRUCTION_BLOCKERS.append(blocker)
    if daily is not None and daily not in DAILY_STEPS:
        DAILY_STEPS.append(daily)
    for model in counted:
        if model not in COUNTED_MODELS:
            COUNTED_MODELS.append(model)
