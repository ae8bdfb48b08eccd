"""Password age, idle sessions, the active-sessions page, separation of duties."""

import datetime

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry

PASSWORD = "Archive-pass-2026"


def _login(username, address="10.0.0.1", agent="TestBrowser/1.0") -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_an_old_password_must_be_changed_before_anything_else(world, settings):
    settings.ARCHIVE_PASSWORD_MAX_AGE_DAYS = 90
    client = _login("zhang")
    assert client.get(reverse("archives:catalogue")).status_code == 200
    later = timezone.now() + datetime.timedelta(days=91)
    with time_machine.travel(later):
        client = _login("zhang")
        response = client.get(reverse("archives:catalogue"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("accounts:password-change")
        assert "more than 90 days old" in response.content.decode()
        response = client.post(
            reverse("accounts:password-change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Fresh-pass-2027",
                "new_password2": "Fresh-pass-2027",
            },
        )
        assert response.status_code == 302
        assert client.get(reverse("archives:catalogue")).status_code == 200
    assert AuditEntry.objects.filter(action="password_changed").count() == 1


def test_weak_passwords_are_refused_with_the_reason(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "abcdefghijk",
            "new_password2": "abcdefghijk",
        },
    )
    assert response.status_code == 200
    assert "must contain letters and digits or symbols" in response.content.decode()


def test_a_session_ends_after_inactivity(world, settings):
    client = _login("zhang")
    assert client.get(reverse("archives:catalogue")).status_code == 200
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(timezone.now() + idle):
        response = client.get(reverse("archives:catalogue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_active_sessions_page_lists_and_ends_other_browsers(world):
    office = _login("zhang", "10.0.0.1", "OfficePC")
    laptop = _login("zhang", "10.0.0.2", "Laptop")
    page = office.get(reverse("accounts:sessions"))
    text = page.content.decode()
    assert "OfficePC" in text and "Laptop" in text and "10.0.0.2" in text
    laptop_session = next(
        s for s in page.context["sessions"] if s.user_agent == "Laptop"
    )
    office.post(reverse("accounts:sessions"), {"session": laptop_session.pk})
    assert laptop.get(reverse("archives:catalogue")).status_code == 302  # logged out
    assert office.get(reverse("archives:catalogue")).status_code == 200
    ended = AuditEntry.objects.get(action="session_ended")
    assert ended.details["address"] == "10.0.0.2"


def test_nobody_ends_another_persons_session(world):
    mine = _login("zhang")
    theirs = _login("li")
    other = theirs.get(reverse("accounts:sessions")).context["sessions"][0]
    response = mine.post(
        reverse("accounts:sessions"), {"session": other.pk}, follow=True
    )
    assert "already ended" in response.content.decode()
    assert theirs.get(reverse("archives:catalogue")).status_code == 200


def test_changing_the_password_logs_other_browsers_out(world):
    first = _login("zhang")
    second = _login("zhang")
    first.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-pass-2027",
            "new_password2": "Fresh-pass-2027",
        },
    )
    assert second.get(reverse("archives:catalogue")).status_code == 302
    assert first.get(reverse("archives:catalogue")).status_code == 200
