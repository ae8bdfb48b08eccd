"""Test settings: the base settings with a throwaway secret and temp stores."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ARCHIVE_FIELD_KEY", "test-only-field-key")

from .base import *  # noqa: F403
from .base import ARCHIVE_S3_OPTIONS
from .base import DATABASES
from .base import file_stores

# A Celery worker started by a test shares this folder (stores, SQLite file).
_TMP = os.environ.get("ARCHIVE_TEST_DIR") or tempfile.mkdtemp(prefix="archive-test-")
os.environ["ARCHIVE_TEST_DIR"] = _TMP
# Each test process (pytest-xdist) has its own stores, as it has its own
# database: two processes accepting a record under the same number would
# otherwise file over each other's files.
_STORES = os.path.join(_TMP, os.environ.get("PYTEST_XDIST_WORKER", "main"))
# ARCHIVE_TEST_S3_ENDPOINT (set by .ci/run, which starts a local
# S3-compatible server): the file stores are a bucket of each test process's
# own (tests/conftest.py makes it), as production's would be an S3 bucket.
TEST_S3_ENDPOINT = os.environ.get("ARCHIVE_TEST_S3_ENDPOINT", "")
if TEST_S3_ENDPOINT:
    ARCHIVE_S3_OPTIONS.update(
        endpoint_url=TEST_S3_ENDPOINT,
        access_key="archive-test",
        secret_key="archive-test-secret",  # noqa: S106 - the local test server
        region_name="us-east-1",
    )
    TEST_S3_BUCKET = f"archive-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    _FILE_STORES = file_stores(Path(_STORES), TEST_S3_BUCKET)
else:
    _FILE_STORES = {
        alias: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": os.path.join(_STORES, folder)},
        }
        for alias, folder in {
            "default": "store",
            "backup": "backup",
            "quarantine": "quarantine",
            "exports": "exports",
            "imports": "imports",
            "uploads": "uploads",
        }.items()
    }
STORAGES = {
    **_FILE_STORES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests log people in directly; the second-factor tests turn it on.
ARCHIVE_2FA_ROLES: list[str] = []
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests assert English messages unless they ask for another language.
LANGUAGE_CODE = "en"
# The test server speaks plain HTTP.
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = os.path.join(_TMP, "static")
os.makedirs(STATIC_ROOT, exist_ok=True)
AXES_VERBOSE = False
# Views queue checks on commit; tests that want the real broker and worker
# say so (tests/retention/test_worker.py).
# A server or worker a test starts against its own Redis
# (ARCHIVE_TEST_LIVE_QUEUE=1, tests/security/test_redis_down.py) keeps the
# real queue and cache of the base settings.
LIVE_QUEUE = os.environ.get("ARCHIVE_TEST_LIVE_QUEUE") == "1"
CELERY_TASK_ALWAYS_EAGER = not LIVE_QUEUE
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a worker process can open the test database too.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_TMP, "test.sqlite3")}
if not LIVE_QUEUE:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "archive-kept",
        },
    }
# The suite and the schema fuzzing call far faster than a person; the
# throttling tests set their own rates.
ARCHIVE_API_RATES = {
    "token": "100000/min",
    "person": "100000/min",
    "export": "10000/min",
}

# The virus scanner of the tests: a clamd each test process starts with a
# signature database of its own (tests/clamd.py), which finds the EICAR test
# string. Set here so that pages and workers started by tests use it too.
ARCHIVE_CLAMD_SOCKET = os.path.join(
    _TMP, f"clamd-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sock"
)
# Long-term copies are made where a test asks for them (tests/archives/
# test_preservation.py): LibreOffice and Tesseract take seconds a file.
ARCHIVE_PRESERVE_ON_ACCEPT = False
ARCHIVE_SOFFICE_PROFILE = os.path.join(_TMP, "libreoffice")
ARCHIVE_PAGE_CACHE = os.path.join(_TMP, "page-cache")
