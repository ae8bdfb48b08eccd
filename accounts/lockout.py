"""Failed logins (django-axes), counted so that one office is never locked
out by one person's typing.

A user name is locked at one address after ``ARCHIVE_LOGIN_FAILURE_LIMIT``
failures (5): made-up names from a shared address lock nobody else. Against
credential stuffing, an address is locked for every name after the higher
``ARCHIVE_LOGIN_ADDRESS_FAILURE_LIMIT`` (50) within the lockout period. The
address is the client's (``core.addresses``), not the proxy's.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def address_failures(request, ip_address: str | None) -> int:
    """Failed logins from one address within the lockout period, all names."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def _address_locked(request) -> bool:
    limit = settings.ARCHIVE_LOGIN_ADDRESS_FAILURE_LIMIT
    if not limit or request is None:
        return False
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(
        request
    )
    return address_failures(request, address) >= limit


class ArchiveAxesHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """A failure at an address past its limit shows the lockout page
        (and is logged as a lockout), not "wrong password"."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if _address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
