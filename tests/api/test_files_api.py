"""Issue 18, item 2: records filed with their files through the API — in
one multipart call, or a long recording sent in resumable pieces — with an
idempotency key, by a company system's own scoped token."""

import datetime
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from api.models import ChunkedUpload
from api.services import pieces_of
from archives.models import ArchiveRecord
from archives.models import Customer
from audit.models import AuditEntry
from tests import samples
from tests.clamd import EICAR

pytestmark = pytest.mark.django_db
PIECE = 8 * 1024 * 1024


@pytest.fixture
def system(world):
    """The call centre's own account and filing token (manage.py system_token)."""
    out = io.StringIO()
    call_command(
        "system_token",
        "callcenter",
        "--name",
        "呼叫中心",
        "--department",
        "CS1",
        stdout=out,
    )
    key = out.getvalue().rsplit("key (shown only now): ", 1)[1].strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _fields(**extra):
    return {
        "category": "GT",
        "subcodes": {"channel": "DH"},
        "title": "客户来电录音",
        "customer": Customer.objects.first().code,
        "date_formed": timezone.localdate().isoformat(),
        "carrier": "electronic",
        **extra,
    }


def test_a_record_and_its_files_in_one_multipart_call(system, world):
    fields = _fields()
    fields["subcodes"] = json.dumps(fields["subcodes"])
    pdf, mp3 = io.BytesIO(samples.pdf("通话记录")), io.BytesIO(samples.mp3(2))
    pdf.name, mp3.name = "通话记录.pdf", "录音.mp3"
    response = system.post(
        "/api/v1/records/", {**fields, "files": [pdf, mp3]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    record = ArchiveRecord.objects.get(pk=response.json()["id"])
    assert sorted(f.original_name for f in record.files.all()) == [
        "录音.mp3",
        "通话记录.pdf",
    ]
    assert record.file_checks.get(stage="upload").outcome == "passed"
    caller = User.objects.get(username="callcenter")
    assert record.created_by == caller and caller.is_system
    assert not caller.has_usable_password()


def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_filed(system):
    fields = _fields()
    fields["subcodes"] = json.dumps(fields["subcodes"])
    virus = io.BytesIO(EICAR)
    virus.name = "附件.txt"
    response = system.post(
        "/api/v1/records/", {**fields, "files": [virus]}, format="multipart"
    )
    assert response.status_code == 400
    assert "holds malware (Eicar-Test-Signature" in response.json()["detail"]
    assert not ArchiveRecord.objects.filter(title="客户来电录音").exists()


def _piece(client, upload_id, data, start, size):
    return client.put(
        f"/api/v1/uploads/{upload_id}/",
        data[start : start + PIECE],
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{min(start + PIECE, size) - 1}/{size}",
    )


def test_a_30_mb_recording_in_pieces_retried_with_the_same_key_files_once(
    system, django_capture_on_commit_callbacks
):
    recording = samples.mp3(1900)  # 30 MB of 128 kbit/s
    size = len(recording)
    assert size > 30_000_000
    begun = system.post(
        "/api/v1/uploads/",
        {
            "name": "通话录音.mp3",
            "size": size,
            "sha256": hashlib.sha256(recording).hexdigest(),
        },
        format="json",
    )
    assert begun.status_code == 201, begun.content
    upload = begun.json()["id"]
    assert _piece(system, upload, recording, 0, size).json()["received"] == PIECE
    # The answer was lost; the same piece again is acknowledged, not doubled.
    again = _piece(system, upload, recording, 0, size)
    assert again.status_code == 200 and again.json()["received"] == PIECE
    # A piece from too far on is refused with where to go on from.
    ahead = _piece(system, upload, recording, 3 * PIECE, size)
    assert ahead.status_code == 409
    assert ahead.json()["received"] == PIECE
    # After an interruption the sender asks how far it got, and goes on.
    start = system.get(f"/api/v1/uploads/{upload}/").json()["received"]
    while start < size:
        answer = _piece(system, upload, recording, start, size)
        assert answer.status_code == 200, answer.content
        start = answer.json()["received"]
    assert system.get(f"/api/v1/uploads/{upload}/").json()["complete"] is True

    body = _fields(uploads=[upload])
    with django_capture_on_commit_callbacks(execute=True):
        first = system.post(
            "/api/v1/records/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-778899"
        )
    assert first.status_code == 201, first.content
    retried = system.post(
        "/api/v1/records/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-778899"
    )
    assert retried.status_code == 201
    assert retried["Idempotent-Replayed"] == "true"
    assert retried.json() == first.json()
    records = ArchiveRecord.objects.filter(title="客户来电录音")
    assert records.count() == 1
    stored = records.get().files.get()
    assert stored.sha256 == hashlib.sha256(recording).hexdigest()
    assert stored.size == size
    assert pieces_of(ChunkedUpload.objects.get(pk=upload)) == []
    # The same key for another call is refused.
    other = system.post(
        "/api/v1/records/",
        _fields(title="另一份"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-778899",
    )
    assert other.status_code == 422
    # An upload is filed once.
    twice = system.post("/api/v1/records/", _fields(uploads=[upload]), format="json")
    assert twice.status_code == 400
    assert "waits to be filed" in twice.json()["detail"]


def test_bad_pieces_get_clear_answers(system):
    begun = system.post(
        "/api/v1/uploads/", {"name": "录音.mp3", "size": 100}, format="json"
    ).json()
    url = f"/api/v1/uploads/{begun['id']}/"
    no_range = system.put(url, b"x" * 10, content_type="application/octet-stream")
    assert no_range.status_code == 400 and "Content-Range" in no_range.json()
    wrong = system.put(
        url,
        b"x" * 10,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE="bytes 0-19/100",
    )
    assert wrong.status_code == 400
    assert "the piece has 10 bytes" in str(wrong.json())
    refused = system.post(
        "/api/v1/uploads/", {"name": "../x.mp3", "size": 100}, format="json"
    )
    assert refused.status_code == 400
    unfinished = system.post(
        "/api/v1/records/", _fields(uploads=[begun["id"]]), format="json"
    )
    assert unfinished.status_code == 400
    assert "is not complete: 0 of 100 bytes arrived" in unfinished.json()["detail"]


def test_a_filing_token_files_and_does_nothing_else(system, world):
    assert system.get("/api/v1/records/").status_code == 403
    assert system.get("/api/v1/customers/").status_code == 403
    assert system.get("/api/v1/categories/").status_code == 200
    paper = _fields(carrier="paper", page_count=1)
    filed = system.post("/api/v1/records/", paper, format="json")
    assert filed.status_code == 201
    assert (
        system.post(f"/api/v1/records/{filed.json()['id']}/submit/").status_code == 200
    )
    entry = AuditEntry.objects.filter(actor__username="callcenter").first()
    assert entry is not None and entry.actor_name


def test_a_read_only_token_reads_and_files_nothing(world):
    from accounts.tokens import api_token_create

    _token, key = api_token_create(actor=world.staff, name="报表", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/records/").status_code == 200
    assert client.post("/api/v1/records/", _fields(), format="json").status_code == 403


def test_unfinished_uploads_are_deleted_after_their_keeping(system, settings):
    from api.services import upload_piece
    from api.services import uploads_expire

    begun = system.post(
        "/api/v1/uploads/", {"name": "录音.mp3", "size": 100}, format="json"
    ).json()
    upload = ChunkedUpload.objects.get(pk=begun["id"])
    upload_piece(upload=upload, start=0, data=b"x" * 40)
    assert len(pieces_of(upload)) == 1  # the piece waits in the uploads store
    assert uploads_expire() == 0  # still fresh
    later = timezone.now() + datetime.timedelta(
        hours=settings.ARCHIVE_UPLOAD_KEEP_HOURS + 1
    )
    assert uploads_expire(now=later) == 1
    assert pieces_of(upload) == []
    assert not ChunkedUpload.objects.filter(pk=upload.pk).exists()


def test_a_systems_account_is_no_one_to_pick(system, world, client):
    """The call centre's account files, but is not a person in the pickers
    nor among those a role's notices go to."""
    from django.urls import reverse

    from accounts.roles import people_with_roles

    client.force_login(world.staff)
    page = client.get(reverse("accounts:pick-people"), {"picker_q": "呼叫中心"})
    assert "呼叫中心" not in page.content.decode()
    assert not people_with_roles("cs_staff").filter(username="callcenter").exists()
    assert User.objects.get(username="callcenter").groups.filter(name="cs_staff")
