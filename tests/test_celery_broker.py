"""The Celery app is configured from settings and reaches the real Redis."""

import os

import pytest


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_celery_reaches_the_redis_broker():
    from config.celery import app

    assert app.conf.broker_url == os.environ["REDIS_URL"]
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected
