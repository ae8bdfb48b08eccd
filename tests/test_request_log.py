"""Each request's id and user on its log lines, as JSON for a collector
(issue 21, item 4)."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from core.requestlog import RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The console handler of the production settings with ARCHIVE_LOG_JSON,
    on the request logger."""
    spec = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(spec.pop("()"))(**spec)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_a_log_line_names_its_request_and_user(client, staff, json_lines):
    client.force_login(staff)
    answer = client.get("/records/999999/", HTTP_X_REQUEST_ID="lb-4f2a")
    assert answer.status_code == 404
    assert answer["X-Request-ID"] == "lb-4f2a"
    line = json.loads(json_lines.getvalue().splitlines()[-1])
    assert line["request_id"] == "lb-4f2a"
    assert line["user"] == "zhang"
    assert line["levelname"] == "WARNING" and "/records/999999/" in line["message"]


def test_an_unsafe_request_id_is_replaced(client):
    answer = client.get("/healthz/", HTTP_X_REQUEST_ID="x" * 100 + "\n")
    assert len(answer["X-Request-ID"]) == 32  # a new one


def test_a_server_error_is_mailed_to_the_administrators(settings, mailoutbox):
    """ARCHIVE_ADMINS: Django's error mail, with personal numbers masked as
    in the logs (the handler of the production settings)."""
    import logging.config

    settings.ADMINS = [("运维", "ops@example.com")]
    settings.DEBUG = False
    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("django.request").error(
        "Internal Server Error: /catalogue/?q=13812345678"
    )
    [message] = mailoutbox  # once, by our handler (not Django's default too)
    assert message.to == ["ops@example.com"]
    assert "138****5678" in message.subject and "13812345678" not in message.body
