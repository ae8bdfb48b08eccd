"""Per-request account rules: a password past its age must be changed first,
and the person's session is noted as in use (for the active-sessions page)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.sessions import session_touch

# Pages an expired password still reaches: changing it, leaving, the language.
OPEN_VIEWS = {
    "accounts:password-change",
    "accounts:password-changed",
    "accounts:logout",
    "set_language",
}


class AccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        session_touch(request)
        match = request.resolver_match
        if user.password_expired and match.view_name not in OPEN_VIEWS:
            messages.warning(
                request,
                _(
                    "Your password is more than %(days)s days old. "
                    "Choose a new one to continue."
                )
                % {"days": settings.ARCHIVE_PASSWORD_MAX_AGE_DAYS},
            )
            return redirect(reverse("accounts:password-change"))
        return None
