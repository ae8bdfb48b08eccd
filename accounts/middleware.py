"""Per-request rules: a privileged role gives its second factor first, a
password past its age is changed first, the session
is noted as in use (the active-sessions page), a form sent twice is acted on
once, and a NUL character never reaches a view."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseBadRequest
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.sessions import session_touch
from accounts.twofactor import needs_second_factor
from core.badges import badges_forget

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Pages an expired password still reaches: changing it, leaving, the language.
OPEN_VIEWS = {
    "accounts:password-change",
    "accounts:password-changed",
    "accounts:logout",
    "set_language",
}
# Pages a person of a privileged role reaches before their second factor.
BEFORE_SECOND_FACTOR = {"accounts:second-factor", "accounts:logout", "set_language"}


class AccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user and user.is_authenticated:
            # What the person just did may change their own badges.
            badges_forget(user.pk)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        session_touch(request)
        match = request.resolver_match
        if (
            settings.ARCHIVE_2FA_ROLES
            and match.view_name not in BEFORE_SECOND_FACTOR
            and not user.is_verified()
            and needs_second_factor(user)
        ):
            wanted = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:second-factor')}?{wanted}")
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


ONCE_FIELD = "_once"
ONCE_SECONDS = 3600


class DuplicateSubmissionMiddleware:
    """A form sent twice (a double click, a reload) is acted on once.

    ``static/js/archive.js`` gives every POST form a random token when the
    page loads; the first request with a token claims it in the shared cache,
    and a second one with the same token changes nothing and says so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        token = request.POST.get(ONCE_FIELD, "")
        if not token or len(token) > 64:
            return None
        owner = request.user.pk if request.user.is_authenticated else "-"
        if cache.add(f"once:{owner}:{token}", 1, ONCE_SECONDS):
            return None
        messages.warning(
            request, _("This form was already sent; nothing was done twice.")
        )
        target = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = reverse("archives:home")
        return redirect(target)


class RefuseNulMiddleware:
    """A NUL character in a query or a form is refused before any view runs.

    No text of the archive may hold one, and PostgreSQL refuses it in a
    query; without this a search for "a\\x00b" would be a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = self._with_nul(request.GET) + self._in_form(request)
        if not fields:
            return self.get_response(request)
        message = _("The request holds a NUL character, which no text may contain.")
        if request.path.startswith("/api/"):
            # As the API answers any invalid field: its name and the reason.
            return JsonResponse({name: [message] for name in fields}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _with_nul(data) -> list[str]:
        return [
            key.replace("\x00", "")
            for key, values in data.lists()
            if "\x00" in key or any("\x00" in v for v in values)
        ]

    @classmethod
    def _in_form(cls, request) -> list[str]:
        if request.method != "POST" or not request.content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            return []
        return cls._with_nul(request.POST)


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser or a proxy.

    Record pages, files, PDFs, exports and API answers carry personal and
    confidential data; a shared computer's cache or a proxy must not keep a
    copy (``Cache-Control: no-store``). Static files are served before this
    by WhiteNoise with their own long-lived headers; a view that sets its
    own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
