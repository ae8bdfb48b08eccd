"""E-mail in (issue 18, item 3), against a real IMAP server: Dovecot started
by the test on 127.0.0.1 with TLS (tests/mailserver.py)."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import MailMessage
from archives.services.mailin import mail_file
from archives.services.mailin import mailbox_read
from archives.services.mailin import reason_text
from archives.services.records import records_submit
from core.errors import ArchiveError
from tests import mailserver
from tests import samples
from tests.factories import CustomerFactory
from tests.factories import UserFactory
from tests.factories import mailbox_with_rule

CUSTOMER_ADDRESS = "Buyer@HuaDong.example"


@pytest.fixture(scope="module")
def server():
    started = mailserver.start()
    yield started
    mailserver.remove(started)


@pytest.fixture
def inbox(server):
    """An empty INBOX for each test."""
    client = server.client()
    try:
        for folder in ("INBOX", "Taken"):
            client.select(folder)
            _typ, data = client.search(None, "ALL")
            if data[0]:
                client.store(b",".join(data[0].split()), "+FLAGS", r"(\Deleted)")
                client.expunge()
    finally:
        client.logout()
    return server


@pytest.fixture
def mailbox(inbox, settings, staff, archivist):
    settings.ARCHIVE_MAIL_CA_FILE = inbox.cafile
    customer = CustomerFactory(name="华东机械", responsible_staff=staff)
    customer.set_contact(f"采购 王经理 {CUSTOMER_ADDRESS} 13812345678")
    customer.save()
    return mailbox_with_rule(
        assignee=archivist,
        host=inbox.host,
        port=inbox.port,
        username=inbox.user,
        password=inbox.password,
    )


def _three():
    return [
        samples.mail(
            sender=f"王经理 <{CUSTOMER_ADDRESS.lower()}>",
            subject="发票开错了",
            body="发票抬头应为华东机械有限公司，请重开。",
            message_id="<m1@huadong.example>",
            attachments=(("发票照片.pdf", samples.pdf("发票")),),
        ),
        samples.mail(
            sender=CUSTOMER_ADDRESS,
            subject="投诉：送货延迟三天",
            body="订单 A-1024 迟到三天。",
            message_id="<m2@huadong.example>",
            attachments=(
                ("签收单.pdf", samples.pdf("签收单")),
                ("说明.txt", "迟到".encode()),
            ),
        ),
        samples.mail(
            sender="stranger@unknown.example",
            subject="合作咨询",
            message_id="<m3@unknown.example>",
        ),
    ]


def test_three_messages_make_three_drafts_and_again_nothing(
    mailbox, inbox, staff, archivist
):
    inbox.deliver(*_three())
    read = mailbox_read(mailbox)
    assert (read.filed, read.skipped, read.refused) == (3, 0, 0)

    invoice = ArchiveRecord.objects.get(title="发票开错了")
    assert invoice.status == ArchiveRecord.Status.DRAFT
    assert invoice.category.code == "GT"
    assert invoice.customer.name == "华东机械"  # matched by address, any case
    assert invoice.created_by == staff and invoice.responsible_person == staff
    assert "请重开" in invoice.description
    assert [s.code for s in invoice.subcodes.all()] == ["YJ"]  # 邮件沟通
    files = {f.original_name: f for f in invoice.files.all()}
    assert set(files) == {"发票开错了.eml", "发票照片.pdf"}
    assert files["发票照片.pdf"].parent == files["发票开错了.eml"]

    complaint = ArchiveRecord.objects.get(title="投诉：送货延迟三天")
    assert complaint.category.code == "TS"  # the archivist's rule
    assert complaint.files.count() == 3
    stranger = ArchiveRecord.objects.get(title="合作咨询")
    assert stranger.customer is None and stranger.created_by == archivist

    told = Notification.objects.filter(user=staff, key="mail_draft")
    assert told.count() == 2
    assert told.first().url == reverse("archives:record-edit", args=[complaint.pk])
    # Taken messages are marked read on the server.
    assert all(b"\\Seen" in f for f in inbox.flags())

    inbox.deliver(*_three())
    again = mailbox_read(mailbox)
    assert (again.filed, again.skipped) == (0, 3)
    assert ArchiveRecord.objects.count() == 3
    assert MailMessage.objects.count() == 3


def test_a_draft_without_its_customer_is_not_submitted_until_completed(
    mailbox, inbox, archivist
):
    inbox.deliver(_three()[2])
    mailbox_read(mailbox)
    draft = ArchiveRecord.objects.get()
    with pytest.raises(ArchiveError, match="must name its customer"):
        records_submit(actor=archivist, records=[draft])
    draft.refresh_from_db()
    assert draft.status == ArchiveRecord.Status.DRAFT


def test_broken_or_too_big_messages_are_refused_whole_and_left_unread(
    mailbox, inbox, settings, archivist
):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1024 * 1024
    inbox.deliver(
        samples.broken_mail(),
        samples.mail(
            subject="录音太大",
            message_id="<big@huadong.example>",
            attachments=(("录音.bin.pdf", b"%PDF-1.4\n" + b"0" * 2_000_000),),
        ),
        samples.mail(subject="正常来信", message_id="<ok@huadong.example>"),
    )
    read = mailbox_read(mailbox)
    assert (read.filed, read.refused) == (1, 2)
    assert list(ArchiveRecord.objects.values_list("title", flat=True)) == ["正常来信"]
    refused = {m.reason: m for m in MailMessage.objects.filter(state="refused")}
    assert set(refused) == {"broken_mime", "too_big"}
    assert "MIME structure is broken" in reason_text(refused["broken_mime"])
    assert "2.6\xa0MB" in reason_text(refused["too_big"])
    # Nothing of them is stored, and the person of the mailbox is told.
    assert archivist.notifications.filter(key="mail_refused").count() == 2
    flags = inbox.flags()
    assert sum(b"\\Seen" in f for f in flags) == 1  # only the one filed
    # Read again: they are not taken twice, nor told twice.
    assert mailbox_read(mailbox).refused == 0
    assert archivist.notifications.filter(key="mail_refused").count() == 2


def test_a_mailbox_that_cannot_be_reached_says_why(mailbox, inbox):
    mailbox.set_password("wrong")
    mailbox.save()
    with pytest.raises(Exception, match=r"(?i)auth"):
        mailbox_read(mailbox)
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error.upper()


def test_an_infected_attachment_refuses_the_message(mailbox, inbox, archivist):
    from tests.clamd import EICAR

    inbox.deliver(
        samples.mail(
            subject="附件有毒",
            message_id="<virus@x.example>",
            attachments=(("说明.txt", EICAR),),
        )
    )
    read = mailbox_read(mailbox)
    assert read.refused == 1 and ArchiveRecord.objects.count() == 0
    taken = MailMessage.objects.get()
    assert taken.reason == "file_refused" and "说明.txt" in taken.detail


def test_a_message_dropped_on_the_form_files_once_for_the_filer(staff):
    UserFactory(username="other", role="cs_staff")
    raw = samples.mail(
        subject="电话回访记录",
        message_id="<drop@x.example>",
        attachments=(("回访.pdf", samples.pdf("回访")),),
    )
    gt = Category.objects.get(code="GT")
    first = mail_file(raw=raw, actor=staff, category=gt)
    assert first.record.created_by == staff
    assert first.record.files.count() == 2
    assert mail_file(raw=raw, actor=staff, category=gt).skipped


def test_e_mails_dropped_on_the_filing_form(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    url = reverse("archives:record-from-mail", args=["GT"])
    page = client.get(reverse("archives:record-create", args=["GT"]))
    assert 'data-testid="from-mail"' in page.content.decode()
    raw = samples.mail(
        subject="来电后补发的邮件",
        message_id="<form-1@x.example>",
        attachments=(("报价单.pdf", samples.pdf("报价")),),
    )
    answer = client.post(url, {"messages": [SimpleUploadedFile("来信.eml", raw)]})
    draft = ArchiveRecord.objects.get()
    assert answer.url == reverse("archives:record-edit", args=[draft.pk])
    assert draft.files.count() == 2 and draft.created_by == staff
    again = client.post(
        url, {"messages": [SimpleUploadedFile("来信.eml", raw)]}, follow=True
    )
    assert "was filed before" in again.content.decode()
    assert ArchiveRecord.objects.count() == 1
    # Not an e-mail, or a broken one: said, nothing filed, nothing kept.
    wrong = client.post(
        url, {"messages": [SimpleUploadedFile("a.pdf", samples.pdf())]}, follow=True
    )
    assert "only e-mails (.eml or .msg)" in wrong.content.decode()
    broken = client.post(
        url,
        {"messages": [SimpleUploadedFile("b.eml", samples.broken_mail())]},
        follow=True,
    )
    assert "MIME structure is broken" in broken.content.decode()
    assert ArchiveRecord.objects.count() == 1
    assert not MailMessage.objects.filter(state="refused").exists()


def test_the_archivist_sets_rules_and_reads_what_was_refused(
    client, mailbox, inbox, archivist, staff
):
    inbox.deliver(samples.broken_mail())
    mailbox_read(mailbox)
    client.force_login(archivist)
    page = client.get(reverse("archives:mail"))
    text = page.content.decode()
    assert "客服邮箱" in text and "MIME structure is broken" in text
    answer = client.post(
        reverse("archives:mail"),
        {
            "mailbox": mailbox.pk,
            "field": "sender",
            "contains": "@vip.example",
            "category": Category.objects.get(code="TS").pk,
        },
    )
    assert answer.status_code == 302
    assert mailbox.rules.count() == 2
    rule = mailbox.rules.get(contains="@vip.example")
    client.post(reverse("archives:mail-rule-delete", args=[rule.pk]))
    assert mailbox.rules.count() == 1
    client.force_login(staff)
    assert client.get(reverse("archives:mail")).status_code == 403


def test_an_outlook_message_dropped_on_the_form(client, staff):
    """Outlook's .msg, read with olefile: subject, sender, date, text and
    attachments as from an .eml; the sender's customer found by address."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    customer = CustomerFactory(name="华东机械", responsible_staff=staff)
    customer.set_contact(f"采购 {CUSTOMER_ADDRESS}")
    customer.save()
    raw = samples.outlook_msg(
        sender=CUSTOMER_ADDRESS,
        subject="对账单有误",
        body="十月对账单少了一笔。",
        attachments=(("对账单.pdf", samples.pdf("对账单")),),
    )
    client.force_login(staff)
    client.post(
        reverse("archives:record-from-mail", args=["GT"]),
        {"messages": [SimpleUploadedFile("对账单有误.msg", raw)]},
    )
    draft = ArchiveRecord.objects.get()
    assert (draft.title, draft.customer) == ("对账单有误", customer)
    assert draft.description == "十月对账单少了一笔。"
    assert str(draft.date_formed) == "2026-11-30"
    names = sorted(f.original_name for f in draft.files.all())
    assert names == ["对账单.pdf", "对账单有误.msg"]


def test_an_attachment_of_a_kind_not_taken_stays_inside_the_message(staff):
    """A customer's .rar or .html is not a file the archive takes on its own:
    it stays inside the message (the .eml is filed whole) and is named."""
    raw = samples.mail(
        subject="附上压缩包",
        message_id="<rar@x.example>",
        attachments=(
            ("资料.rar", b"Rar!\x1a\x07\x00 data"),
            ("说明.pdf", samples.pdf()),
        ),
    )
    taken = mail_file(raw=raw, actor=staff, category=Category.objects.get(code="GT"))
    names = sorted(f.original_name for f in taken.record.files.all())
    assert names == ["说明.pdf", "附上压缩包.eml"]
    assert "资料.rar" in taken.record.description
