"""The Content-Security-Policy header (SPEC §13).

Scripts and style sheets come only from our own static files: no inline
script, no event-handler attribute, no CDN. Inline ``style`` attributes are
allowed (progress bars and charts set a width); they cannot run code.
The third-party API documentation pages get a wider policy by view
(``relaxed_csp``), because Swagger UI and Redoc write inline styles and one
inline script.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings

RELAXED = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


def relaxed_csp(view):
    """For a third-party page that cannot live without inline code."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        response.csp_policy = RELAXED
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(response, "csp_policy", settings.ARCHIVE_CSP)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
