"""Optional Sentry (issue 21, item 4): with SENTRY_DSN an unhandled error
reaches the error tracker, with ID and phone numbers masked, through a real
HTTP ingestion endpoint the test serves on 127.0.0.1."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
import sentry_sdk

from config import errortracking


class Ingest(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Ingest.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tracker(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Ingest.received = []
    port = server.server_address[1]
    monkeypatch.setenv("SENTRY_DSN", f"http://publickey@127.0.0.1:{port}/1")
    yield Ingest.received
    sentry_sdk.get_client().close()
    server.shutdown()


def test_an_error_reaches_the_tracker_with_personal_numbers_masked(tracker):
    assert errortracking.init(release="1.4.0-test")
    try:
        raise ValueError("owner 110101199003074514 called 13812345678")
    except ValueError as error:
        sentry_sdk.capture_exception(error)
    sentry_sdk.flush(timeout=5)
    text = b"\n".join(tracker).decode()
    events = [json.loads(line) for line in text.splitlines() if '"exception"' in line]
    [event] = events
    value = event["exception"]["values"][0]["value"]
    assert "110***********4514" in value and "138****5678" in value
    assert event["release"] == "1.4.0-test"


def test_without_a_dsn_nothing_is_set_up(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert errortracking.init(release="x") is False
