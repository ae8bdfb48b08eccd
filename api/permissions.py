"""What a token's scope lets it do (issue 18, item 2): a system that files
records holds a token that can do nothing else, whatever its account could."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS
from rest_framework.permissions import BasePermission

from accounts.models import ApiToken

# (view basename, action) a filing token may use.
FILING = {
    ("record", "create"),
    ("record", "submit"),
    ("upload", "create"),
    ("upload", "update"),
    ("upload", "retrieve"),
    ("category", "list"),
    ("category", "retrieve"),
    # A caller the filing system does not know yet, by its code.
    ("customer", "retrieve"),
    ("customer", "create"),
}


class TokenScope(BasePermission):
    message = _("This token's scope does not allow this call.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or token.scope == ApiToken.Scope.ALL:
            return True
        if token.scope == ApiToken.Scope.READ:
            return request.method in SAFE_METHODS
        return (getattr(view, "basename", ""), getattr(view, "action", "")) in FILING
