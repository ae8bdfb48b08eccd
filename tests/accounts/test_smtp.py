"""Mail through a real SMTP server (aiosmtpd, started by the test on
127.0.0.1): a loan reminder reaches the borrower once its transaction
commits, and a rolled-back one never leaves (issue 21, operations)."""

import datetime
import email
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import transaction

from lending.services.circulation import loan_reminders_send
from tests.lending.test_lending import MONDAY
from tests.lending.test_lending import _out_loan
from tests.lending.test_lending import at
from tests.net import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=policy.default),
            )
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def monday():
    with time_machine.travel(at(MONDAY, 8), tick=False):
        yield MONDAY


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "archive@example.com"
    settings.LANGUAGE_CODE = "zh-hans"
    yield inbox
    controller.stop()


def test_a_loan_reminder_reaches_the_borrower_after_commit(
    world, monday, smtp, django_capture_on_commit_callbacks
):
    _out_loan(world, due=datetime.date(2026, 11, 27))
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert loan_reminders_send(today=datetime.date(2026, 11, 26)) == 1
    assert smtp.messages == []  # nothing leaves inside the transaction
    for callback in pending:
        callback()
    [(to, message)] = smtp.messages
    assert to == [world.staff.email]
    assert message["From"] == "archive@example.com"
    assert "2026-11-27" in message.get_content()
    assert "借阅" in message["Subject"]


def test_a_reminder_rolled_back_is_never_mailed(
    world, monday, smtp, django_capture_on_commit_callbacks
):
    _out_loan(world, due=datetime.date(2026, 11, 27))
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                loan_reminders_send(today=datetime.date(2026, 11, 26))
                raise RuntimeError("the run failed after the reminder")
        except RuntimeError:
            pass
    assert smtp.messages == []
    assert not world.staff.notifications.filter(key="loan_due_soon").exists()
