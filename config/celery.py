"""``celery -A config``: the application is core's (``core.celery``)."""

from core.celery import app
from core.celery import limit_memory

__all__ = ["app", "limit_memory"]
