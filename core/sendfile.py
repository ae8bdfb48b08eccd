"""Big files leave through the web server, not through a Python worker
(issue 21, item 1).

The view checks who may have the file, audits it, and then, when
``ARCHIVE_X_ACCEL_REDIRECT`` names nginx's internal prefix (for example
``/_files/``), answers with an empty body and ``X-Accel-Redirect:
/_files/<store>/<name>``: nginx sends the bytes (and answers Range requests
itself), so an hour-long recording never holds a gunicorn worker. The nginx
site in ``deploy/nginx/`` maps ``/_files/<store>/`` to each store's folder as
an ``internal`` location, so nobody can ask nginx for those paths directly.
Without the setting, or for a store that is not a local folder, the worker
streams the file itself.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.storage import Storage
from django.core.files.storage import storages
from django.http import FileResponse
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

# Stores whose files are served through the web server; never "quarantine".
SERVED_STORES = ("default", "backup", "exports")


def accel_path(storage: Storage, name: str) -> str | None:
    """nginx's internal path of ``name`` in ``storage``, or None when the
    web server cannot send it (no prefix set, or not a local folder)."""
    prefix = getattr(settings, "ARCHIVE_X_ACCEL_REDIRECT", "")
    if not prefix or not isinstance(storage, FileSystemStorage):
        return None
    for alias in SERVED_STORES:
        candidate = storages[alias]
        if isinstance(candidate, FileSystemStorage) and (
            candidate.location == storage.location
        ):
            return f"/{prefix.strip('/')}/{alias}/{quote(name)}"
    return None


def file_response(
    storage: Storage,
    name: str,
    *,
    content_type: str,
    as_attachment: bool = False,
    filename: str | None = None,
) -> HttpResponseBase:
    """The file ``name`` of ``storage`` as the answer to a checked request."""
    path = accel_path(storage, name)
    if path is None:
        return FileResponse(
            storage.open(name, "rb"),  # FileResponse closes it
            as_attachment=as_attachment,
            filename=filename or "",
            content_type=content_type,
        )
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = path
    disposition = content_disposition_header(as_attachment, filename or "")
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def read_range(storage: Storage, name: str, start: int, length: int) -> bytes:
    """``length`` bytes of the stored file from ``start``: from an S3 bucket
    with a ranged GET (the object is not fetched whole for a seek into an
    hour-long recording), from a folder by seeking."""
    bucket = getattr(storage, "bucket", None)
    normalise = getattr(storage, "_normalize_name", None)
    if bucket is not None and normalise is not None:
        from storages.utils import clean_name

        key = normalise(clean_name(name))
        answer = bucket.Object(key).get(Range=f"bytes={start}-{start + length - 1}")
        return answer["Body"].read()
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        return handle.read(length)
