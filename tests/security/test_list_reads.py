"""Reading lists is logged, and nobody reads the archive as fast as a
program can (security issue, item 3)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def _listed():
    return AuditEntry.objects.filter(action=AuditEntry.Action.LISTED).order_by("pk")


def _token_client(user) -> APIClient:
    client = APIClient()
    key = api_key(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_paging_through_the_api_is_logged_page_by_page(world):
    """Who, the query, how many rows, which ids."""
    client = _token_client(world.archivist)
    first = client.get("/api/v1/records/", {"page_size": 2, "sort": "title"})
    assert first.status_code == 200
    second = client.get(first.json()["next"])
    assert second.status_code == 200
    entries = list(_listed())
    assert len(entries) == 2
    for entry, response in zip(entries, (first, second), strict=True):
        ids = [row["id"] for row in response.json()["results"]]
        assert entry.actor == world.archivist
        assert entry.details["list"] == "api:records"
        assert entry.details["rows"] == len(ids)
        assert entry.details["ids"] == ids
        assert len(entry.details["ids_sha256"]) == 64
    assert "sort=title" in entries[0].details["query"]
    assert "after=" in entries[1].details["query"]
    client.get("/api/v1/records/", {"q": "客户"})
    assert "q=%E5%AE%A2%E6%88%B7" in _listed().last().details["query"]


def test_a_catalogue_search_is_logged_with_its_query_masked(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("archives:catalogue"), {"q": "13800138000"})
    assert response.status_code == 200
    entry = _listed().get()
    assert entry.details["list"] == "catalogue"
    assert "13800138000" not in entry.details["query"]
    assert "138****8000" in entry.details["query"]
    client.get(reverse("archives:catalogue"))
    entry = _listed().last()
    visible = {world.own.pk, world.confidential.pk, world.other_own.pk}
    assert set(entry.details["ids"]) <= visible
    assert entry.details["rows"] == len(entry.details["ids"]) > 0


def test_customer_lists_through_the_api_are_logged(world):
    response = _token_client(world.archivist).get("/api/v1/customers/")
    assert response.status_code == 200
    assert _listed().get().details["list"] == "api:customers"


def test_one_token_is_slowed_down_past_its_rate(world, settings):
    settings.ARCHIVE_API_RATES = {**settings.ARCHIVE_API_RATES, "token": "3/min"}
    client = _token_client(world.archivist)
    answers = [client.get("/api/v1/categories/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/categories/")
    assert "Retry-After" in refused
    # The same person's browser is another caller for the token's limit.
    browser = APIClient()
    browser.force_login(world.archivist)
    assert browser.get("/api/v1/categories/").status_code == 200


def test_one_person_is_slowed_down_over_all_their_ways_in(world, settings):
    settings.ARCHIVE_API_RATES = {**settings.ARCHIVE_API_RATES, "person": "3/min"}
    token = _token_client(world.archivist)
    browser = APIClient()
    browser.force_login(world.archivist)
    answers = [
        token.get("/api/v1/categories/").status_code,
        browser.get("/api/v1/categories/").status_code,
        token.get("/api/v1/categories/").status_code,
        browser.get("/api/v1/categories/").status_code,
    ]
    assert answers == [200, 200, 200, 429]
    # Another person is not held up by the first one.
    assert (
        _token_client(world.archive_head).get("/api/v1/categories/").status_code == 200
    )


def test_exports_are_limited_per_person(client, world, settings):
    settings.ARCHIVE_API_RATES = {**settings.ARCHIVE_API_RATES, "export": "2/hour"}
    client.force_login(world.archivist)
    url = reverse("reports:export", args=["catalogue", "csv"])
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert "many exports in a short time" in refused.content.decode()
