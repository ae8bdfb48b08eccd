from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and departments")

    def ready(self) -> None:
        from accounts import sessions  # noqa: F401  (connects the receivers)
        from accounts.matrix import after_migrate

        # After Django's own (auth's ready connects it first): the role
        # matrix needs the permissions it creates.
        post_migrate.connect(after_migrate, dispatch_uid="accounts.roles_sync")
