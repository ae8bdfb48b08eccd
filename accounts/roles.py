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
    # A person of an outside organisation working under a confidentiality
    # agreement (保密协议, S3 §5.1.3): asks to view what the agreement covers.
    PARTNER = "partner", _("External partner")
    # The three administrators of an archive system (三员分立): accounts and
    # configuration; roles and rights; the reading of everything they did.
    # None of them reads a record.
    ADMIN = "admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    SECURITY_AUDITOR = "security_auditor", _("Security auditor")


def people_with_roles(*roles: str):
    """The active people who hold any of these roles (each person once)."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True, is_system=False, groups__name__in=roles
    ).distinct()
