"""The roles of SPEC §1. Each role is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ARCHIVIST = "archivist", _("Archivist")
    ARCHIVE_HEAD = "archive_head", _("Head of archives")
    CS_STAFF = "cs_staff", _("Customer-service staff")
    CS_SUPERVISOR = "cs_supervisor", _("Customer-service supervisor")
    DEPT_HEAD = "dept_head", _("Department head")
    EXECUTIVE = "executive", _("Executive")
    FRONT_DESK = "front_desk", _("Front desk")
    AUDITOR = "auditor", _("Auditor")
    # The three administrators of an archive system (三员分立): accounts and
    # configuration; roles and rights; the reading of everything they did.
    # None of them reads a record.
    ADMIN = "admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    SECURITY_AUDITOR = "security_auditor", _("Security auditor")


# The roles that may read the whole audit log.
WHOLE_AUDIT_LOG = (Role.AUDITOR, Role.SECURITY_AUDITOR)


def people_with_roles(*roles: str):
    """The active people who hold any of these roles (each person once)."""
    from accounts.models import User

    return User.objects.filter(is_active=True, groups__name__in=roles).distinct()


def user_roles(user) -> set[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
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
