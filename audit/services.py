"""Writing to the audit log.

Services call ``log`` inside their own transaction, so an entry exists
exactly when the action happened. The request's address and page come from
``audit.middleware.AuditMiddleware``; a background task has neither.
"""

from __future__ import annotations

import contextvars
import hashlib
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from audit.redact import redact
from audit.redact import redact_value
from core.addresses import client_address

Action = AuditEntry.Action
Outcome = AuditEntry.Outcome


@dataclass(frozen=True)
class Origin:
    ip: str | None
    path: str


_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar(
    "audit_origin", default=None
)


def _text(value: str, limit: int) -> str:
    """Text a database keeps as given (PostgreSQL refuses NUL characters)."""
    return str(value).replace("\x00", "\ufffd")[:limit]


def origin_of(request) -> Origin:
    return Origin(
        ip=client_address(request),
        path=request.get_full_path(),
    )


def set_origin(origin: Origin | None):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


def target_of(obj) -> tuple[str, str, str]:
    """(type, id, label) naming an object in the log."""
    if obj is None:
        return "", "", ""
    meta = obj._meta
    label = getattr(obj, "number", None) or getattr(obj, "reference", None) or str(obj)
    return meta.label_lower, str(obj.pk), _text(label, 200)


def log(
    action: str,
    *,
    actor: AbstractBaseUser | None = None,
    target=None,
    outcome: str = Outcome.OK,
    actor_name: str = "",
    origin: Origin | None = None,
    **details,
) -> AuditEntry:
    """Append an entry; ``details`` are small JSON values (text, numbers)."""
    origin = origin or _origin.get() or Origin(ip=None, path="")
    person = actor if getattr(actor, "is_authenticated", False) else None
    target_type, target_id, target_label = target_of(target)
    return chain.append(
        {
            "at": timezone.now(),
            "actor_id": person.pk if person else None,
            "actor_name": _text(
                person.get_username() if person else redact(actor_name), 150
            ),
            "department_id": getattr(person, "department_id", None),
            "action": action,
            "outcome": outcome,
            "target_type": target_type,
            "target_id": target_id,
            "target_label": target_label,
            "ip": origin.ip,
            "path": _text(redact(origin.path), 300),  # masked, then cut
            "details": {
                k: _text(v, 300) if isinstance(v, str) else v
                for k, v in redact_value(details).items()
                if v not in (None, "")
            },
        }
    )


# How many ids of a list page an entry keeps; a longer page keeps a digest
# of all of them too.
LISTED_IDS = 100


def log_list_read(
    *, actor: AbstractBaseUser, name: str, query: str, ids: list, total=None
) -> None:
    """A list or search that showed rows: who, the query, how many, which.

    ``query`` is the query string as sent (masked like every logged text);
    the ids of the rows shown are kept, and a SHA-256 of them all.
    """
    digest = hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()
    log(
        Action.LISTED,
        actor=actor,
        list=name,
        query=query,
        rows=len(ids),
        total=total,
        ids=list(ids[:LISTED_IDS]),
        ids_sha256=digest,
    )
