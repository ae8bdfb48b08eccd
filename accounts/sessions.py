"""A person's browser sessions: listed on their page, ended at their wish.

Django keeps the session itself; ``UserSession`` remembers, per session, who
it belongs to, from where, and when it was last used, which the session
store cannot answer without reading every session.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import UserSession
from audit import services as audit
from core.addresses import client_address

TOUCH_EVERY = 60  # seconds
SEEN_KEY = "_seen"


def _store_class():
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def session_started(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SEEN_KEY] = int(time.time())
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "last_seen": timezone.now(),
        },
    )


@receiver(user_logged_out, dispatch_uid="accounts_session_ended")
def session_logged_out(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def session_touch(request) -> None:
    """Note that the session is in use, at most once a minute.

    Changing the session makes Django save it with a fresh expiry, so a
    session ends ``SESSION_COOKIE_AGE`` after its last use, give or take that
    minute.
    """
    now = int(time.time())
    if now - request.session.get(SEEN_KEY, 0) < TOUCH_EVERY:
        return
    request.session[SEEN_KEY] = now
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key, user=request.user).update(
            last_seen=timezone.now()
        )


def sessions_of(user) -> QuerySet[UserSession]:
    """The person's sessions that are still alive in the session store."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=alive)


def session_end(*, actor, user_session: UserSession) -> None:
    """Log that browser out: its session is deleted from the store."""
    _store_class()(session_key=user_session.session_key).delete()
    audit.log(
        audit.Action.SESSION_ENDED,
        actor=actor,
        target=user_session,
        address=user_session.ip,
    )
    user_session.delete()


def sessions_end_others(*, actor, keep_key: str | None) -> int:
    others = UserSession.objects.filter(user=actor).exclude(session_key=keep_key)
    ended = 0
    for user_session in others:
        session_end(actor=actor, user_session=user_session)
        ended += 1
    return ended
