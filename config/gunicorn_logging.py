"""gunicorn's access log with personal numbers masked (``audit.redact``).

gunicorn writes its access lines itself, outside Django's logging; its
request line, path, query string and referer are redacted here.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from audit.redact import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        values = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in values.items()
        }
