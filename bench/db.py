"""A scratch PostgreSQL database of the bench's own, made once."""

from __future__ import annotations


def ensure_database(server: str, name: str) -> None:
    """``name`` on ``server``, UTF-8 with the C.UTF-8 locale as in production."""
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    connection.close()
