"""Issue 18, item 1: files read in the browser under the reader's watermark;
downloading and printing by right, stamped; recordings streamed by range;
a viewing window that ends closes the file."""

import datetime
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archives.models import ArchiveRecord
from archives.models import RecordUserObjectPermission
from archives.permissions import record_grant_view
from archives.services.files import file_ingest
from audit.models import AuditEntry
from tests import samples
from tests.factories import RecordFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def _with_file(staff, name, data, **fields):
    record = RecordFactory(created_by=staff, **fields)
    stored = file_ingest(
        record=record, upload=SimpleUploadedFile(name, data), actor=staff
    )
    return record, stored


def _reddish(jpeg: bytes) -> int:
    """How many pixels are the watermark's red (the page itself is black on
    white)."""
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > g + 25 and r > b + 25)


def test_a_page_is_a_picture_with_the_readers_watermark(client, staff, archivist):
    _record, stored = _with_file(
        staff, "处理单.pdf", samples.pdf("客户来电记录", pages=3)
    )
    client.force_login(staff)
    read = client.get(reverse("archives:file-read", args=[stored.pk]))
    body = read.content.decode()
    assert read.status_code == 200
    assert body.count('data-testid="page"') == 3
    assert "张敏" in body and 'data-testid="download"' not in body
    page = client.get(reverse("archives:file-page", args=[stored.pk, 2]))
    assert page["Content-Type"] == "image/jpeg"
    assert (
        page["Cache-Control"].startswith("no-store")
        or "no-store" in page["Cache-Control"]
    )
    mine = page.content
    assert _reddish(mine) > 2000  # the watermark covers the page
    client.force_login(archivist)
    theirs = client.get(reverse("archives:file-page", args=[stored.pk, 2])).content
    assert theirs != mine  # each reader's own name
    reads = AuditEntry.objects.filter(action="file_read", actor=staff)
    assert {e.details.get("page") for e in reads} >= {2}


def test_a_page_out_of_range_is_not_found_with_the_reason(client, staff):
    _record, stored = _with_file(staff, "处理单.pdf", samples.pdf(pages=1))
    client.force_login(staff)
    response = client.get(reverse("archives:file-page", args=[stored.pk, 9]))
    assert response.status_code == 404


def test_pictures_and_text_are_read_as_pages_too(client, staff):
    _r, picture = _with_file(staff, "照片.png", samples.png(400, 300))
    _r, text = _with_file(staff, "记录.txt", "投诉内容\n".encode() * 120)
    client.force_login(staff)
    for stored, pages in ((picture, 1), (text, 3)):
        body = client.get(reverse("archives:file-read", args=[stored.pk])).content
        assert body.decode().count('data-testid="page"') == pages
        last = client.get(reverse("archives:file-page", args=[stored.pk, pages]))
        assert last["Content-Type"] == "image/jpeg"


def test_a_recording_streams_by_range(client, staff):
    _record, stored = _with_file(staff, "通话.mp3", samples.mp3(60))
    size = stored.size
    client.force_login(staff)
    url = reverse("archives:file-stream", args=[stored.pk])
    body = client.get(reverse("archives:file-read", args=[stored.pk])).content.decode()
    assert 'data-testid="player"' in body
    part = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{size}"
    assert len(part.content) == 1000
    tail = client.get(url, HTTP_RANGE="bytes=-500")
    assert tail.status_code == 206 and len(tail.content) == 500
    for bad in ("bytes=abc-", f"bytes={size}-", "items=0-1", "bytes=5-1,7-9"):
        refused = client.get(url, HTTP_RANGE=bad)
        assert refused.status_code == 416, bad
        assert refused["Content-Range"] == f"bytes */{size}"
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == samples.mp3(60)
    # The start of a play is audited; a seek in the middle is not again.
    played = AuditEntry.objects.filter(action="file_read", details__played=True)
    assert played.count() == 1


def _pdftotext(data: bytes) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode().split("\f")[:-1]


def test_the_archivist_downloads_and_prints_pdfs_stamped_on_every_page(
    client, staff, archivist
):
    _record, stored = _with_file(
        staff, "处理单.pdf", samples.pdf("客户来电记录", pages=3)
    )
    client.force_login(archivist)
    body = client.get(reverse("archives:file-read", args=[stored.pk])).content.decode()
    assert 'data-testid="download"' in body and 'data-testid="print"' in body
    download = client.get(reverse("archives:file-download", args=[stored.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    pages = _pdftotext(download.content)
    assert len(pages) == 3
    for text in pages:
        assert "Downloaded by 李档案 (li) on" in text
        assert "客户来电记录" in text
    printed = client.get(reverse("archives:file-print", args=[stored.pk]))
    assert printed["Content-Disposition"].startswith("inline")
    assert all("Printed by 李档案 (li)" in t for t in _pdftotext(printed.content))
    actions = set(
        AuditEntry.objects.filter(actor=archivist).values_list("action", flat=True)
    )
    assert {"printed", "file_read"} <= actions


def test_confidential_files_are_read_online_only_but_by_the_archivist(
    client, staff, archivist
):
    _record, stored = _with_file(
        staff,
        "处理单.pdf",
        samples.pdf(),
        confidentiality=ArchiveRecord.Confidentiality.CONFIDENTIAL,
    )
    head = UserFactory(role="archive_head")
    client.force_login(head)
    assert (
        client.get(reverse("archives:file-read", args=[stored.pk])).status_code == 200
    )
    assert (
        client.get(reverse("archives:file-download", args=[stored.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("archives:file-print", args=[stored.pk])).status_code == 403
    )
    client.force_login(archivist)
    assert (
        client.get(reverse("archives:file-download", args=[stored.pk])).status_code
        == 200
    )


def test_a_viewing_window_that_ends_closes_the_file(client, staff):
    record, stored = _with_file(staff, "处理单.pdf", samples.pdf())
    reader = UserFactory(role="cs_staff", display_name="王销售")
    ends = timezone.now() + datetime.timedelta(hours=1)
    record_grant_view(record=record, user=reader, valid_from=None, valid_until=ends)
    client.force_login(reader)
    read = client.get(reverse("archives:file-read", args=[stored.pk]))
    assert read.status_code == 200
    assert read.context["rights"].closes_at == ends
    assert 'data-closes-at="' in read.content.decode()
    page = reverse("archives:file-page", args=[stored.pk, 1])
    assert client.get(page).status_code == 200
    RecordUserObjectPermission.objects.filter(user=reader).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(page).status_code == 404
    assert (
        client.get(reverse("archives:file-read", args=[stored.pk])).status_code == 404
    )


def test_the_usage_ledger_counts_readings_downloads_and_prints(
    client, staff, archivist
):
    """Issue 18: the usage ledger counts what the audit log lists page by
    page: a reading once a person, a record and a day; every download and
    print."""
    from lending.models import UsageEvent

    record, stored = _with_file(staff, "处理单.pdf", samples.pdf(pages=2))
    client.force_login(staff)
    for _ in range(2):  # opened twice, read page by page: one reading
        client.get(reverse("archives:file-read", args=[stored.pk]))
        client.get(reverse("archives:file-page", args=[stored.pk, 1]))
    client.force_login(archivist)
    client.get(reverse("archives:file-read", args=[stored.pk]))
    client.get(reverse("archives:file-download", args=[stored.pk]))
    client.get(reverse("archives:file-print", args=[stored.pk]))
    events = sorted(
        (e.person.username, e.kind)
        for e in UsageEvent.objects.filter(record=record).select_related("person")
    )
    assert events == [
        ("li", "download"),
        ("li", "online_reading"),
        ("li", "print"),
        ("zhang", "online_reading"),
    ]


def test_a_video_plays_in_the_page_and_streams_by_range(client, staff):
    """Issue 18: video (MP4) is filed, opened by its boxes, and played in
    the page with HTTP Range, like a call recording."""
    _record, stored = _with_file(staff, "上门服务.mp4", samples.mp4(600))
    assert stored.technical["seconds"] == 600.0
    assert stored.technical["tracks"] == ["vide", "soun"]
    client.force_login(staff)
    body = client.get(reverse("archives:file-read", args=[stored.pk])).content.decode()
    assert "<video" in body and "<audio" not in body
    part = client.get(
        reverse("archives:file-stream", args=[stored.pk]), HTTP_RANGE="bytes=0-99"
    )
    assert part.status_code == 206 and part["Content-Type"] == "video/mp4"
    assert part.content == samples.mp4(600)[:100]


def test_a_video_that_does_not_open_is_refused(staff):
    from archives.services.files import file_vet
    from core.errors import ArchiveError

    broken = samples.mp4(60)[:70]  # cut in its movie box
    with pytest.raises(ArchiveError, match="does not open"):
        file_vet(upload=SimpleUploadedFile("坏视频.mp4", broken), actor=staff)
