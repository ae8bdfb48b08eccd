"""In-app notifications and their e-mail copy.

Each message is a key with a translatable template; the values are filled in
when the message is read, in the reader's language.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MESSAGES = {
    "request_waiting": _("Request %(ref)s from %(person)s waits for your decision."),
    "request_approved": _("Your request %(ref)s was approved."),
    "request_ready": _(
        "Request %(ref)s from %(person)s is approved: prepare %(count)s record(s) "
        "for the desk."
    ),
    "record_accepted": _("“%(title)s” was accepted into the archive as %(number)s."),
    "record_returned": _("“%(title)s” was returned for correction: %(reason)s"),
    "request_rejected": _("Your request %(ref)s was rejected: %(reason)s"),
    "loan_due_soon": _("Loan %(ref)s is due back on %(due)s."),
    "loan_due_today": _("Loan %(ref)s is due back today (%(due)s)."),
    "loan_overdue": _("Loan %(ref)s was due on %(due)s and is %(days)s day(s) late."),
    "loan_overdue_report": _(
        "%(person)s has not returned loan %(ref)s, due on %(due)s "
        "(%(days)s day(s) late)."
    ),
    "extension_decided": _("Your extension of loan %(ref)s was %(decision)s."),
    "owner_request_waiting": _("Owner request %(ref)s waits for your approval."),
    "submission_late": _("“%(title)s” was due on %(due)s and is not yet submitted."),
    "disposal_due": _("%(count)s record(s) have reached their disposal date."),
    "destruction_waiting": _(
        "Destruction list %(ref)s “%(title)s” waits for approval."
    ),
    "destruction_approved": _("Destruction list %(ref)s was approved."),
    "destruction_rejected": _("Destruction list %(ref)s was rejected: %(reason)s"),
    "destruction_witness": _(
        "You are named as a witness of destruction %(ref)s; please confirm."
    ),
    "incident_opened": _("Incident (%(kind)s): %(summary)s — %(count)s record(s)."),
    "stocktake_report": _(
        "Stocktake %(period)s: %(expected)s expected, %(found)s found, "
        "%(missing)s missing, %(misplaced)s misplaced, %(unexpected)s unexpected."
    ),
    "monthly_report": _("The usage report of %(month)s is ready."),
    "export_ready": _("Your export “%(name)s” is ready to download."),
    "import_checked": _(
        "The dry run of “%(name)s” is finished: %(problems)s problem(s)."
    ),
    "import_done": _("“%(name)s” is imported: %(count)s row(s)."),
    "unusual_patterns": _(
        "The daily check found %(count)s unusual pattern(s) in the audit log."
    ),
}


def render(key: str, params: dict) -> str:
    template = MESSAGES.get(key)
    if template is None:
        return key
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def notify(
    *,
    user,
    key: str,
    params: dict,
    url: str = "",
    email: bool = False,
    once_key: str = "",
):
    """Put a message in the person's inbox, and mail it when asked.

    With ``once_key`` the message is sent at most once per person and key;
    None is returned when it had been sent before.
    """
    from accounts.models import Notification

    if once_key:
        note, created = Notification.objects.get_or_create(
            user=user,
            once_key=once_key,
            defaults={"key": key, "params": params, "url": url},
        )
        if not created:
            return None
    else:
        note = Notification.objects.create(user=user, key=key, params=params, url=url)
    if email and user.email:
        with translation.override(settings.LANGUAGE_CODE):
            text = render(key, params)
            try:
                send_mail(
                    subject=text[:78],
                    message=text,
                    from_email=None,
                    recipient_list=[user.email],
                )
            except OSError:
                # The inbox keeps the message; a mail server being down must
                # not undo the reminder run.
                logger.exception("could not mail notification %s", note.pk)
    return note
