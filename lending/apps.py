from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = _("Viewing and lending")

    def ready(self) -> None:
        from archives import hooks as archive_hooks
        from archives.usage import file_used
        from lending import retention_hooks
        from lending.models import AccessRequest
        from lending.services.approvals import requests_follow_level
        from lending.services.usage import file_usage_record
        from retention import hooks

        archive_hooks.register(level_changed=requests_follow_level)
        file_used.connect(file_usage_record, dispatch_uid="lending-file-usage")
        hooks.register(
            blocker=retention_hooks.destruction_blockers,
            daily=retention_hooks.daily,
            counted=[AccessRequest],
        )
