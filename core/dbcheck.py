"""The database must classify characters by UTF-8, or Chinese search breaks.

Under ``LC_CTYPE`` ``C`` PostgreSQL treats every byte above ASCII as a
non-letter: ``lower()``/``upper()`` and ``ILIKE`` ignore non-ASCII letters,
regular-expression classes miss Chinese, and pg_trgm makes no trigram of
Chinese at all. The server, the workers and ``manage.py check --database``
refuse such a database with a message that says how to make a right one.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _


def locale_problem(alias: str = "default") -> str | None:
    """What is wrong with the database's encoding or locale; None when right."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, pg_encoding_to_char(encoding), datctype "
            "FROM pg_database WHERE datname = current_database()"
        )
        name, encoding, ctype = cursor.fetchone()
    ctype_ok = "UTF8" in ctype.upper().replace("-", "")
    if encoding == "UTF8" and ctype_ok:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The database %(name)s has encoding %(encoding)s and character "
            "classification (LC_CTYPE) %(ctype)s: Chinese search and case "
            "folding do not work in it. Create the database with a UTF-8 locale, "
            "for example: CREATE DATABASE %(name)s TEMPLATE template0 ENCODING "
            "'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'; then migrate and "
            "restore the data into it."
        ) % {"name": name, "encoding": encoding, "ctype": ctype}


def require_utf8_database(alias: str = "default") -> None:
    """Stop the start of a server or worker on a database that breaks search."""
    problem = locale_problem(alias)
    # The check runs before a server forks its workers: none may inherit it.
    connections[alias].close()
    if problem:
        raise ImproperlyConfigured(problem)


@checks.register(checks.Tags.database)
def check_database_locale(app_configs=None, databases=None, **kwargs):
    return [
        checks.Error(locale_problem(alias), id="archives.E001")
        for alias in databases or []
        if locale_problem(alias)
    ]
