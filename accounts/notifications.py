"""In-app notifications and their e-mail copy.

Each message is a key with a translatable template; the values are filled in
when the message is read, in the reader's language.
"""

from __future__ import annotations

import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
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
    "batch_handed_over": _(
        "Hand-over batch %(ref)s from %(person)s, %(count)s record(s), waits for "
        "your receipt."
    ),
    "record_returned": _("“%(title)s” was returned for correction: %(reason)s"),
    "request_rejected": _("Your request %(ref)s was rejected: %(reason)s"),
    "agreement_ended_out": _(
        "Confidentiality agreement %(number)s has ended while %(ref)s is in "
        "viewing: take the records back."
    ),
    "request_reopened": _(
        "The confidentiality of %(number)s was changed: your request %(ref)s "
        "waits for a further approval."
    ),
    "request_item_removed": _(
        "The confidentiality of %(number)s was raised: it can no longer be "
        "asked for and has left your request %(ref)s."
    ),
    "level_raised_out": _(
        "The confidentiality of %(number)s was raised while it is out with "
        "%(person)s (%(ref)s)."
    ),
    "use_effect_asked": _(
        "%(ref)s is returned. What did it help you with? Tell the archive on "
        "the request's page."
    ),
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
    "complaint_reported": _("A complaint about the archive's work: %(summary)s"),
    "complaint_answered": _(
        "Your complaint “%(summary)s” is closed. The answer: %(answer)s"
    ),
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
    "mail_draft": _(
        "An e-mail from %(person)s, “%(title)s”, waits as your draft: complete "
        "it and submit it."
    ),
    "mail_refused": _(
        "An e-mail from %(person)s, “%(title)s”, could not be filed: %(reason)s. "
        "It stays unread in the mailbox."
    ),
}


# Texts that are not inbox messages but are worded the same way: the body
# of the printable overdue letter (lending.pdf.overdue_letter).
LETTERS = {
    "overdue_letter": _(
        "Dear %(person)s,\n\nthe records below, lent to you by the archive, "
        "are past their return date. Please bring them back to the archive "
        "desk at once, or ask for an extension if you still need them.\n\n"
        "Records lent are company property; a record not returned is reported "
        "to your department head."
    ),
}
EDITABLE = {**MESSAGES, **LETTERS}

# What each notice is, for the head of archives who rewords them.
NAMES = {
    "request_waiting": _("A request waits for an approver"),
    "request_approved": _("A request is approved (to the requester)"),
    "request_ready": _("A request is ready for the desk (to the archivists)"),
    "record_accepted": _("A record is accepted (to its filer)"),
    "batch_handed_over": _("A department hands a batch over (to the archivists)"),
    "record_returned": _("A record is returned for correction (to its filer)"),
    "request_rejected": _("A request is rejected (to the requester)"),
    "agreement_ended_out": _(
        "A partner's agreement ends while records are out (to the archivists)"
    ),
    "request_reopened": _(
        "A request waits again after a confidentiality change (to the requester)"
    ),
    "request_item_removed": _(
        "A record leaves a request after a confidentiality change (to the requester)"
    ),
    "level_raised_out": _(
        "A record out is raised in confidentiality (to the archivists)"
    ),
    "use_effect_asked": _("A use has ended: its effect is asked (to the requester)"),
    "loan_due_soon": _("A loan is due soon"),
    "loan_due_today": _("A loan is due today"),
    "loan_overdue": _("A loan is overdue (to the borrower)"),
    "loan_overdue_report": _("A loan is overdue (to the borrower's head)"),
    "extension_decided": _("An extension is decided"),
    "owner_request_waiting": _("An owner's request waits for approval"),
    "submission_late": _("A record is filed late"),
    "disposal_due": _("Records reached their disposal date"),
    "destruction_waiting": _("A destruction list waits for approval"),
    "destruction_approved": _("A destruction list is approved"),
    "destruction_rejected": _("A destruction list is rejected"),
    "destruction_witness": _("A witness of a destruction is asked to confirm"),
    "incident_opened": _("An incident is reported"),
    "complaint_reported": _("A complaint about the archive is made"),
    "complaint_answered": _("A complaint about the archive is answered"),
    "stocktake_report": _("The yearly stocktake is finished"),
    "monthly_report": _("The monthly usage report is ready"),
    "export_ready": _("An export is ready"),
    "import_checked": _("The dry run of an import is finished"),
    "import_done": _("An import is finished"),
    "unusual_patterns": _("The daily check found unusual patterns"),
    "mail_draft": _("An e-mail became a draft (to its responsible person)"),
    "mail_refused": _("An e-mail could not be filed (to the mailbox's person)"),
    "overdue_letter": _("Overdue letter (printed)"),
}

# What each value a notice may name stands for.
VALUE_NAMES = {
    "ref": _("the request, loan or list reference"),
    "person": _("the person concerned"),
    "count": _("a number of records"),
    "title": _("the record's or list's title"),
    "number": _("the archive number"),
    "reason": _("the reason given"),
    "due": _("the due date"),
    "days": _("the days late"),
    "decision": _("approved or refused"),
    "kind": _("the kind of incident"),
    "summary": _("the incident's or complaint's summary"),
    "answer": _("the answer given"),
    "period": _("the stocktake's year"),
    "expected": _("records expected"),
    "found": _("records found"),
    "missing": _("records missing"),
    "misplaced": _("records misplaced"),
    "unexpected": _("records not expected"),
    "month": _("the month"),
    "name": _("the file's name"),
    "problems": _("problems found"),
}


def name_of(key: str) -> str:
    return str(NAMES.get(key, key))


PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")
OVERRIDES_KEY = "accounts:notice-texts:v1"


def placeholders(key: str) -> list[str]:
    """The values a notice's text may name, as in the product's own text."""
    return list(dict.fromkeys(PLACEHOLDER_RE.findall(str(EDITABLE[key]))))


# A page renders many notices: the wording is read from the shared cache at
# most every few seconds per process, not once a notice.
_memo: dict = {"at": 0.0, "texts": None}
MEMO_SECONDS = 5


def own_texts() -> dict[tuple[str, str], str]:
    """The head of archives' wordings, by (notice, language)."""
    from accounts.models import NoticeText

    if _memo["texts"] is not None and time.monotonic() - _memo["at"] < MEMO_SECONDS:
        return _memo["texts"]

    def read():
        return {
            (key, language): text
            for key, language, text in NoticeText.objects.values_list(
                "key", "language", "text"
            )
        }

    _memo["texts"] = cache.get_or_set(OVERRIDES_KEY, read, 3600)
    _memo["at"] = time.monotonic()
    return _memo["texts"]


def overrides_changed() -> None:
    cache.delete(OVERRIDES_KEY)
    _memo["texts"] = None


def template_for(key: str, language: str | None = None) -> str:
    """The text of a notice in a language: the head of archives' wording when
    there is one, else the product's, translated."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    own = own_texts().get((key, language))
    if own:
        return own
    with translation.override(language):
        return str(EDITABLE[key])


def render(key: str, params: dict, language: str | None = None) -> str:
    if key not in EDITABLE:
        return key
    template = template_for(key, language)
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def notice_texts_save(*, actor, key: str, texts: dict[str, str]) -> None:
    """Set (or, with an empty text, drop) the wording of a notice per
    language. A text may name only the values the notice has."""
    from accounts.models import NoticeText
    from audit import services as audit
    from core.permissions import require_perm

    require_perm(
        actor, "accounts.change_noticetext", _("You may not change notice texts.")
    )
    if key not in EDITABLE:
        raise ValidationError(_("No notice has the key %(key)s.") % {"key": key})
    allowed = set(placeholders(key))
    errors = {}
    for language, text in texts.items():
        text = (text or "").strip()
        unknown = sorted(set(PLACEHOLDER_RE.findall(text)) - allowed)
        stray = PLACEHOLDER_RE.sub("", text.replace("%%", "")).count("%")
        if unknown:
            errors[language] = _(
                "This notice has no value %(names)s; it can use %(allowed)s."
            ) % {
                "names": "、".join(f"%({n})s" for n in unknown),
                "allowed": "、".join(f"%({n})s" for n in sorted(allowed)) or "—",
            }
        elif stray:
            errors[language] = _("Write a percent sign as %%, and a value as %(name)s.")
    if errors:
        raise ValidationError(errors)
    for language, text in texts.items():
        text = (text or "").strip()
        if text:
            NoticeText.objects.update_or_create(
                key=key,
                language=language,
                defaults={"text": text, "changed_by": actor},
            )
        else:
            NoticeText.objects.filter(key=key, language=language).delete()
    audit.log(audit.Action.SETTING_CHANGED, actor=actor, model="notice", key=key)
    overrides_changed()


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
        # Mailed by the worker once this transaction commits (accounts.tasks):
        # the inbox keeps the message whatever the mail server does.
        from core.queue import enqueue_on_commit

        enqueue_on_commit("accounts.tasks.notification_mail", note.pk)
    return note
