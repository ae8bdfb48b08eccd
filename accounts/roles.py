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
    ADMIN = "admin", _("System administrator")


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
