"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from audit import services
from audit.models import AuditEntry

Action = AuditEntry.Action


def _origin(request):
    return services.origin_of(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    services.log(Action.LOGIN, actor=user, origin=_origin(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        services.log(Action.LOGOUT, actor=user, origin=_origin(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    services.log(
        Action.LOGIN_FAILED,
        outcome=AuditEntry.Outcome.FAILED,
        actor_name=str(credentials.get("username", ""))[:150],
        origin=_origin(request),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    services.log(
        Action.LOCKED_OUT,
        outcome=AuditEntry.Outcome.DENIED,
        actor_name=str(username or "")[:150],
        origin=_origin(request),
    )
