"""Incidents (SPEC §11). Retention and destruction join them here later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Incident(models.Model):
    """Something happened to records: a loss, damage, fire, flood or theft."""

    class Kind(models.TextChoices):
        LOSS = "loss", _("Loss")
        DAMAGE = "damage", _("Damage")
        FIRE = "fire", _("Fire")
        FLOOD = "flood", _("Flood")
        THEFT = "theft", _("Theft")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("what happened"), blank=True)
    records = models.ManyToManyField(
        "archives.ArchiveRecord",
        verbose_name=_("records affected"),
        related_name="incidents",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person held responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.summary}"
