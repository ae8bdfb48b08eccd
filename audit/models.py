"""The audit log (SPEC §13): who did what, when, from where.

Append-only and tamper-evident: each entry carries the SHA-256 of its own
content and of the entry before it (``audit.chain``). Nothing in the
application deletes an entry or changes what it says; on PostgreSQL a trigger
refuses it (migrations 0002 and 0010: the only change allowed is linking a
new entry into the chain once), and ``manage.py audit_verify`` proves the
chain unbroken.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGOUT = "logout", _("Logged out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        SESSION_ENDED = "session_ended", _("Session ended")
        DENIED = "denied", _("Access denied")
        RECORD_VIEWED = "record_viewed", _("Record viewed")
        FILE_DOWNLOADED = "file_downloaded", _("File downloaded")
        FILE_READ = "file_read", _("File read in the browser")
        PRINTED = "printed", _("PDF printed")
        EXPORTED = "exported", _("Exported")
        IMPORTED = "imported", _("Imported")
        VIEWING = "viewing", _("Viewing")
        LOAN = "loan", _("Loan")
        RETURN = "return", _("Return")
        COPY = "copy", _("Copy")
        OWNER_VIEWING = "owner_viewing", _("Owner viewing")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DESTRUCTION = "destruction", _("Destruction step")
        SETTING_CHANGED = "setting_changed", _("Setting changed")
        PERSONAL_DATA_SHOWN = "personal_data_shown", _("Personal data shown")
        LISTED = "listed", _("List read")
        ACCESS_CHANGED = "access_changed", _("Roles or rights changed")
        TOKEN_CHANGED = "token_changed", _("API token changed")
        WITHDRAWN = "withdrawn", _("Request withdrawn")
        QUARANTINED = "quarantined", _("Malware quarantined")
        CHECKS_OVERRIDDEN = "checks_overridden", _("Accepted despite failed checks")
        RECORD_CORRECTED = "record_corrected", _("Catalogue corrected")
        RECORD_RECLASSIFIED = "record_reclassified", _("Confidentiality changed")
        USE_EFFECT = "use_effect", _("Effect of a use recorded")
        BATCH_CHECKED = "batch_checked", _("Batch records checked")
        BATCH_HANDED_OVER = "batch_handed_over", _("Batch handed over")
        BATCH_RECEIVED = "batch_received", _("Batch received")

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too: the entry must read the same if the account changes.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OK
    )
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Set when the entry is linked into the chain (``audit.chain.link``), a
    # moment after it was written: writing one takes no lock. Until then all
    # three are NULL (not "": the hash is unique, and NULLs do not collide).
    seq = models.BigIntegerField(null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001
    hash = models.CharField(max_length=64, null=True, unique=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-pk"]
        default_permissions = ("view",)
        permissions = [
            # The auditors': every department's entries, not only their own.
            ("view_whole_log", _("Can read the whole audit log")),
        ]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["department", "at"]),
            models.Index(fields=["target_type", "target_id"]),
            # The entries waiting to be linked (audit.chain.link): a handful
            # at the end of a log of millions.
            models.Index(
                fields=["id"],
                condition=models.Q(hash__isnull=True),
                name="audit_entry_unlinked",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_action_display()} · {self.actor_name}"
