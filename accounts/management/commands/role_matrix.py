"""Print the role matrix as SPEC §1's table (Markdown): ``docs/roles.md``."""

from django.core.management.base import BaseCommand

from accounts.matrix import render_markdown


class Command(BaseCommand):
    help = "Print who may do what (the role matrix) as a Markdown table."

    def handle(self, *args, **options):
        self.stdout.write(render_markdown(), ending="")
