"""A forgotten password, reset by e-mail, for local accounts only (issue 21,
item 5). A person of the directory changes their password in the directory;
a system has none. An account made by the people import gets the same link
as its invitation. The answer on the page is the same whether or not the
address is known, so nobody learns who has an account. The mail is written
and sent by the worker after the request's transaction commits; the link's
token is made there too, so it never waits in the queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core import ratelimit
from core.queue import enqueue_on_commit

# Asks per address and per e-mail address in an hour.
ASKS_PER_HOUR = 5


def resettable(email: str):
    """Local, active people with this address (those the directory made
    change their password there; a system has none)."""
    return list(
        User.objects.filter(
            email__iexact=email.strip(),
            is_active=True,
            is_system=False,
            directory_dn="",
        )
    )


def invite(*, person: User, base_url: str) -> None:
    """A new account's mail to choose its password (after the commit)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    enqueue_on_commit(
        "accounts.tasks.password_reset_mail", person.pk, base_url, language, True
    )


def reset_request(*, email: str, base_url: str, address: str | None) -> None:
    """Queue a reset mail to each local account of ``email`` (none: nothing)."""
    if not ratelimit.allow(
        f"password-reset:{address}", limit=ASKS_PER_HOUR, seconds=3600
    ) or not ratelimit.allow(
        f"password-reset:{email.strip().lower()}", limit=ASKS_PER_HOUR, seconds=3600
    ):
        return  # the same answer: nobody learns whether it was sent
    language = translation.get_language() or settings.LANGUAGE_CODE
    for person in resettable(email):
        enqueue_on_commit(
            "accounts.tasks.password_reset_mail", person.pk, base_url, language
        )


def reset_mail_send(
    *, user_id: int, base_url: str, language: str, invited: bool = False
) -> bool:
    person = User.objects.filter(pk=user_id).first()
    if person is None or not resettable(person.email):
        return False
    link = base_url.rstrip("/") + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    context = {
        "person": person,
        "link": link,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "invited": invited,
    }
    with translation.override(language):
        subject = render_to_string("accounts/password_reset_subject.txt", context)
        body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[person.email],
    )
    return True
