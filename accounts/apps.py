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
        # A person's cached permission set follows their roles (issue 22).
        from django.contrib.auth.models import Group
        from django.contrib.auth.models import Permission
        from django.db.models.signals import m2m_changed
        from django.db.models.signals import post_delete

        from accounts import rights
        from accounts.models import User

        m2m_changed.connect(
            rights.on_user_groups,
            sender=User.groups.through,
            dispatch_uid="accounts.rights.groups",
        )
        m2m_changed.connect(
            rights.on_user_permissions,
            sender=User.user_permissions.through,
            dispatch_uid="accounts.rights.user_permissions",
        )
        m2m_changed.connect(
            rights.on_group_permissions,
            sender=Group.permissions.through,
            dispatch_uid="accounts.rights.group_permissions",
        )
        for model in (Group, Permission):
            post_delete.connect(
                rights.on_group_or_permission_gone,
                sender=model,
                dispatch_uid=f"accounts.rights.gone.{model.__name__}",
            )
