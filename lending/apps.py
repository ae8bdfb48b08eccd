from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = _("Viewing and lending")

    def ready(self) -> None:
        from lending import retention_hooks
        from lending.models import AccessRequest
        from retention import hooks

        hooks.register(
            blocker=retention_hooks.destruction_blockers,
            daily=retention_hooks.daily,
            counted=[AccessRequest],
        )
