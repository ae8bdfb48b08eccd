"""The first run of a new archive: its three administrators (三员分立).

    manage.py archive_administrators --system sysadmin --security secadmin \\
        --auditor secaudit

Creates (or completes) the three accounts, each in its one role, the two
that use the admin site marked as staff, and prints a one-time password for
each new account, which must be changed at the first login. Nobody else is
given a role here: from then on the security administrator does that in the
admin. Running it again changes nothing for accounts that exist.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from audit import services as audit

ACCOUNTS = [
    ("system", Role.ADMIN, True, "系统管理员"),
    ("security", Role.SECURITY_ADMIN, True, "安全保密员"),
    ("auditor", Role.SECURITY_AUDITOR, False, "安全审计员"),
]


class Command(BaseCommand):
    help = "Create the system administrator, security administrator and auditor."

    def add_arguments(self, parser):
        parser.add_argument("--system", required=True, help="user name")
        parser.add_argument("--security", required=True, help="user name")
        parser.add_argument("--auditor", required=True, help="user name")

    @transaction.atomic
    def handle(self, *args, **options):
        names = [options[key] for key, *_rest in ACCOUNTS]
        if len(set(names)) != 3:
            raise CommandError("The three administrators are three different people.")
        for key, role, staff, display in ACCOUNTS:
            username = options[key]
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": display, "is_staff": staff}
            )
            others = set(user.groups.values_list("name", flat=True)) - {role}
            if others:
                raise CommandError(
                    f"{username} already holds {', '.join(sorted(others))}: an "
                    "administrator holds no other role."
                )
            user.groups.add(Group.objects.get(name=role))
            if created:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                # Expired at once: it is changed at the first login.
                user.password_changed_at = datetime.datetime(
                    2000, 1, 1, tzinfo=datetime.UTC
                )
                user.save()
                self.stdout.write(f"{username} ({role}): one-time password {password}")
            else:
                self.stdout.write(f"{username} ({role}): exists, role confirmed")
            audit.log(
                audit.Action.ACCESS_CHANGED,
                actor_name="manage.py archive_administrators",
                target=user,
                change="created" if created else "confirmed",
                role=role,
            )
