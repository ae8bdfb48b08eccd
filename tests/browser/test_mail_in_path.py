"""Issue 18, item 3, in a real browser (zh-hans): a filer drops a saved
e-mail on the filing form and completes the draft it became; the archivist
reads the mailboxes' page with a rule and a refused message."""

import pytest
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from archives.services.mailin import mail_file
from tests import samples
from tests.factories import mailbox_with_rule

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_an_e_mail_dropped_on_the_form_and_the_mail_page(
    open_as, shoot, live_server, staff, archivist, tmp_path
):
    saved = tmp_path / "发票开错了.eml"
    saved.write_bytes(
        samples.mail(
            subject="发票开错了",
            body="发票抬头应为华东机械有限公司，请重开。",
            message_id="<browser-1@huadong.example>",
            attachments=(("发票照片.pdf", samples.pdf("发票")),),
        )
    )
    page = open_as(staff, "zh-hans")
    page.goto(f"{live_server.url}/records/new/GT/")
    form = page.get_by_test_id("from-mail")
    form.locator("input[type=file]").set_input_files(str(saved))
    shoot(page, "zh-hans-83-file-from-e-mail")
    form.get_by_role("button", name="将邮件登记为草稿").click()
    expect(page.locator("#id_title")).to_have_value("发票开错了")
    expect(page.locator("body")).to_contain_text("1 封邮件已生成草稿")
    expect(page.locator("body")).to_contain_text("发票照片.pdf")
    shoot(page, "zh-hans-84-draft-from-e-mail")
    draft = ArchiveRecord.objects.get()
    assert draft.created_by == staff and draft.files.count() == 2

    box = mailbox_with_rule(assignee=archivist)
    mail_file(raw=samples.broken_mail(), mailbox=box)
    desk = open_as(archivist, "zh-hans")
    desk.get_by_test_id("nav-filing").click()
    desk.get_by_role("link", name="邮件收取").click()
    expect(desk.get_by_test_id("mail-rule")).to_contain_text("投诉")
    taken = desk.get_by_test_id("mail-taken")
    expect(taken).to_contain_text("拒收 其 MIME 结构已损坏")
    expect(taken).to_contain_text("c***@example.com")
    shoot(desk, "zh-hans-85-mail-in-page")


def test_the_mail_page_in_english(open_as, shoot, live_server, archivist):
    box = mailbox_with_rule(assignee=archivist)
    mail_file(raw=samples.broken_mail(), mailbox=box)
    page = open_as(archivist, "en")
    page.goto(f"{live_server.url}/mail/")
    expect(page.get_by_test_id("mail-rule")).to_contain_text("subject ⊇ “投诉”")
    expect(page.get_by_test_id("mail-taken")).to_contain_text(
        "its MIME structure is broken"
    )
    shoot(page, "en-85-mail-in-page")
