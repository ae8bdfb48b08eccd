"""A forgotten password reset by e-mail, for local accounts only (issue 21,
item 5): the mail leaves after the request, its link works once, and the
page says the same whether or not the address is known."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from tests.factories import UserFactory

NEW = "A-new-pass-for-2027"


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("accounts:password-reset"), {"email": email})


def test_a_local_account_chooses_a_new_password_through_the_mailed_link(
    db, django_capture_on_commit_callbacks
):
    person = UserFactory(username="wang", email="wang@example.com", role="cs_staff")
    client = Client()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password-reset") in login_page

    sent = _ask(client, "WANG@example.com", django_capture_on_commit_callbacks)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("accounts:password-reset-sent")
    [message] = mail.outbox
    assert message.to == ["wang@example.com"]
    assert "choose a new password" in message.subject
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-done")
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEntry.objects.filter(action="password_changed", actor=person).exists()
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "This link has been used already or is too old" in again


def test_unknown_directory_and_system_accounts_get_the_same_answer_and_no_mail(
    db, django_capture_on_commit_callbacks
):
    UserFactory(username="ldap", email="ldap@example.com", role="cs_staff")
    User.objects.filter(username="ldap").update(
        directory_dn="uid=ldap,ou=people,dc=example,dc=com", password="!"
    )
    UserFactory(username="crm", email="crm@example.com", role="cs_staff")
    User.objects.filter(username="crm").update(is_system=True)
    client = Client()
    for email in ("nobody@example.com", "ldap@example.com", "crm@example.com"):
        answer = _ask(client, email, django_capture_on_commit_callbacks)
        assert answer["Location"] == reverse("accounts:password-reset-sent")
    assert mail.outbox == []


def test_asking_again_and_again_sends_no_more_than_five(
    db, django_capture_on_commit_callbacks
):
    UserFactory(username="wang", email="wang@example.com", role="cs_staff")
    client = Client()
    for _ in range(8):
        _ask(client, "wang@example.com", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
