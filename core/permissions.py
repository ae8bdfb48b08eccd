"""Asking whether a person may: the checks every app's services and views use.

Roles are Django groups (``accounts.roles``); what each role may do is the
role matrix (``accounts.matrix``).
"""

from __future__ import annotations

from core.cache import kept
from core.errors import NotAllowed


def require_perm(actor, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(message)


def user_roles(user) -> set[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        # Between requests too, under the person's rights stamp
        # (accounts.rights): a change of roles moves the stamp.
        stamp = getattr(user, "rights_changed_at", None)

        def read() -> set[str]:
            return set(user.groups.values_list("name", flat=True))

        key = f"roles:{user.pk}:{stamp.timestamp()}" if stamp else None
        cached = kept(key, read, 3600) if key else read()
        user._role_names = cached
    return cached


def holds_perm(user, perm: str) -> bool:
    """Whether the person's roles (or a grant to them) give this permission.

    Unlike ``has_perm`` a superuser gets nothing for being one: SPEC §13 keeps
    administrators to configuration, and reading records or the audit log
    needs a role that allows it.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.is_superuser:
        return user.has_perm(perm)
    cache = user.__dict__.setdefault("_held_perms", {})
    if perm not in cache:
        from django.contrib.auth.models import Permission
        from django.db.models import Q

        app_label, codename = perm.split(".", 1)
        cache[perm] = Permission.objects.filter(
            Q(group__user=user) | Q(user=user),
            codename=codename,
            content_type__app_label=app_label,
        ).exists()
    return cache[perm]


# The system administrator sets when beat's work runs (core.beat,
# django-celery-beat's models in admin); the role matrix gathers this.
BEAT_MODELS = (
    "periodictask",
    "crontabschedule",
    "intervalschedule",
    "solarschedule",
    "clockedschedule",
)
GRANTS: dict[str, list[str]] = {
    "admin": [
        f"django_celery_beat.{action}_{model}"
        for model in BEAT_MODELS
        for action in ("view", "change", "add")
    ],
}
