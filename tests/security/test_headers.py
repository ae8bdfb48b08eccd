"""No record content is kept by a browser's or a proxy's cache (security
issue, item 4)."""

import pytest
from django.urls import reverse

from lending.services.requests import access_request_create
from tests.factories import api_key
from tests.retention.conftest import file_electronic


@pytest.mark.django_db
def test_record_pages_files_pdfs_and_api_answers_are_never_stored(
    client, world, window
):
    record = file_electronic(world)
    stored_file = record.files.get()
    viewing = access_request_create(
        requester=world.staff,
        kind="viewing",
        numbers=world.own.number,
        purpose="核对",
        starts_at=window[0],
        ends_at=window[1],
    )
    client.force_login(world.archivist)
    urls = [
        reverse("archives:catalogue"),
        reverse("archives:record-detail", args=[record.pk]),
        reverse("archives:file-download", args=[stored_file.pk]),
        reverse("lending:request-pdf", args=[viewing.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    key = api_key(world.archivist)
    response = client.get("/api/v1/records/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
