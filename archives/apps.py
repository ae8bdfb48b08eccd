from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archive")

    def ready(self):
        from archives import signals  # noqa: F401 - drops cached options
