"""Login through the company's single sign-on (OpenID Connect,
mozilla-django-oidc; settings in ``accounts.directory_settings``).

As with the directory: the account is made at the first login, with no
password of ours; name, e-mail, department and the roles mapped from the
provider's groups follow the provider at every login; a person outside
``ARCHIVE_OIDC_REQUIRE_GROUP`` does not get in; a local account of the same
user name is never taken over, and the three administrators are never made
this way.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.directory import roles_follow
from accounts.models import Department
from accounts.models import User
from audit import services as audit

logger = logging.getLogger(__name__)
PREFIX = "oidc:"


def _groups(claims) -> set[str]:
    value = claims.get(settings.ARCHIVE_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return {str(g).lower() for g in value}


class SingleSignOnBackend(OIDCAuthenticationBackend):
    def _username(self, claims) -> str:
        return str(claims.get(settings.ARCHIVE_OIDC_USERNAME_CLAIM) or "").strip()

    def verify_claims(self, claims) -> bool:
        if not claims.get("sub") or not self._username(claims):
            return False
        required = settings.ARCHIVE_OIDC_REQUIRE_GROUP
        if required and required.lower() not in _groups(claims):
            logger.info(
                "single sign-on: %s is outside the required group", claims["sub"]
            )
            return False
        local = User.objects.filter(username=self._username(claims)).exclude(
            directory_dn__startswith=PREFIX
        )
        if local.exists():
            logger.warning(
                "single sign-on: %s names a local account; refused",
                self._username(claims),
            )
            return False
        return True

    def filter_users_by_claims(self, claims):
        return User.objects.filter(directory_dn=f"{PREFIX}{claims.get('sub')}")

    def create_user(self, claims):
        with transaction.atomic():
            person = User(
                username=self._username(claims)[:150],
                directory_dn=f"{PREFIX}{claims['sub']}"[:255],
            )
            person.set_unusable_password()
            self._follow(person, claims)
        return person

    def update_user(self, user, claims):
        with transaction.atomic():
            self._follow(user, claims)
        return user

    def _follow(self, person: User, claims) -> None:
        person.email = str(claims.get("email") or "")[:254]
        person.display_name = str(claims.get("name") or "")[:100]
        code = str(claims.get(settings.ARCHIVE_OIDC_DEPARTMENT_CLAIM) or "")
        department = Department.objects.filter(code=code).first() if code else None
        if department is not None:
            person.department = department
        person.save()
        changes = roles_follow(
            person, member_of=_groups(claims), mapped=settings.ARCHIVE_OIDC_ROLES
        )
        if changes:
            audit.log(
                audit.Action.ACCESS_CHANGED,
                target=person,
                by="single sign-on",
                changes=" ".join(changes),
            )
