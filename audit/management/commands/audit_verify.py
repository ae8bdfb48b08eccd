"""Prove the audit log's hash chain unbroken, or name the first broken entry."""

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from audit import chain
from audit.reports import break_message


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first broken entry."

    def handle(self, *args, **options):
        chain.link()
        result = chain.verify()
        if not result.ok:
            raise CommandError(break_message(result))
        if result.head_id is None:
            self.stdout.write("The audit log is empty.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log is intact: {result.checked} entries, "
                f"the last #{result.head_id} ({result.head_hash[:16]}…)."
            )
        )
