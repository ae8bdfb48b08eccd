"""The Celery application; tasks are found in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _require_utf8_database(**kwargs):
    """A worker refuses a database whose locale breaks Chinese search."""
    from archives.dbcheck import require_utf8_database

    require_utf8_database()
