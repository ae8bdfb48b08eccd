"""Mail sent by the worker, after the transaction that made it has
committed (never inside it: a rolled-back reminder is not mailed, and a
slow mail server holds no database lock)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(
    name="accounts.tasks.notification_mail",
    bind=True,
    acks_late=True,
    max_retries=6,
)
def notification_mail(self, note_id: int) -> bool:
    """The mail copy of one notification; a mail server that is down or
    refuses for now is tried again later (1, 2, 4 … minutes)."""
    from accounts.models import Notification
    from accounts.notifications import render

    note = Notification.objects.select_related("user").filter(pk=note_id).first()
    if note is None or not note.user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = render(note.key, note.params)
    try:
        send_mail(
            subject=text[:78],
            message=text,
            from_email=None,
            recipient_list=[note.user.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("could not mail notification %s: %s", note_id, error)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return False  # no worker to try again: the inbox keeps it
        raise self.retry(countdown=60 * 2**self.request.retries) from error
    return True


@shared_task(name="accounts.tasks.directory_sync")
def directory_sync() -> dict:
    """Nightly: accounts made by the directory follow it (a no-op without it)."""
    from accounts.directory import directory_sync as sync

    return sync()


@shared_task(
    name="accounts.tasks.password_reset_mail",
    bind=True,
    acks_late=True,
    max_retries=6,
)
def password_reset_mail(
    self, user_id: int, base_url: str, language: str, invited: bool = False
) -> bool:
    """The link to choose a password, by mail: forgotten, or a new account."""
    from accounts.passwordreset import reset_mail_send

    try:
        return reset_mail_send(
            user_id=user_id, base_url=base_url, language=language, invited=invited
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("could not mail the password reset of %s: %s", user_id, error)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return False
        raise self.retry(countdown=60 * 2**self.request.retries) from error
