"""A Celery worker whose file hashing (and, with SLOW_WORKER_ROW_DELAY, an
import's reading) is slowed down, so a test can kill it in the middle of a
check or an import. Only the fault tests start it."""

import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from retention.services import files  # noqa: E402
from retention.services import inspection  # noqa: E402

_original = files.sha256_of
DELAY = float(os.environ.get("SLOW_WORKER_DELAY", "1"))


def slow_sha256_of(storage, name):
    time.sleep(DELAY)
    return _original(storage, name)


inspection.sha256_of = slow_sha256_of

# An import's rows, one per SLOW_WORKER_ROW_DELAY seconds.
from reports.services import import_files  # noqa: E402

_read_rows = import_files.read_rows
ROW_DELAY = float(os.environ.get("SLOW_WORKER_ROW_DELAY", "0"))


def slow_read_rows(path):
    for row in _read_rows(path):
        time.sleep(ROW_DELAY)
        yield row


import_files.read_rows = slow_read_rows

from celery.__main__ import main  # noqa: E402

sys.argv = ["celery", *sys.argv[1:]]
sys.exit(main())
