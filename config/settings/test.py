"""Test settings: the base settings with a throwaway secret and temp stores."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ARCHIVE_FIELD_KEY", "test-only-field-key")

from .base import *  # noqa: F403
from .base import STORAGES

_TMP = tempfile.mkdtemp(prefix="archive-test-")
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(_TMP, "store")},
    },
    "backup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(_TMP, "backup")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests assert English messages unless they ask for another language.
LANGUAGE_CODE = "en"
STATIC_ROOT = os.path.join(_TMP, "static")
os.makedirs(STATIC_ROOT, exist_ok=True)
AXES_VERBOSE = False
