"""Start a periodic check by hand: ``manage.py run_check inspection``."""

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from retention.models import CheckRun
from retention.services.checks import check_execute
from retention.services.checks import check_request


class Command(BaseCommand):
    help = "Run a periodic check now and keep its report (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=CheckRun.Kind.values)

    def handle(self, *args, kind: str, **options):
        run = check_request(kind=kind)
        if run.status != CheckRun.Status.QUEUED:
            raise CommandError(f"{run} is {run.get_status_display()}; nothing started.")
        summary = check_execute(run_id=run.pk)
        run.refresh_from_db()
        self.stdout.write(f"{run} [{run.status}] {summary}")
