"""A requester learns nothing about a record they may not see (security
issue, item 1): not from the request page, its PDF, the API, an error
message or the approval chain, until the request is approved. And no page,
PDF or export names a record to someone who may not see it."""

import csv
import io
import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from archives.models import ArchiveRecord
from archives.selectors import record_visibility_q
from archives.services.records import record_accept
from archives.services.records import records_submit
from lending.models import AccessRequest
from lending.services.approvals import step_decide
from tests.factories import RecordFactory
from tests.lending.test_permission_matrix import objects  # noqa: F401 - a fixture
from tests.test_url_matrix import more_objects  # noqa: F401 - a fixture
from tests.test_url_matrix import retention_objects  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
Level = ArchiveRecord.Confidentiality


def document_text(response) -> str:
    """The text a person reads in a page, a PDF, a CSV, an Excel file or JSON."""
    content_type = response.get("Content-Type", "")
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if content_type.startswith("application/pdf"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            Path(handle.name).write_bytes(body)
            return subprocess.run(
                ["pdftotext", handle.name, "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith("text/csv"):
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return "\n".join(",".join(row) for row in rows)
    if content_type.startswith("application/json"):
        return json.dumps(json.loads(body or b"null"), ensure_ascii=False)
    return body.decode("utf-8", "replace")


def _hidden_confidential(world):
    record = RecordFactory(
        created_by=world.cs2_supervisor,
        source_department=world.cs2,
        title="并购谈判客户名单",
        confidentiality=Level.SECRET,
    )
    records_submit(actor=world.cs2_supervisor, records=[record])
    return record_accept(actor=world.archivist, record=record, box=world.own.box)


def _file(client, numbers: str, window) -> tuple[int, str]:
    response = client.post(
        reverse("lending:request-create", args=["viewing"]),
        {
            "numbers": numbers,
            "purpose": "核对",
            "starts_at": timezone.localtime(window[0]).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(window[1]).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    return response.status_code, response.content.decode()


def _as_seen_by_requester(client, access_request) -> dict[str, str]:
    api = APIClient()
    api.force_authenticate(access_request.requester)
    pages = {
        "page": client.get(access_request.get_absolute_url()),
        "pdf": client.get(reverse("lending:request-pdf", args=[access_request.pk])),
        "api": api.get(f"/api/v1/requests/{access_request.pk}/"),
    }
    texts = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = document_text(response)
        # What differs between two requests by design: number and reference.
        text = text.replace(access_request.reference, "REF")
        for number in access_request.asked_numbers:
            text = text.replace(number, "NUMBER")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
        text = re.sub(r"/requests/\d+/", "/requests/PK/", text)
        texts[name] = re.sub(r'"id": \d+', '"id": ID', text)
    return texts


@time_machine.travel("2026-12-01 10:00 +0800", tick=False)
def test_missing_and_hidden_numbers_get_the_same_answer_everywhere(
    client, world, window
):
    """A person who sees no record asks for a number that does not exist, a
    secret record, a record out on loan and a draft: each request is taken
    alike, and its page, PDF, list and API read the same, word for word."""
    secret = _hidden_confidential(world)
    lost = RecordFactory(created_by=world.cs2_supervisor, title="已遗失档案标题")
    records_submit(actor=world.cs2_supervisor, records=[lost])
    lost = record_accept(actor=world.archivist, record=lost, box=world.own.box)
    ArchiveRecord.objects.filter(pk=lost.pk).update(status=ArchiveRecord.Status.LOST)
    client.force_login(world.finance_clerk)
    asked = {
        "missing": "GT20230101777",
        "secret": secret.number,
        "internal": world.cs2_record.number,
        "lost": lost.number,
    }
    seen = {}
    for name, number in asked.items():
        status, body = _file(client, number, window)
        assert status == 302, (name, body)
        access_request = AccessRequest.objects.latest("pk")
        seen[name] = _as_seen_by_requester(client, access_request)
    import difflib

    for name in ("secret", "internal", "lost"):
        for part in seen["missing"]:
            diff = list(
                difflib.unified_diff(
                    seen["missing"][part].splitlines(),
                    seen[name][part].splitlines(),
                    lineterm="",
                    n=0,
                )
            )
            assert diff == [], (name, part, "\n".join(diff))
    everything = json.dumps(seen, ensure_ascii=False)
    for leak in (
        secret.title,
        world.cs2_record.title,
        lost.title,
        "Secret",
        "Confidential",
        "Executive",
        "Head of archives",
        "Accompanied",
        "Not available",
        "in the archive",
    ):
        assert leak not in everything, leak


def test_the_request_pdf_names_no_hidden_record_even_to_someone_let_in(
    client, world, window
):
    """The first leak of the report: two requests, printed and withdrawn."""
    secret = _hidden_confidential(world)
    client.force_login(world.finance_clerk)
    _file(client, f"{secret.number} {world.cs2_record.number}", window)
    access_request = AccessRequest.objects.get()
    text = document_text(
        client.get(reverse("lending:request-pdf", args=[access_request.pk]))
    )
    assert secret.number in text and world.cs2_record.number in text
    assert secret.title not in text and world.cs2_record.title not in text
    assert "Secret" not in text and "Confidential" not in text
    # The archivist who hands over sees everything, the chain too.
    client.force_login(world.archivist)
    text = document_text(
        client.get(reverse("lending:request-pdf", args=[access_request.pk]))
    )
    assert secret.title in text and world.cs2_record.title in text
    assert "Executive" in text and "Secret" in text


def test_once_approved_the_requester_sees_what_was_found(client, world, window):
    client.force_login(world.finance_clerk)
    _file(client, f"{world.other_own.number} GT20230101777", window)
    access_request = AccessRequest.objects.get()
    assert [i.record for i in access_request.items.all()] == [world.other_own]
    for step, person in zip(
        access_request.steps.all(),
        (world.finance_head, world.archive_head),
        strict=True,
    ):
        step_decide(step_id=step.pk, actor=person, approve=True)
    with time_machine.travel(window[0]):
        client.force_login(world.finance_clerk)
        page = client.get(access_request.get_absolute_url()).content.decode()
    assert world.other_own.title in page
    assert "Not available" in page
    assert "Department head" in page


def test_a_request_for_nothing_there_waits_for_the_archivist_who_can_only_reject(
    client, world, window
):
    from core.errors import ArchiveError

    client.force_login(world.finance_clerk)
    _file(client, "GT20230101777", window)
    access_request = AccessRequest.objects.get()
    step = access_request.steps.get()
    assert step.role == "archivist"
    with pytest.raises(ArchiveError, match="None of the numbers asked for"):
        step_decide(step_id=step.pk, actor=world.archivist, approve=True)
    step_decide(
        step_id=step.pk, actor=world.archivist, approve=False, comment="档号有误"
    )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.REJECTED


def test_asking_twice_for_a_number_answers_alike_whether_it_exists_or_not(
    client, world, window
):
    client.force_login(world.finance_clerk)
    answers = []
    for number in ("GT20230101777", world.cs2_record.number):
        _file(client, number, window)
        status, body = _file(client, number, window)
        assert status == 400
        answers.append(body.count("already have request"))
    assert answers == [1, 1]


def _may_see(user) -> set[int]:
    return set(
        ArchiveRecord.objects.filter(record_visibility_q(user=user)).values_list(
            "pk", flat=True
        )
    )


DOCUMENTS = ("application/pdf", "text/csv", "application/vnd.openxml")


def test_no_pdf_or_export_names_a_record_to_someone_who_may_not_see_it(
    client, world, request
):
    """Every PDF and export of the archives, lending and reports matrices,
    opened by everyone let in: no title of a record they may not see."""
    from tests.lending.test_permission_matrix import MATRIX
    from tests.reports.test_permission_matrix import MATRIX as REPORTS

    keys = {**request.getfixturevalue("objects"), "catalogue_csv": ["catalogue", "csv"]}
    _hidden_confidential(world)
    exports = {
        f"reports:export {kind} {fmt}": ("get", [kind, fmt], None)
        for kind in ("catalogue", "register-viewing", "register-lending", "audit")
        for fmt in ("csv", "xlsx")
    }
    urls = []
    for name, (method, key, _allowed) in {**MATRIX, **REPORTS, **exports}.items():
        if method != "get" or name == "archives:file-download":
            continue  # a stored file is the filer's own document
        if isinstance(key, list):
            urls.append((name, reverse("reports:export", args=key)))
        elif key is None or key in keys:
            urls.append((name, reverse(name, args=keys[key] if key else [])))
    checked, leaks = _sweep(client, world, urls)
    assert checked > 20
    assert leaks == [], "\n".join(leaks)


def _sweep(client, world, urls, known=lambda name, who: set()):
    """Open each (name, url) as everyone; a document that names a record its
    reader may not see (nor knows by ``known``) is a leak."""
    from tests.lending.test_permission_matrix import PEOPLE

    titles = dict(ArchiveRecord.objects.values_list("pk", "title"))
    leaks, checked = [], 0
    for name, url in urls:
        for who in PEOPLE[1:]:
            person = getattr(world, who)
            client.force_login(person)
            response = client.get(url)
            if response.status_code != 200 or not response.get(
                "Content-Type", ""
            ).startswith(DOCUMENTS):
                continue
            checked += 1
            try:
                text = document_text(response)
            except subprocess.CalledProcessError:
                leaks.append(f"{name} as {who}: not a readable PDF")
                continue
            visible = _may_see(person) | known(name, who)
            leaks += [
                f"{name} as {who}: {title}"
                for pk, title in titles.items()
                if pk not in visible and title in text
            ]
    return checked, leaks


def test_no_retention_pdf_names_a_record_to_someone_who_may_not_see_it(
    client, world, request
):
    """The appraisal list, the destruction certificate and the check reports,
    opened by everyone let in (checks include supervisors)."""
    from tests.test_url_matrix import RETENTION_MATRIX

    keys = request.getfixturevalue("more_objects")
    _hidden_confidential(world)

    def known(name, who):
        if name.startswith("retention:appraisal") and who == "executive":
            # The executive approves destruction: the list it signs names the
            # records (DA/T destruction lists), whatever it may read.
            return set(
                ArchiveRecord.objects.filter(
                    appraisal_items__appraisal__pk=keys["appraisal"][0]
                ).values_list("pk", flat=True)
            )
        return set()

    urls = [
        (name, reverse(name, args=keys[key] if key else []))
        for name, (method, key, _allowed) in RETENTION_MATRIX.items()
        if method == "get"
    ]
    checked, leaks = _sweep(client, world, urls, known)
    assert checked >= 5
    assert leaks == [], "\n".join(leaks)
