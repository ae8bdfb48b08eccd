"""A database whose locale breaks Chinese search is refused at start."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's locale"
)


@pytest.fixture
def c_locale_database():
    import psycopg2

    settings = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    server.autocommit = True
    name = f"archive_c_{uuid.uuid4().hex[:8]}"
    with server.cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    user = settings["USER"]
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    yield name, f"postgres://{user}@{host}:{port}/{name}"
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")
    server.close()


def _start(database_url: str, code: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "x" * 50,
        "ARCHIVE_FIELD_KEY": "k",
        "DJANGO_DEBUG": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_refuses_a_c_locale_database_and_says_how_to_make_one(
    c_locale_database,
):
    name, url = c_locale_database
    started = _start(url, "import config.wsgi")
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert f"数据库 {name}" in started.stderr
    assert "LC_CTYPE" in started.stderr and "C.UTF-8" in started.stderr


def test_check_database_names_the_locale(c_locale_database):
    _name, url = c_locale_database
    checked = _start(
        url,
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', databases=['default'])",
    )
    assert checked.returncode != 0
    assert "archives.E001" in checked.stderr


@pytest.mark.django_db
def test_the_server_starts_on_a_utf8_database():
    settings = connection.settings_dict
    user = settings["USER"]
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    started = _start(
        f"postgres://{user}@{host}:{port}/{settings['NAME']}", "import config.wsgi"
    )
    assert started.returncode == 0, started.stderr
