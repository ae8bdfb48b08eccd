"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# Refuse to serve from a database whose locale breaks Chinese search.
from core.dbcheck import require_utf8_database  # noqa: E402

require_utf8_database()
