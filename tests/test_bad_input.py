"""Bad input everywhere: every form and API endpoint, with what a careless user
or a curious colleague sends (SPEC §13).

Every field any form of the application has gets over-long text, markup,
the wrong type, impossible dates, unknown ids, negative numbers and NUL
characters, posted to every POST page as a person allowed to use it. None may
answer 500, and a refused write leaves the database as it was. The same
pages without a CSRF token are refused and change nothing, and a form sent
twice with the same token is acted on once.
"""

import csv
import hashlib
import io
import subprocess

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from archives.models import ArchiveRecord
from archives.services.records import record_accept
from archives.services.records import records_submit
from lending.services.requests import access_request_create
from tests.factories import RecordFactory
from tests.factories import api_key

HOSTILE = {
    "over-long": "长" * 5000,
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "wrong type": "not-a-number",
    "impossible date": "2026-02-30",
    "far date": "9999-12-31",
    "unknown id": "99999999",
    "negative": "-1",
    "NUL": "bad\x00value",
}
# Rows that a refused request may still write: the log of the refusal itself,
# the session, the login-failure counters.
NOT_DATA = {
    "audit.auditentry",
    "sessions.session",
    "accounts.usersession",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # A token's last use is noted as it is used.
    "accounts.apitoken",
}
# Pages that end the session or switch the language: no data to protect.
NOT_WRITES = {"accounts:logout", "set_language"}


def _all_forms(base=forms.BaseForm):
    for cls in base.__subclasses__():
        yield cls
        yield from _all_forms(cls)


OUR_APPS = {"accounts", "archives", "lending", "retention", "reports", "audit"}
# Values aimed at one kind of field, sent to the fields of that kind alone so
# that no other field's error hides them.
BY_KIND = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30"],
    "number": ["-1", "99999999999999999999", "1e309"],
    "choice": ["99999999", "<b>x</b>"],
    "text": [HOSTILE["over-long"], HOSTILE["markup"], HOSTILE["NUL"]],
}


def _kind(field) -> str:
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return "date"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    return "text"


def _fields() -> dict[str, str]:
    """Every field name of the application's forms, with its kind."""
    found = {}
    for form in _all_forms():
        if form.__module__.split(".")[0] not in OUR_APPS:
            continue
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.FileField | forms.BooleanField):
                found.setdefault(name, _kind(field))
    return found


def _field_names() -> set[str]:
    return set(_fields())


def _payloads():
    """(label, data): every field at once, then each kind on its own."""
    names = _fields()
    for label, value in HOSTILE.items():
        yield label, dict.fromkeys(names, value)
    for kind, values in BY_KIND.items():
        chosen = [n for n, k in names.items() if k == kind]
        for value in values:
            yield f"{kind} fields {value[:12]!r}", dict.fromkeys(chosen, value)


def _state() -> str:
    """A digest of every row that is data (not logs of the request itself)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA or model._meta.proxy:
            continue
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _refusals_that_changed_data(client, name, url, *, per_request: bool) -> list:
    """Post every payload; which refused ones changed data (or answered 500).

    Fast path: the state before and after all of them. A page that accepted
    one (302) is checked again request by request.
    """
    problems = []
    accepted = False
    state = _state()
    start = state
    for label, data in _payloads():
        response = client.post(url, data)
        if response.status_code >= 500:
            problems.append(f"{name} with {label}: {response.status_code}")
        accepted = accepted or response.status_code == 302
        if per_request:
            now = _state()
            if response.status_code != 302 and now != state:
                problems.append(f"{name} with {label}: refused but data changed")
            state = now
    if not per_request and not accepted and _state() != start:
        problems.append(f"{name}: every payload refused, but data changed")
    return problems, accepted


@pytest.mark.parametrize("label", list(HOSTILE))
def test_hostile_json_to_every_api_write(world, label):
    value = HOSTILE[label]
    draft = RecordFactory(created_by=world.staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.archivist)}")
    bodies = {
        "/api/v1/records/": {
            "category": value,
            "title": value,
            "customer": value,
            "date_formed": value,
            "page_count": value,
            "subcodes": value,
        },
        "/api/v1/customers/": {"code": value, "name": value, "department": value},
        "/api/v1/requests/": {
            "kind": value,
            "numbers": value,
            "purpose": value,
            "starts_at": value,
        },
        f"/api/v1/records/{draft.pk}/submit/": {"anything": value},
        "/api/v1/records/99999999/submit/": {},
    }
    for path, body in bodies.items():
        before = _state()
        response = api.post(path, body, format="json")
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert _state() == before, path
        assert isinstance(response.json(), dict)  # a message, not a page


def test_a_form_sent_twice_is_acted_on_once(client, world):
    client.force_login(world.staff)
    record = RecordFactory(created_by=world.staff)
    payload = {"record": [record.pk], "_once": "3f1c-token"}
    first = client.post(reverse("archives:records-submit"), payload)
    assert first.status_code == 302
    record.refresh_from_db()
    assert record.status == ArchiveRecord.Status.SUBMITTED
    second = client.post(reverse("archives:records-submit"), payload, follow=True)
    assert "already sent; nothing was done twice" in second.content.decode()


def test_markup_in_text_is_shown_as_text_in_pages_exports_and_pdfs(
    client, world, tmp_path, window
):
    markup = HOSTILE["markup"]
    record = RecordFactory(created_by=world.staff, title=markup)
    records_submit(actor=world.staff, records=[record])
    record = record_accept(actor=world.archivist, record=record, box=world.own.box)
    request = access_request_create(
        requester=world.staff,
        kind="viewing",
        numbers=record.number,
        purpose=markup,
        starts_at=window[0],
        ends_at=window[1],
    )
    client.force_login(world.archivist)
    for url in (
        reverse("archives:catalogue"),
        record.get_absolute_url(),
        request.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert" in html, url
    exported = client.get(reverse("reports:export", args=["catalogue", "csv"]))
    rows = csv.reader(
        io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))
    )
    assert markup in {cell for row in rows for cell in row}
    pdf = client.get(reverse("lending:request-pdf", args=[request.pk]))
    assert pdf.status_code == 200
    path = tmp_path / "request.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert" in "".join(text.split())  # printed as the text it is


def test_a_nul_character_is_refused_with_a_message(client, world):
    client.force_login(world.archivist)
    for response in (
        client.get(reverse("archives:catalogue"), {"q": "a\x00b"}),
        client.post(reverse("archives:records-submit"), {"record": "1\x00"}),
    ):
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()
