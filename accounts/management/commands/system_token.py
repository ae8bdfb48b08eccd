"""A token for another company system (issue 18, item 2).

    manage.py system_token callcenter --name 呼叫中心 --department CS1 \\
        --scope file --days 90

Makes (or finds) the system's own account — a system, not a person: no
password, so it never logs in to the web, and its own name in the audit log
for everything it files — in the customer-service staff role, and prints a
new token's key once. ``--scope file`` (the default) lets the token file
records with their files and nothing else; ``read`` only reads.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import ApiToken
from accounts.models import Department
from accounts.models import User
from accounts.roles import Role
from accounts.tokens import api_token_create
from core.errors import ArchiveError


class Command(BaseCommand):
    help = "Make a company system's account and a token for it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="e.g. 呼叫中心")
        parser.add_argument("--department", required=True, help="department code")
        parser.add_argument(
            "--scope",
            choices=[ApiToken.Scope.FILE, ApiToken.Scope.READ],
            default="file",
        )
        parser.add_argument("--days", type=int, default=None)

    @transaction.atomic
    def handle(self, *args, username, name, department, scope, days, **options):
        try:
            home = Department.objects.get(code=department)
        except Department.DoesNotExist:
            raise CommandError(f"No department {department}.") from None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": name, "is_system": True, "department": home},
        )
        if not created and not user.is_system:
            raise CommandError(f"{username} is a person's account, not a system's.")
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.CS_STAFF))
        try:
            token, key = api_token_create(actor=user, name=name, days=days, scope=scope)
        except ArchiveError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{'made' if created else 'found'} the account {username}")
        self.stdout.write(
            f"token {token.prefix}… ({scope}), until {token.expires_at:%Y-%m-%d}"
        )
        self.stdout.write(f"key (shown only now): {key}")
