"""API tokens: made by their owner, kept as a hash, ended in every way a
token should end (security issue, item 8)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.permissions import REVOKE_ANY
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed

# A token's last use is written at most this often (not on every call).
LAST_USED_EVERY = datetime.timedelta(minutes=10)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor, name: str, days: int | None = None, scope: str = ApiToken.Scope.ALL
):
    """Make a token for the actor themself; returns (token, key).

    The key is returned once and never kept.
    """
    name = (name or "").strip()
    if scope not in ApiToken.Scope.values:
        raise ArchiveError(_("Choose what the token may do."))
    if not name:
        raise ArchiveError(_("Name the token (the system or use it is for)."))
    longest = settings.ARCHIVE_API_TOKEN_MAX_DAYS
    days = days or longest
    if not 1 <= days <= longest:
        raise ArchiveError(
            _("A token lasts from 1 to %(days)d days.") % {"days": longest}
        )
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=key[:8],
        key_hash=key_hash(key),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    audit.log(
        audit.Action.TOKEN_CHANGED,
        actor=actor,
        target=actor,
        change="created",
        token=token.prefix,
        name=token.name,
        scope=token.scope,
        expires=token.expires_at.isoformat(),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """End a token: its owner may, and whoever may revoke any token."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.user_id != actor.pk and not actor.has_perm(REVOKE_ANY):
        raise NotAllowed(_("Only its owner or the security administrator may."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.log(
            audit.Action.TOKEN_CHANGED,
            actor=actor,
            target=token.user,
            change="revoked",
            token=token.prefix,
            name=token.name,
        )
    return token


def api_tokens_end(*, user, actor, reason: str) -> int:
    """Revoke every live token of a person (deactivation)."""
    now = timezone.now()
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in live:
        token.revoked_at, token.revoked_by = now, actor
    ApiToken.objects.bulk_update(live, ["revoked_at", "revoked_by"])
    if live:
        audit.log(
            audit.Action.TOKEN_CHANGED,
            actor=actor,
            target=user,
            change="revoked",
            reason=reason,
            tokens=[t.prefix for t in live],
        )
    return len(live)


class HashedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's hash."""

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user").get(key_hash=key_hash(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        now = timezone.now()
        ended = token.ended_because(now)
        if ended:
            raise exceptions.AuthenticationFailed(
                _("This token no longer works (%(why)s).") % {"why": ended}
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
