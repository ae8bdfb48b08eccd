"""E-mail in (issue 18, item 3): each message becomes a draft record with
the original message as its file and the attachments as further files, for
the responsible person of the customer who sent it to complete and submit.

Messages come from a mailbox read over IMAP with TLS on a schedule
(``mailbox_read``, beat "mailboxes-read"), or dropped on the filing form
(``mail_file``). A message is taken once: its Message-ID (or the hash of a
message without one) is kept in ``MailMessage``, unique. A message that
cannot be filed whole (broken MIME, a file the checks refuse, too big) is
refused with its reason and nothing of it is stored; on the server it stays
unread, and the mailbox's responsible person is told.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.notifications import notify
from archives import mail
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import Customer
from archives.models import FileCheck
from archives.models import Mailbox
from archives.models import MailMessage
from archives.models import MailRule
from archives.models import Subcode
from archives.personal import address_digest
from archives.personal import decrypt
from archives.personal import mask_contact
from archives.services.filechecks import record_check as record_files_check
from archives.services.files import files_ingest
from archives.services.files import files_vet
from archives.services.files import safe_name
from archives.services.records import record_draft_incomplete
from core.errors import ArchiveError
from core.history import changed_by
from core.permissions import holds_perm
from core.permissions import require_perm

logger = logging.getLogger(__name__)

# Why a message was refused, worded for each reader (MailMessage.reason).
REASONS = {
    "broken_mime": gettext_lazy(
        "its MIME structure is broken (%(detail)s): parts may be cut off or run "
        "together, so nothing of it was filed"
    ),
    "broken_msg": gettext_lazy("the Outlook file cannot be read (%(detail)s)"),
    "not_mail": gettext_lazy("it is not an e-mail (%(detail)s)"),
    "too_big": gettext_lazy(
        "it is %(detail)s with its attachments; a message may be at most the "
        "largest file the archive takes"
    ),
    "file_refused": gettext_lazy("a file of it was refused: %(detail)s"),
    "no_one": gettext_lazy(
        "nobody may file it: %(detail)s may not file records of this category"
    ),
}


def reason_text(message: MailMessage) -> str:
    template = REASONS.get(message.reason)
    return str(template) % {"detail": message.detail} if template else message.detail


class Refused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Taken:
    """What became of one message."""

    message: MailMessage | None  # None: taken before, skipped
    record: ArchiveRecord | None = None
    before: MailMessage | None = None  # what took it, when skipped

    @property
    def skipped(self) -> bool:
        return self.message is None


def _subcodes(category: Category) -> dict[str, Subcode]:
    """The sub-codes every draft from e-mail gets, by category
    (``ARCHIVE_MAIL_SUBCODES``: GT's channel is 邮件沟通)."""
    wanted = settings.ARCHIVE_MAIL_SUBCODES.get(category.code, {})
    found = {}
    for key, code in wanted.items():
        subcode = Subcode.objects.filter(
            dimension__category=category, dimension__key=key, code=code, active=True
        ).first()
        if subcode is not None:
            found[key] = subcode
    return found


def customer_of(address: str) -> Customer | None:
    """The customer whose contact holds the sender's address, when exactly
    one does."""
    if not address:
        return None
    digest = address_digest(address)
    found = list(
        Customer.objects.filter(contact_addresses__contains=digest).select_related(
            "responsible_staff"
        )[:2]
    )
    return found[0] if len(found) == 1 else None


def _category_for(mailbox: Mailbox | None, parsed: mail.Mail, default: Category):
    if mailbox is not None:
        for rule in mailbox.rules.select_related("category"):
            if rule.matches(parsed.sender, parsed.subject):
                return rule.category
    return default


def _may_file(person: User | None, category: Category) -> bool:
    return bool(
        person is not None
        and person.is_active
        and not person.is_system
        and holds_perm(person, permissions.FILE_RECORDS)
        and category.active
    )


def _data(parsed: mail.Mail, customer, person: User) -> dict:
    now = timezone.now()
    sent = parsed.sent_at if parsed.sent_at and parsed.sent_at <= now else now
    return {
        "title": (parsed.subject or _("(no subject)"))[:200],
        "customer": customer,
        "date_formed": timezone.localtime(sent).date(),
        "received_at": sent,
        "carrier": ArchiveRecord.Carrier.ELECTRONIC,
        "responsible_person": person,
        "description": parsed.body[: settings.ARCHIVE_MAIL_BODY_CHARS],
    }


def _uploads(raw: bytes, suffix: str, parsed: mail.Mail):
    """The message as a file, and its attachments of the kinds the archive
    takes; the others stay inside the message (its file) and are named."""
    stem = safe_name(parsed.subject or "e-mail")[:80] or "e-mail"
    message = SimpleUploadedFile(f"{stem}.{suffix}", raw)
    attachments, inside = [], []
    for attachment in parsed.attachments:
        kind = PurePosixPath(attachment.name).suffix.lower().lstrip(".")
        if kind in settings.ARCHIVE_ALLOWED_EXTENSIONS:
            attachments.append(SimpleUploadedFile(attachment.name, attachment.data))
        else:
            inside.append(attachment.name)
    return message, attachments, inside


def mail_file(
    *,
    raw: bytes,
    suffix: str = "eml",
    mailbox: Mailbox | None = None,
    actor: User | None = None,
    category: Category | None = None,
) -> Taken:
    """File one message as a draft, or refuse it whole.

    From a mailbox the draft is the matched customer's responsible person's
    (the mailbox's own person when none matches); from the filing form it is
    the filer's (``actor``). A message taken before is skipped."""
    try:
        parsed = mail.parse(raw, suffix)
    except mail.MailUnreadable as error:
        return _refuse_unread(
            raw if suffix == "eml" else b"",
            raw,
            mailbox,
            actor,
            Refused(error.code, error.detail),
        )
    key = mail.key_of(raw, parsed.message_id)
    before = MailMessage.objects.filter(key=key).select_related("record").first()
    # A message refused before is tried again when a person brings it.
    if before is not None and (before.state == before.State.FILED or actor is None):
        return Taken(None, before=before)
    default = category or (mailbox.category if mailbox else None)
    assert default is not None, "a message is filed into a category"
    category = _category_for(mailbox, parsed, default)
    customer = customer_of(parsed.sender)
    person: User | None
    if actor is not None:
        person = actor
    elif customer is not None and _may_file(customer.responsible_staff, category):
        person = customer.responsible_staff
    else:
        assert mailbox is not None
        person = mailbox.assignee
    try:
        if person is None or not _may_file(person, category):
            raise Refused("no_one", str(person))
        if len(raw) > settings.ARCHIVE_MAX_UPLOAD_BYTES:
            raise Refused("too_big", filesizeformat(len(raw)))
        message_upload, attachment_uploads, inside = _uploads(raw, suffix, parsed)
        try:
            # Checked (and scanned) before anything is stored; the
            # attachments first, so that a refusal names the one at fault.
            vetted_attachments = files_vet(uploads=attachment_uploads, actor=person)
            vetted_message = files_vet(uploads=[message_upload], actor=person)
        except ArchiveError as error:
            raise Refused("file_refused", str(error)) from error
        record = _store(
            key=key,
            parsed=parsed,
            inside=inside,
            mailbox=mailbox,
            category=category,
            customer=customer,
            person=person,
            message=vetted_message,
            attachments=vetted_attachments,
        )
    except Refused as refusal:
        return _refuse(key, parsed, mailbox, actor, refusal)
    if record is None:  # taken by another worker at the same moment
        return Taken(None, before=MailMessage.objects.filter(key=key).first())
    record_files_check(record=record, stage=FileCheck.Stage.UPLOAD, actor=person)
    taken = MailMessage.objects.get(key=key)
    return Taken(taken, record)


def _store(
    *, key, parsed, inside, mailbox, category, customer, person, message, attachments
) -> ArchiveRecord | None:
    data = _data(parsed, customer, person)
    if inside:
        note = _("Attachments kept only inside the message: %(names)s") % {
            "names": "、".join(inside)
        }
        data["description"] = f"{data['description']}\n\n{note}".strip()
    try:
        with transaction.atomic():
            record = record_draft_incomplete(
                actor=person,
                category=category,
                data=data,
                subcodes=_subcodes(category),
            )
            (kept,) = files_ingest(record=record, uploads=message, actor=person)
            files_ingest(record=record, uploads=attachments, actor=person, parent=kept)
            MailMessage.objects.update_or_create(
                key=key,
                defaults={
                    "mailbox": mailbox,
                    "sender": mask_contact(parsed.sender)[:255],
                    "subject": parsed.subject[:255],
                    "state": MailMessage.State.FILED,
                    "record": record,
                    "reason": "",
                    "detail": "",
                },
            )
            if mailbox is not None:
                notify(
                    user=person,
                    key="mail_draft",
                    params={
                        "title": record.title,
                        "person": parsed.sender_name or mask_contact(parsed.sender),
                    },
                    url=reverse("archives:record-edit", args=[record.pk]),
                )
    except IntegrityError:
        if MailMessage.objects.filter(key=key).exists():
            return None
        raise
    return record


def _refuse(key, parsed, mailbox, actor, refusal: Refused) -> Taken:
    """A refusal from a mailbox is kept (so the message is not read again
    and again) and told; one from the form is shown to the person there."""
    sender = mask_contact(parsed.sender)[:255] if parsed else ""
    subject = parsed.subject[:255] if parsed else ""
    taken = MailMessage(
        key=key,
        mailbox=mailbox,
        sender=sender,
        subject=subject,
        state=MailMessage.State.REFUSED,
        reason=refusal.code,
        detail=refusal.detail[:2000],
    )
    if actor is not None:
        return Taken(taken)
    try:
        with transaction.atomic():
            taken.save()
    except IntegrityError:
        return Taken(None)
    logger.info("mail refused: %s %s", refusal.code, refusal.detail)
    if mailbox is not None:
        notify(
            user=mailbox.assignee,
            key="mail_refused",
            params={
                "title": subject or _("(no subject)"),
                "person": sender,
                "reason": reason_text(taken),
            },
        )
    return Taken(taken)


def mails_file(*, actor: User, category: Category, uploads) -> list[Taken]:
    """E-mails dropped on the filing form (checked by its field's rules):
    each one a draft of the filer's."""
    taken = []
    for upload in uploads:
        suffix = PurePosixPath(upload.name).suffix.lower().lstrip(".")
        upload.seek(0)
        taken.append(
            mail_file(raw=upload.read(), suffix=suffix, actor=actor, category=category)
        )
    return taken


def mail_rule_add(*, actor: User, mailbox: Mailbox, data) -> MailRule:
    """The archivist's rule: mail whose sender or subject holds a text is
    filed into another category."""
    require_perm(actor, permissions.MANAGE_MAIL_RULES, _("You may not set mail rules."))
    contains = (data.get("contains") or "").strip()
    if not contains:
        raise ValidationError({"contains": _("Give the text to look for.")})
    category = data["category"]
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    last = mailbox.rules.order_by("-order").values_list("order", flat=True).first()
    rule = MailRule(
        mailbox=mailbox,
        field=data["field"],
        contains=contains,
        category=category,
        order=(last or 0) + 1,
    )
    changed_by(rule, actor)
    rule.save()
    return rule


def mail_rule_delete(*, actor: User, rule: MailRule) -> None:
    require_perm(actor, permissions.MANAGE_MAIL_RULES, _("You may not set mail rules."))
    changed_by(rule, actor)
    rule.delete()


# IMAP ---------------------------------------------------------------------


@dataclass
class Read:
    filed: int = 0
    skipped: int = 0
    refused: int = 0


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=settings.ARCHIVE_MAIL_CA_FILE or None)
    timeout = settings.ARCHIVE_MAIL_TIMEOUT
    if mailbox.security == Mailbox.Security.SSL:
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=context, timeout=timeout
        )
    else:
        client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
        client.starttls(ssl_context=context)
    client.login(mailbox.username, decrypt(mailbox.password_cipher))
    return client


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _fetch(client: imaplib.IMAP4, uid: str) -> tuple[int, bytes | None]:
    """A message's size, and its bytes when it is not too big (read without
    marking it read: BODY.PEEK)."""
    _typ, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    found = _SIZE.search(b" ".join(d for d in data if isinstance(d, bytes)))
    size = int(found.group(1)) if found else 0
    if size > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        return size, None
    _typ, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            return size, item[1]
    return size, b""


def _headers(client: imaplib.IMAP4, uid: str) -> bytes:
    _typ, data = client.uid(
        "FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SUBJECT DATE)])"
    )
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    return b""


def _done(client: imaplib.IMAP4, mailbox: Mailbox, uid: str) -> None:
    client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    if mailbox.move_to:
        moved, _data = client.uid("MOVE", uid, mailbox.move_to)
        if moved != "OK":  # a server without MOVE
            client.uid("COPY", uid, mailbox.move_to)
            client.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
            client.expunge()


def mailbox_read(mailbox: Mailbox) -> Read:
    """Take the messages that arrived since the last reading. Each is filed
    or refused on its own; the mailbox remembers the last one seen."""
    read = Read()
    try:
        client = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        _failed(mailbox, error)
        raise
    try:
        typ, _data = client.select(_quoted(mailbox.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"no folder {mailbox.folder}")
        validity = int((client.response("UIDVALIDITY")[1] or [b"0"])[0] or 0)
        if validity != mailbox.uid_validity:
            mailbox.uid_validity, mailbox.last_uid = validity, 0
        _typ, data = client.uid("SEARCH", "UID", f"{mailbox.last_uid + 1}:*")
        uids = [
            u.decode() for u in (data[0] or b"").split() if int(u) > mailbox.last_uid
        ]
        for uid in sorted(uids, key=int):
            size, raw = _fetch(client, uid)
            if raw is None:
                head = _headers(client, uid)
                taken = _refuse_unread(
                    head, head, mailbox, None, Refused("too_big", filesizeformat(size))
                )
            else:
                taken = mail_file(raw=raw, mailbox=mailbox)
            if taken.skipped:
                read.skipped += 1
                _done(client, mailbox, uid)
            elif taken.message and taken.message.state == MailMessage.State.FILED:
                read.filed += 1
                _done(client, mailbox, uid)
            else:
                read.refused += 1  # left unread on the server, for a person
            mailbox.last_uid = int(uid)
            Mailbox.objects.filter(pk=mailbox.pk).update(
                uid_validity=mailbox.uid_validity, last_uid=mailbox.last_uid
            )
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        _failed(mailbox, error)
        raise
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        uid_validity=mailbox.uid_validity,
        last_uid=mailbox.last_uid,
        last_read_at=timezone.now(),
        last_error="",
    )
    return read


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _refuse_unread(head: bytes, raw: bytes, mailbox, actor, refusal: Refused) -> Taken:
    """A message refused before it could be read whole (broken, or too big to
    fetch): told by its headers when they read; taken from a mailbox once."""
    message_id, sender, subject = mail.headers_of(head) if head else ("", "", "")
    key = mail.key_of(raw, message_id)
    if actor is None and MailMessage.objects.filter(key=key).exists():
        return Taken(None)
    known = mail.Mail(message_id, sender, "", "", subject, None, "")
    return _refuse(key, known, mailbox, actor, refusal)


def _failed(mailbox: Mailbox, error: Exception) -> None:
    logger.warning("mailbox %s could not be read: %s", mailbox.name, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=f"{timezone.now():%Y-%m-%d %H:%M} {type(error).__name__}: {error}"[
            :2000
        ]
    )


def mailboxes_read() -> Read:
    """Every active mailbox; one that cannot be reached does not stop the rest."""
    total = Read()
    for mailbox in Mailbox.objects.filter(active=True).select_related(
        "category", "assignee"
    ):
        try:
            read = mailbox_read(mailbox)
        except (OSError, imaplib.IMAP4.error, ssl.SSLError):
            continue
        total.filed += read.filed
        total.skipped += read.skipped
        total.refused += read.refused
    return total
