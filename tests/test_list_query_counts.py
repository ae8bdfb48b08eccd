"""Every list page and API list: the same few SQL queries for 20 rows as for
100 (issue 7: at most 10 a page, never one per row).

The pages are every argument-less GET page of the URL matrices (lists,
dashboards and the forms beside them) and every API list, each opened by
the first person the matrix lets in; the data grows by 20 and then by 80 of
each kind those pages list.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.models import MailMessage
from audit import services as audit
from lending.services.requests import access_request_create
from tests.factories import BoxFactory
from tests.factories import CustomerFactory
from tests.factories import RecordFactory
from tests.factories import api_key
from tests.factories import mailbox_with_rule
from tests.lending.test_permission_matrix import MATRIX as LENDING_MATRIX
from tests.reports.test_permission_matrix import API as API_LISTS
from tests.reports.test_permission_matrix import MATRIX as REPORTS_MATRIX
from tests.test_url_matrix import MATRIX as OWN_MATRIX
from tests.test_url_matrix import RETENTION_MATRIX

MAX_QUERIES = 10
# A list read writes its audit entry (security issue, item 3): the chain's
# savepoint, its head, the insert and the release. Pages that log one may
# spend that much more, and no more.
AUDIT_QUERIES = 4
LOGGED_LISTS = {
    "/catalogue/",
    "/use/find/",  # the request catalogue (issue 19, item 1)
    "/api/v1/records/",
    "/api/v1/customers/",
}
# Not lists but dashboards: one aggregate query per figure, the same at
# any size (pinned here as they are). The page's figures are links (issue
# 19, item 10): three more to find the categories, storerooms and natures;
# two for the complaints about the archive (issue 20, item 7); one for the
# effects of the uses (issue 20, item 4), within the page's old ceiling.
# The annual report (issue 20, item 5): its year and the year before, about
# sixteen aggregates each.
DASHBOARDS = {
    "/reports/": 24,
    "/api/v1/reports/statistics/": 20,
    "/reports/annual/": 33,
    f"/api/v1/reports/annual/{timezone.localdate().year}/": 32,
}
# The order in which a page's readers are tried: the broadest reader first.
READERS = ["archivist", "archive_head", "auditor", "executive", "staff", "supervisor"]
# Pages that are not lists: the API's schema and documentation; the login
# page and its second-factor step, which send a logged-in person home; the
# forgotten-password pages.
NOT_LISTS = {
    "/api/schema/",
    "/api/docs/",
    "/api/redoc/",
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/done/",
    "/healthz/",
    "/readyz/",
    # The filing directory's files need a year and a category: asked for
    # without them they send the reader to the form (issue 20, item 3).
    "/directory/directory.pdf",
    "/directory/directory.xlsx",
}


def _reader(allowed: set) -> str:
    return next((who for who in READERS if who in allowed), sorted(allowed)[0])


def _pages() -> list[tuple[str, str, bool]]:
    pages = []
    for matrix in (LENDING_MATRIX, REPORTS_MATRIX, RETENTION_MATRIX, OWN_MATRIX):
        for name, (method, key, allowed) in matrix.items():
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue  # a page of one object, a kind or a month
            readers = allowed - {"anonymous"}
            if method == "get" and key is None and url not in NOT_LISTS and readers:
                pages.append((url, _reader(readers), False))
    for method, url, allowed in API_LISTS:
        if method == "get" and url not in NOT_LISTS:
            pages.append((url, _reader(allowed), True))
    return sorted(set(pages))


def _grow(world, count: int, start: int) -> None:
    """``count`` more of everything the lists show: archived records (due
    for disposal, in a box, of one customer), viewing requests of them,
    submissions, boxes, notifications, audit entries and customers."""
    box = BoxFactory(code=f"GT-Q-{start}", capacity=1000)
    today = timezone.localdate()
    when = timezone.now() + datetime.timedelta(days=1)
    for n in range(start, start + count):
        record = RecordFactory(
            created_by=world.staff,
            customer=world.own.customer,
            status=ArchiveRecord.Status.ARCHIVED,
            number=f"GT-Q{n:05d}",
            number_prefix="GT-Q",
            sequence_number=n + 1,
            box=box,
            accepted_at=timezone.now(),
            disposal_due_on=today - datetime.timedelta(days=1),
        )
        record.save()
        access_request_create(
            requester=world.executive,
            kind="viewing",
            numbers=record.number,
            purpose="核对",
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=2),
        )
        audit.log(audit.Action.RECORD_VIEWED, actor=world.archivist, target=record)
        CustomerFactory()
        # The review queue and the storage page grow too.
        RecordFactory(
            created_by=world.staff,
            status=ArchiveRecord.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        BoxFactory(code=f"GT-Q-{start}-{n}", shelf=box.shelf)
        # E-mail in: a message taken into each record, with its mailbox and
        # a rule (issue 18).
        mailbox = mailbox_with_rule(
            assignee=world.archivist, name=f"邮箱{n}", username=f"box{n}@example.com"
        )
        MailMessage.objects.create(
            key=f"<q{n}@example.com>",
            mailbox=mailbox,
            subject=record.title,
            state=MailMessage.State.FILED,
            record=record,
        )
    for who in READERS:
        Notification.objects.bulk_create(
            [
                Notification(user=getattr(world, who), key="report_ready", params={})
                for _ in range(count)
            ]
        )


def _queries(world, pages) -> dict:
    found = {}
    for url, who, api in pages:
        person = getattr(world, who)
        if api:
            key = api_key(person)
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            from django.test import Client

            client = Client()
            client.force_login(person)
        # One visit fills the caches (filter choices, header badges).
        assert client.get(url).status_code == 200, (url, who)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, (url, who)
        found[url] = len(queries)
    return found


@pytest.mark.django_db
def test_every_list_page_costs_the_same_few_queries_at_20_and_100_rows(
    world, django_assert_max_num_queries, settings
):
    # The header's badges are kept 15 s; a slow machine takes longer than that
    # between a person's first page and their last, and would count the
    # badges' query again on whichever page the copy ran out.
    settings.ARCHIVE_BADGE_SECONDS = 3600
    pages = _pages()
    assert len(pages) > 25  # the matrices were found
    _grow(world, 20, 0)
    at_20 = _queries(world, pages)
    _grow(world, 80, 20)
    at_100 = _queries(world, pages)
    assert at_100 == at_20
    too_many = {
        url: n
        for url, n in at_100.items()
        if n
        > DASHBOARDS.get(url, MAX_QUERIES)
        + (AUDIT_QUERIES if url.split("?")[0] in LOGGED_LISTS else 0)
    }
    assert too_many == {}
    # The catalogue itself, as django_assert_max_num_queries sees it.
    from django.test import Client

    client = Client()
    client.force_login(world.archivist)
    client.get(reverse("archives:catalogue"))
    for per_page in (20, 100):
        with django_assert_max_num_queries(MAX_QUERIES + AUDIT_QUERIES):
            page = client.get(reverse("archives:catalogue"), {"per_page": per_page})
        assert len(page.context["page"]) == per_page


@pytest.mark.django_db
def test_a_csv_export_costs_the_same_queries_for_20_and_100_rows(world):
    from django.test import Client

    client = Client()
    client.force_login(world.archivist)
    url = reverse("reports:export", args=["catalogue", "csv"])

    def export() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            lines = b"".join(response.streaming_content).decode("utf-8-sig")
        return len(queries), sum(1 for r in lines.splitlines() if r.startswith("GT-Q"))

    export()  # the person's rights are read once, then cached (issue 22)
    _grow(world, 20, 0)
    few, rows = export()
    assert rows == 20
    _grow(world, 80, 20)
    many, rows = export()
    assert rows == 100
    assert many == few
