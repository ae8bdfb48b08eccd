"""Issue 22: the record page and the one-page PDF ask the database at most
ten times: the page whatever the record holds (files with their checks,
codes, links, reviews, a box with neighbours, custody and a corrected
history), the form whoever signed and handed over."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archives.services import links
from archives.services.records import record_correct
from archives.services.storage import record_move_to_box
from core.prepared import written_out
from lending.services.approvals import step_decide
from lending.services.circulation import hand_over
from tests.factories import BoxFactory
from tests.lending.test_viewing import ask
from tests.retention.conftest import file_electronic

PAGE_QUERIES = 10
# The person, the request, its items (records and people), its steps (and
# signers), the audit entry: within the ten, pinned where it is now so
# that one query per item or step shows at once.
PDF_QUERIES = 5


@pytest.fixture
def full_record(world, django_capture_on_commit_callbacks):
    """World's own record with everything its page can show."""
    with django_capture_on_commit_callbacks(execute=True):
        electronic = file_electronic(world)
    record = world.own
    links.record_link(actor=world.archivist, record=record, number=electronic.number)
    BoxFactory(shelf=record.box.shelf, category=record.category, code="GT-2023-002")
    other = BoxFactory(
        shelf=record.box.shelf, category=record.category, code="GT-2023-003"
    )
    record_move_to_box(actor=world.archivist, record=record, box=other, note="")
    record_correct(
        actor=world.archivist,
        record=record,
        data={"title": "客户投诉送货严重延迟"},
        reason="题名漏写“严重”",
    )
    return electronic


def _warm(client, url):
    assert client.get(url).status_code == 200  # rights and session now cached


def test_the_record_page_asks_at_most_ten_queries(
    client, world, full_record, django_assert_max_num_queries
):
    for person, record in (
        (world.archivist, world.own),
        (world.archivist, full_record),
        (world.staff, full_record),
    ):
        client.force_login(person)
        url = reverse("archives:record-detail", args=[record.pk])
        _warm(client, url)
        with django_assert_max_num_queries(PAGE_QUERIES):
            page = client.get(url)
        assert page.status_code == 200
        assert record.number in page.content.decode()
    with django_assert_max_num_queries(PAGE_QUERIES):  # the panel, opened
        panel = client.get(
            reverse("archives:record-history", args=[world.own.pk]),
            HTTP_HX_REQUEST="true",
        )
    assert "题名漏写“严重”" in panel.content.decode()


def test_the_one_page_pdf_asks_at_most_ten_queries(
    client, world, window, django_assert_max_num_queries
):
    """Signed by two, handed over: each signer and hander named, none asked
    for one by one."""
    request = ask(world.finance_clerk, [world.own, world.other_own], window)
    first, second = request.steps.all()
    step_decide(step_id=first.pk, actor=world.finance_head, approve=True)
    step_decide(step_id=second.pk, actor=world.archive_head, approve=True)
    with time_machine.travel(window[0] + datetime.timedelta(minutes=5), tick=False):
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist,
        )
    client.force_login(world.archivist)
    url = reverse("lending:request-pdf", args=[request.pk])
    _warm(client, url)
    with django_assert_max_num_queries(PDF_QUERIES):
        response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pages_do_not_read_the_text_inside_the_files(
    client, world, full_record, window
):
    """The search columns hold every file's text: the catalogue and the API's
    list find rows by them, but no page reads them back."""
    request = ask(world.finance_clerk, [full_record], window)
    client.force_login(world.archivist)
    for url in (
        "/catalogue/",
        "/catalogue/?q=投诉",
        "/api/v1/records/",
        reverse("archives:record-detail", args=[full_record.pk]),
        reverse("lending:request-pdf", args=[request.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # (A statement prepared on the server logs as ``EXECUTE name(...)``:
        # its own text is what it read.)
        selected = [
            written_out(q["sql"]).split(" FROM ")[0] for q in queries.captured_queries
        ]
        assert any('"archives_archiverecord"."title"' in s for s in selected), url
        assert not any("search_grams" in s or "search_text" in s for s in selected), url
