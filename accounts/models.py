"""People: departments and the users who work in them.

Owners and customers never log in; the front desk acts for them. A user's
role is the Django group they belong to (see ``accounts.roles``).
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        ARCHIVE = "archive", _("Archive")
        OTHER = "other", _("Other")
        MANAGEMENT = "management", _("Management")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    def get_queryset(self):
        # The department is shown on every page; load it with the user.
        return super().get_queryset().select_related("department")


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Notification(models.Model):
    """A message in a person's in-app inbox (reminders, decisions).

    The text is kept as a message key and its values so that each reader
    sees it in their own language; ``accounts.notifications`` renders it.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("message"), max_length=50)
    params = models.JSONField(_("values"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set for messages a periodic check sends once only (a late submission,
    # the day's disposal list): a second run finds it and sends nothing.
    once_key = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "once_key"],
                condition=~models.Q(once_key=""),
                name="notification_sent_once",
            )
        ]

    def __str__(self) -> str:
        from accounts.notifications import render

        return render(self.key, self.params)
