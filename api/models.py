"""What the API keeps between calls: uploads sent in chunks, and the answers
of calls made with an idempotency key (issue 18, item 2)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChunkedUpload(models.Model):
    """A file sent in pieces (a long recording), in order, resumable: the
    sender asks how much has arrived and goes on from there. Once complete
    it is filed with a record, through the same checks as any upload."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    received = models.PositiveBigIntegerField(_("received"), default=0)
    sha256 = models.CharField(_("SHA-256 declared"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("begun"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last piece"), auto_now=True)
    # Set when a record took it; the pieces are deleted then.
    used_at = models.DateTimeField(_("filed"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload in pieces")
        verbose_name_plural = _("uploads in pieces")

    def __str__(self) -> str:
        return f"{self.name} ({self.received}/{self.size})"

    @property
    def complete(self) -> bool:
        return self.received == self.size

    @property
    def pieces_folder(self) -> str:
        """Where its pieces wait in the uploads store, one object each."""
        return f"{self.pk}/"


class IdempotentCall(models.Model):
    """The answer given to a call with an ``Idempotency-Key``: the same key
    again gets the same answer, and nothing is done twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=100)
    # What was asked (method, path, body): the same key for another call
    # is refused rather than answered with the first call's result.
    fingerprint = models.CharField(max_length=64)
    http_status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotent_key")
        ]

    def __str__(self) -> str:
        return self.key
