from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Background work")

    def ready(self):
        from core import dbcheck  # noqa: F401 - registers the locale check
        from core import joins  # noqa: F401 - the planner's setting for joins by key
