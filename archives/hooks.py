"""What the apps above archives do when a record changes, so that archives
never imports them (the layers of issue 16, as ``retention.hooks``).

Lending registers here from its ``AppConfig.ready``: a record's new
confidentiality level changes what the open requests for it need.
"""

from __future__ import annotations

from collections.abc import Callable

# Each is called inside the change's transaction as
# ``hook(record=..., old=..., new=..., actor=..., reason=...)`` and returns a
# dict of counts of what it did (shown to the person and kept in the audit).
LEVEL_CHANGED: list[Callable[..., dict]] = []


def register(*, level_changed: Callable[..., dict] | None = None) -> None:
    if level_changed is not None and level_changed not in LEVEL_CHANGED:
        LEVEL_CHANGED.append(level_changed)
