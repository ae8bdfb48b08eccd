"""Login through the company's directory, and accounts that follow it
(issue 21, item 5; settings in ``accounts.directory_settings``).

- The directory checks the password; the account is made at the first login
  (no password of ours: a directory account cannot reset one here).
- At every login and every night (beat's ``directory-sync``) the name,
  e-mail and department (a department whose code is the directory's
  attribute) follow the directory, and so do the roles mapped from directory
  groups (``ARCHIVE_LDAP_ROLES``); a role the security administrator gave
  that no group maps is left alone.
- A person the directory no longer has, or no longer lets in (outside
  ``ARCHIVE_LDAP_REQUIRE_GROUP``, or disabled in Active Directory), is
  disabled here that night and their sessions end; the directory letting them
  in again enables them again.
- A local account (the three administrators, made with a password of ours)
  is never taken over by a directory entry of the same name.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend

from accounts.models import Department
from accounts.models import User
from accounts.sessions import session_end
from accounts.sessions import sessions_of
from audit import services as audit

logger = logging.getLogger(__name__)
# Active Directory's userAccountControl: ACCOUNTDISABLE.
AD_DISABLED = 0x2


def _first(attrs, name: str) -> str:
    values = attrs.get(name.lower()) or attrs.get(name) or []
    return str(values[0]).strip() if values else ""


def _lets_in(ldap_user) -> bool:
    required = getattr(settings, "AUTH_LDAP_REQUIRE_GROUP", None)
    if required and required.lower() not in {dn.lower() for dn in ldap_user.group_dns}:
        return False
    control = _first(ldap_user.attrs, "userAccountControl")
    return not (control.isdigit() and int(control) & AD_DISABLED)


def directory_apply(user: User, ldap_user) -> list[str]:
    """The department and the mapped roles as the directory says; what changed."""
    changes: list[str] = []
    fields = []
    if user.directory_dn != ldap_user.dn:
        user.directory_dn = ldap_user.dn
        fields.append("directory_dn")
    code = _first(ldap_user.attrs, settings.ARCHIVE_LDAP_DEPARTMENT_ATTR)
    department = Department.objects.filter(code=code).first() if code else None
    if department is not None and user.department_id != department.pk:
        user.department = department
        fields.append("department")
        changes.append(f"department={department.code}")
    if user.directory_disabled:
        user.directory_disabled = False
        user.is_active = True
        fields += ["directory_disabled", "is_active"]
        changes.append("enabled")
    if fields:
        user.save(update_fields=fields)
    changes += roles_follow(
        user,
        member_of={dn.lower() for dn in ldap_user.group_dns},
        mapped=settings.ARCHIVE_LDAP_ROLES,
    )
    if changes:
        audit.log(
            audit.Action.ACCESS_CHANGED,
            target=user,
            by="directory",
            changes=" ".join(changes),
        )
    return changes


def roles_follow(
    user: User, *, member_of: set[str], mapped: dict[str, str]
) -> list[str]:
    """The roles ``mapped`` from directory groups, as ``member_of`` (lower
    case) says; a role no group maps is left as the security administrator
    set it. What changed, as +role / -role."""
    changes = []
    wanted = {role for role, group in mapped.items() if group.lower() in member_of}
    held = set(user.groups.filter(name__in=mapped).values_list("name", flat=True))
    for role in sorted(wanted - held):
        user.groups.add(Group.objects.get(name=role))
        changes.append(f"+{role}")
    for role in sorted(held - wanted):
        user.groups.remove(Group.objects.get(name=role))
        changes.append(f"-{role}")
    return changes


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, with the archive's rules above."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        local = User.objects.filter(username=username, directory_dn="").first()
        if local is not None and local.has_usable_password():
            return None  # a local account: the password of ours decides
        return super().authenticate(request, username, password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if not _lets_in(ldap_user):
            return None
        with transaction.atomic():
            directory_apply(user, ldap_user)
        return user


def _disable(user: User, why: str) -> None:
    with transaction.atomic():
        user.is_active = False
        user.directory_disabled = True
        user.save(update_fields=["is_active", "directory_disabled"])
        audit.log(
            audit.Action.ACCESS_CHANGED,
            target=user,
            by="directory",
            changes=f"disabled: {why}",
        )
    for user_session in sessions_of(user):
        session_end(actor=None, user_session=user_session)


def directory_sync() -> dict[str, int]:
    """Every account made by the directory, as the directory says now."""
    if not settings.ARCHIVE_LDAP_ENABLED:
        return {}
    backend = DirectoryBackend()
    counts = {"checked": 0, "changed": 0, "disabled": 0}
    for user in User.objects.exclude(directory_dn="").order_by("pk"):
        counts["checked"] += 1
        found = backend.populate_user(user.username)
        ldap_user = getattr(found, "ldap_user", None)
        if found is None or ldap_user is None or ldap_user.dn is None:
            if user.is_active:
                _disable(user, "not in the directory")
                counts["disabled"] += 1
            continue
        if not _lets_in(ldap_user):
            if user.is_active:
                _disable(user, "the directory no longer lets them in")
                counts["disabled"] += 1
            continue
        found.refresh_from_db()
        with transaction.atomic():
            if directory_apply(found, ldap_user):
                counts["changed"] += 1
    logger.info("directory sync: %s", counts)
    return counts
