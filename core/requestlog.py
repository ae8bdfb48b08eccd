"""Which request a log line belongs to (issue 21): every request gets an id
(the proxy's ``X-Request-ID`` when it sends a sane one, else a new one),
echoed in the answer's ``X-Request-ID``; every line logged while it runs
carries ``request_id`` and ``user``. With ``ARCHIVE_LOG_JSON`` the lines are
JSON (python-json-logger) for a log collector."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_user: contextvars.ContextVar[str] = contextvars.ContextVar("user", default="-")
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the request is finished (``_forget``): Django logs a
        # 4xx or 5xx answer after the middleware has returned it.
        _request_id.set(request_id)
        _user.set("-")
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # By now authentication has run (the view's decorators need it).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _user.set(user.get_username())


@receiver(request_finished, dispatch_uid="core-requestlog-forget")
def _forget(sender, **kwargs) -> None:
    _request_id.set("-")
    _user.set("-")


class RequestContextFilter(logging.Filter):
    """Puts the request's id and user on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.user = _user.get()
        return True
