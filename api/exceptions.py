"""Refusals of the services, as the API's 400 and 404 answers."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ArchiveError


def exception_handler(exc, context):
    """A service's ValidationError keeps its fields; an ArchiveError is a 400
    with its message; a missing object is a 404 like any other."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ArchiveError):
        exc = exceptions.ValidationError({"detail": exc.message})
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
