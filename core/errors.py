"""Errors a person can read; raised by services, shown by views."""

from django.core.exceptions import PermissionDenied


class ArchiveError(Exception):
    """A business rule refused the action; ``message`` is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(PermissionDenied):
    """The actor may see the object but not do this to it (a 403)."""
