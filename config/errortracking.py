"""Optional error tracking with Sentry (or a Sentry-compatible service such
as GlitchTip), from the environment: ``SENTRY_DSN`` turns it on. No user
data is sent (sentry-sdk's default), and messages pass through the same
redaction as the logs (issue 21, item 4). It lives in config, the top layer,
because it reaches into audit's redaction."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from audit.redact import redact


def _scrub(event, _hint):
    for entry in (event.get("logentry") or {},):
        if entry.get("message"):
            entry["message"] = redact(entry["message"])
        if entry.get("formatted"):
            entry["formatted"] = redact(entry["formatted"])
    for value in (event.get("exception") or {}).get("values", []):
        if value.get("value"):
            value["value"] = redact(value["value"])
    return event


def init(release: str) -> bool:
    dsn = os.environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: "
            "pip install sentry-sdk, or unset SENTRY_DSN."
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        before_send=_scrub,
    )
    return True
