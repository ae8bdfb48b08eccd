"""What the audit log learns from the request and its response.

Each request's address and page are made known to ``audit.services.log``.
Then, from the response, whatever no view has to remember to log:
- a refusal (403) is a denied attempt;
- a PDF is a print;
- a file sent as an attachment is a download, or an export for a table;
- a successful change in the admin (POST answered by a redirect) is a
  setting change.
A view names the object concerned with ``request.audit_target``.
"""

from __future__ import annotations

from audit import services
from audit.models import AuditEntry

Action = AuditEntry.Action
EXPORT_TYPES = (
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml",
)
# Admin pages that change nothing of the archive's configuration.
ADMIN_NOT_SETTINGS = {"admin:login", "admin:logout", "admin:password_change"}


def _action_for(request, response) -> tuple[str, str] | None:
    """(action, outcome) the response shows, or None for an ordinary page."""
    if response.status_code == 403:
        return Action.DENIED, AuditEntry.Outcome.DENIED
    match = request.resolver_match
    view_name = match.view_name if match else ""
    if (
        request.method == "POST"
        and response.status_code == 302
        and view_name.startswith("admin:")
        and view_name not in ADMIN_NOT_SETTINGS
    ):
        return Action.SETTING_CHANGED, AuditEntry.Outcome.OK
    if response.status_code != 200:
        return None
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        return Action.PRINTED, AuditEntry.Outcome.OK
    if "attachment" in response.get("Content-Disposition", ""):
        if content_type.startswith(EXPORT_TYPES):
            return Action.EXPORTED, AuditEntry.Outcome.OK
        return Action.FILE_DOWNLOADED, AuditEntry.Outcome.OK
    return None


def _admin_target(request) -> dict:
    """The model and object an admin page is about, from its URL name."""
    match = request.resolver_match
    parts = match.url_name.rsplit("_", 1)[0].split("_", 1) if match.url_name else []
    details = {"model": ".".join(parts)} if len(parts) == 2 else {}
    if "object_id" in match.kwargs:
        details["object_id"] = str(match.kwargs["object_id"])[:40]
    return details


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.set_origin(services.origin_of(request))
        try:
            response = self.get_response(request)
            found = _action_for(request, response)
            if found is not None and not (
                found[0] == Action.SETTING_CHANGED
                and getattr(request, "_admin_audited", False)
            ):
                self._log(request, response, *found)
            return response
        finally:
            services.reset_origin(token)

    def _log(self, request, response, action: str, outcome: str) -> None:
        match = request.resolver_match
        details = {"view": match.view_name if match else "", "method": request.method}
        if action == Action.SETTING_CHANGED:
            details.update(_admin_target(request))
        elif action in (Action.EXPORTED, Action.FILE_DOWNLOADED, Action.PRINTED):
            details["file"] = _filename(response)
        services.log(
            action,
            actor=request.user,
            target=getattr(request, "audit_target", None),
            outcome=outcome,
            **details,
        )


def _filename(response) -> str:
    disposition = response.get("Content-Disposition", "")
    _, _, name = disposition.partition("filename=")
    return name.strip('"')[:200]
