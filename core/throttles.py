"""How fast one token and one person may call the API, and export.

Rates come from ``ARCHIVE_API_RATES`` (``"600/min"`` style, read on every
request so that an operator's change needs no code): per token, per person
(over all their tokens and their browser), and per person for exports.
Counts live in the shared cache, so every server process counts together.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return settings.ARCHIVE_API_RATES.get(self.scope)


class TokenThrottle(_SettingsRate):
    """Calls made with one token."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        ident = getattr(token, "pk", None) or str(token)
        digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class PersonThrottle(_SettingsRate):
    """Calls made by one person, whichever token or session; an anonymous
    caller is counted by address."""

    scope = "person"

    def get_cache_key(self, request, view) -> str:
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ExportThrottle(PersonThrottle):
    """Exports (CSV, Excel) one person starts, in pages and the API."""

    scope = "export"


def export_allowed(request) -> bool:
    """Whether this person may start one more export now (and count it)."""
    return ExportThrottle().allow_request(request, None)
