"""Issue 19, item 12: the head of archives words the notices per language,
and the desk prints an overdue letter per borrower."""

import datetime
import re
import subprocess

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.notifications import notice_texts_save
from accounts.notifications import notify
from accounts.notifications import render
from lending.services.approvals import step_decide
from lending.services.circulation import hand_over
from tests.lending.test_lending import MONDAY
from tests.lending.test_lending import at
from tests.lending.test_lending import borrow

PARAMS = {"ref": "JY000001", "due": "2026-11-27", "days": 3}


def test_the_head_of_archives_words_a_notice_per_language(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.archive_head)
    listing = client.get(reverse("accounts:notice-texts"))
    # Each notice by what it is, not by its key (issue 19, item 14).
    assert "A loan is overdue (to the borrower)" in listing.content.decode()
    assert ">loan_overdue<" not in listing.content.decode()
    chinese = client.get(
        reverse("accounts:notice-texts"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "借阅逾期（致借阅人）" in chinese
    edit = reverse("accounts:notice-text-edit", args=["loan_overdue"])
    page = client.get(edit).content.decode()
    assert "%(days)s" in page and "the days late" in page
    response = client.post(
        edit,
        {
            "text_zh_hans": "借阅 %(ref)s 已逾期 %(days)s 天，请立即到档案室归还。",
            "text_zh_hant": "",
            "text_en": "Loan %(ref)s is %(days)s day(s) late: bring it back now.",
        },
    )
    assert response.status_code == 302
    assert render("loan_overdue", PARAMS, "zh-hans") == (
        "借阅 JY000001 已逾期 3 天，请立即到档案室归还。"
    )
    # A language without its own wording keeps the product's.
    assert render("loan_overdue", PARAMS, "zh-hant") == (
        "借閱 JY000001 已於 2026-11-27 到期，逾期 3 天。"
    )
    # The reader's inbox shows the new wording.
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.staff, key="loan_overdue", params=PARAMS, email=True)
    client.force_login(world.staff)
    client.cookies["django_language"] = "zh-hans"
    inbox = client.get(reverse("accounts:notifications")).content.decode()
    assert "请立即到档案室归还" in inbox
    # The mail copy is in the site's language, in its own wording.
    assert mail.outbox[-1].body == "Loan JY000001 is 3 day(s) late: bring it back now."
    # Emptied, the product's text is back.
    client.force_login(world.archive_head)
    client.post(edit, {"text_zh_hans": "", "text_zh_hant": "", "text_en": ""})
    assert "请立即到档案室归还" not in render("loan_overdue", PARAMS, "zh-hans")


def test_a_wording_may_name_only_the_notices_values(client, world):
    client.force_login(world.archive_head)
    edit = reverse("accounts:notice-text-edit", args=["loan_overdue"])
    bad = client.post(
        edit,
        {"text_zh_hans": "%(ref)s 请交 %(fine)s 元", "text_zh_hant": "", "text_en": ""},
    )
    assert bad.status_code == 400
    assert "This notice has no value %(fine)s" in bad.content.decode()
    with pytest.raises(ValidationError, match="percent sign"):
        notice_texts_save(
            actor=world.archive_head, key="loan_overdue", texts={"en": "100% late"}
        )
    for person in (world.archivist, world.staff):
        client.force_login(person)
        assert client.get(edit).status_code == 403


def test_the_overdue_letter_per_borrower(client, world, tmp_path):
    with time_machine.travel(at(MONDAY, 8), tick=False):
        loan = borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 25))
        step_decide(step_id=loan.steps.get().pk, actor=world.archive_head, approve=True)
        loan.refresh_from_db()
        hand_over(access_request=loan, actor=world.archivist, receiver_confirmed=True)
    notice_texts_save(
        actor=world.archive_head,
        key="overdue_letter",
        texts={"zh-hans": "%(person)s 同志：\n\n以下档案已逾期，请于三日内归还。"},
    )
    client.force_login(world.archivist)
    client.cookies["django_language"] = "zh-hans"
    with time_machine.travel(at(datetime.date(2026, 11, 30), 10), tick=False):
        desk = client.get(reverse("lending:desk")).content.decode()
        assert 'data-testid="overdue-letter"' in desk
        response = client.get(reverse("lending:overdue-letter", args=[world.staff.pk]))
        nothing = client.get(
            reverse("lending:overdue-letter", args=[world.staff2.pk]), follow=True
        )
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "zh-hans-70-overdue-letter.pdf").write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "张敏 同志" in text and "请于三日内归还" in text
    assert loan.reference in text and world.own.number in text
    assert "2026-11-25" in text
    assert re.search(r"2026-11-25\s+5\b", text)
    assert "赵静 没有逾期" in nothing.content.decode()
