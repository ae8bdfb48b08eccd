"""Background work waiting for the task queue (security issue, item 13).

When Redis cannot be reached, a task the web wanted to send is kept here,
in the database, instead of failing the request; ``core.queue`` sends it
as soon as the queue answers again (the worker at start and every minute,
and the web before its next send).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedTask(models.Model):
    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("kept since"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("task waiting for the queue")
        verbose_name_plural = _("tasks waiting for the queue")
        ordering = ["pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
