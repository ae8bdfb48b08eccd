"""Load a category and numbering preset, e.g. S3's annual scheme."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from archives.presets import PRESETS
from archives.services.categories import category_preset_load
from core.errors import ArchiveError


class Command(BaseCommand):
    help = "Load a numbering preset (categories, sub-codes, patterns)."

    def add_arguments(self, parser):
        parser.add_argument("preset", choices=sorted(PRESETS))

    def handle(self, *args, preset: str, **options):
        try:
            categories = category_preset_load(name=preset)
        except (ArchiveError, ValidationError) as error:
            raise CommandError(str(getattr(error, "message", error))) from error
        for category in categories:
            self.stdout.write(
                f"{category.code}\t{category.number_pattern}\t{category.name}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Preset {preset}: {len(categories)} categories.")
        )
