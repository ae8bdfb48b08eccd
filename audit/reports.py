"""The chain's verdict in words, for the command and the monthly inspection."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from audit.chain import Verification
from audit.models import AuditEntry

# Keyed by ``chain.Break.reason``; the periodic checks show them as findings.
MESSAGES = {
    "changed": _(
        "Audit entry #%(entry)s (%(at)s, %(action)s by %(person)s) was changed "
        "after it was written: its content no longer matches its hash."
    ),
    "unlinked": _(
        "Audit entry #%(entry)s (%(at)s, %(action)s by %(person)s) does not "
        "follow the entry before it: an entry was removed or inserted there."
    ),
}


def break_params(result: Verification) -> dict:
    """The broken entry's number, time, action and person, for a message."""
    entry = (
        AuditEntry.objects.filter(pk=result.broken.entry_id)
        .values("at", "action", "actor_name")
        .first()
        or {}
    )
    at = entry.get("at")
    return {
        "entry": result.broken.entry_id,
        "at": at.isoformat(timespec="seconds") if at else "",
        "action": entry.get("action", ""),
        "person": entry.get("actor_name") or "—",
        "after": result.checked,
    }


def break_message(result: Verification) -> str:
    params = break_params(result)
    intact = _("%(after)s entries before it are intact.") % params
    return f"{str(MESSAGES[result.broken.reason]) % params} {intact}"
