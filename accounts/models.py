"""People: departments and the users who work in them.

Owners and customers never log in; the front desk acts for them. A user's
role is the Django group they belong to (see ``accounts.roles``).
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.names import TranslatedName


class Department(TranslatedName, models.Model):
    class Kind(models.TextChoices):
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        ARCHIVE = "archive", _("Archive")
        OTHER = "other", _("Other")
        MANAGEMENT = "management", _("Management")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # S1 §4.1 and S4: the department's supervisor or head checks its
    # submissions week by week and hands them to the archive at month end.
    batch_check = models.BooleanField(
        _("submissions checked by the supervisor and handed over monthly"),
        default=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.local_name


class UserManager(BaseUserManager):
    def get_queryset(self):
        # The department is shown on every page; load it with the user.
        return super().get_queryset().select_related("department")


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    # Another company system (the call centre, the CRM) filing through the
    # API with a token of its own: its own name in the audit log, no
    # password, never a person in a list of people.
    is_system = models.BooleanField(_("a system, not a person"), default=False)
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
    # When the password was last set; it must be changed again after
    # ARCHIVE_PASSWORD_MAX_AGE_DAYS (S4: periodic change).
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True, editable=False
    )
    # Made by the company's directory (accounts.directory): its entry there.
    # Empty for a local account, whose password is ours.
    directory_dn = models.CharField(
        _("directory entry"), max_length=255, blank=True, default="", editable=False
    )
    # Disabled because the directory no longer has or lets in the person;
    # enabled again when it does.
    directory_disabled = models.BooleanField(default=False, editable=False)
    # When this person's roles or the rights of those roles last changed: part
    # of the key of their cached permission set (accounts.rights), read with
    # the person on every request, so a change is never served stale.
    rights_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "password",
            "last_login",
            "password_changed_at",
            "rights_changed_at",
        ]
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        permissions = [
            # The security administrator's: roles (groups) and rights of others.
            ("assign_roles", _("Can assign roles and rights to others")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def set_password(self, raw_password) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self) -> bool:
        days = settings.ARCHIVE_PASSWORD_MAX_AGE_DAYS
        if not days or not self.has_usable_password():
            return False
        changed = self.password_changed_at or self.date_joined
        return changed + datetime.timedelta(days=days) < timezone.now()


class UserSession(models.Model):
    """A browser where the person is logged in, for the active-sessions page.

    Written at login, touched as the person works, removed at logout or when
    the person ends it; the session itself lives in Django's session store.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="browser_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("logged in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last active"), default=timezone.now)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


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


class ApiToken(models.Model):
    """A key a person or a system sends as ``Authorization: Token <key>``.

    Only the key's SHA-256 is kept; the key itself is shown once, when it is
    made, and its first characters name it in lists. Lifecycle: made by its
    owner (nobody makes one for someone else) → used → ended, by its expiry,
    by its owner or the security administrator revoking it, by a change of
    its owner's password, or by its owner's deactivation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)

    class Scope(models.TextChoices):
        ALL = "all", _("Everything its owner may do")
        FILE = "file", _("File records only")
        READ = "read", _("Read only")

    scope = models.CharField(
        _("may"), max_length=8, choices=Scope.choices, default=Scope.ALL
    )
    prefix = models.CharField(_("key begins"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        permissions = [("revoke_apitoken", _("Can revoke anyone's API token"))]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.name}"

    def ended_because(self, now=None) -> str:
        """Why the token no longer works, or "" while it does."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return str(_("revoked"))
        if self.expires_at <= now:
            return str(_("expired"))
        if not self.user.is_active:
            return str(_("account deactivated"))
        changed = self.user.password_changed_at
        if changed is not None and changed > self.created_at:
            return str(_("password changed since"))
        return ""


class NoticeText(models.Model):
    """The head of archives' own wording of a notice in one language
    (reminders, the overdue letter, ready-at-desk …), in place of the
    product's; ``accounts.notifications`` uses it when there is one."""

    key = models.CharField(_("notice"), max_length=50)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    text = models.TextField(_("text"))
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice text")
        verbose_name_plural = _("notice texts")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"], name="notice_text_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"
