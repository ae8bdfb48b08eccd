"""Issue 17, part 1: the four checks (四性检测) at upload and at acceptance,
with the real ClamAV daemon (tests/clamd.py) and the real readers."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import FileCheck
from archives.models import RecordFile
from archives.services.filechecks import ChecksFailed
from archives.services.filechecks import scan_pending
from archives.services.records import record_accept
from archives.services.records import record_create
from archives.services.records import records_submit
from audit.models import AuditEntry
from core.errors import ArchiveError
from tests import samples
from tests import stores
from tests.clamd import EICAR
from tests.factories import CustomerFactory
from tests.factories import subcode


def _file(staff, *uploads, pages=0):
    return record_create(
        actor=staff,
        category=Category.objects.get(code="GT"),
        data={
            "title": "客户来电录音",
            "customer": CustomerFactory(),
            "date_formed": datetime.date(2023, 1, 1),
            "carrier": ArchiveRecord.Carrier.ELECTRONIC,
            "page_count": pages,
        },
        subcodes={"channel": subcode("GT", "channel", "DH")},
        uploads=list(uploads),
    )


def _stored() -> set[str]:
    return set(stores.names(storages["default"]))


def _read(name: str) -> bytes:
    with storages["default"].open(name, "rb") as handle:
        return handle.read()


BAD = [
    ("损坏.pdf", b"%PDF-1.4 cut off here", "does not open as a .pdf file"),
    ("加密.pdf", samples.encrypted_pdf(), "encrypted or protected by a password"),
    ("附件.zip", samples.zip_archive(), "is a zip archive"),
    ("病毒.txt", EICAR, "holds malware (Eicar-Test-Signature"),
    ("空.pdf", b"", "is empty"),
    (
        "回复.docx",
        b"<html><body>not word</body></html>",
        "its content is of another kind",
    ),
    ("录音.mp3", samples.broken_mp3(), "does not open as a .mp3 file"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_bad_files_are_refused_at_upload_with_their_reason(
    staff, name, content, message
):
    before = _stored()
    with pytest.raises(ArchiveError, match=re.escape(message)):
        _file(staff, SimpleUploadedFile(name, content))
    assert not ArchiveRecord.objects.exists()  # nothing half-stored
    assert not RecordFile.objects.exists()
    # Nothing of it stayed in the store (other test processes share it).
    if content:
        assert not [n for n in _stored() - before if _read(n) == content]


def test_malware_is_quarantined_and_audited(staff):
    with pytest.raises(ArchiveError, match="holds malware"):
        _file(staff, SimpleUploadedFile("病毒.txt", EICAR))
    entry = AuditEntry.objects.get(action="quarantined")
    assert entry.details["signature"].startswith("Eicar-Test-Signature")
    with storages["quarantine"].open(entry.details["quarantined_as"], "rb") as kept:
        assert kept.read() == EICAR


def test_the_filing_form_names_the_damaged_file_and_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("archives:record-create", args=["GT"]),
        {
            "title": "客户投诉函",
            "customer": CustomerFactory().pk,
            "date_formed": "2023-01-01",
            "source_department": staff.department.pk,
            "responsible_person": staff.pk,
            "carrier": "electronic",
            "page_count": 1,
            "confidentiality": "internal",
            "subcode_channel": subcode("GT", "channel", "DH").pk,
            "files": [SimpleUploadedFile("投诉函.pdf", b"%PDF-1.7 broken")],
        },
    )
    assert response.status_code == 200  # the form again, as for any bad field
    assert not ArchiveRecord.objects.exists()
    page = response.content.decode()
    assert "投诉函.pdf" in page and "does not open as a .pdf file" in page
    assert 'value="客户投诉函"' in page


def test_a_clean_file_passes_at_upload_and_acceptance(staff, archivist):
    record = _file(
        staff, SimpleUploadedFile("通话记录.pdf", samples.pdf(pages=2)), pages=2
    )
    upload = record.file_checks.get()
    assert upload.stage == "upload" and upload.outcome == "passed"
    assert {i.aspect for i in upload.items.all()} == {
        "authenticity",
        "integrity",
        "usability",
        "security",
    }
    stored = record.files.get()
    assert stored.scan == "clean" and stored.technical["pages"] == 2
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    accepted = record.file_checks.get(stage="acceptance")
    assert accepted.outcome == "passed"
    texts = [i.text for i in accepted.items.all()]
    assert "The stored file still has the SHA-256 taken at upload." in texts
    assert "The PDFs have 2 page(s), as the record declares." in texts
    assert any(t.startswith("No malware found (ClamAV") for t in texts)
    assert any(t.startswith("It opens: 2 page(s)") for t in texts)


def test_declared_pages_that_differ_warn_but_do_not_block(staff, archivist):
    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()), pages=5)
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    accepted = record.file_checks.get(stage="acceptance")
    assert accepted.outcome == "warning"
    assert "The record declares 5 page(s); its PDFs have 1." in [
        i.text for i in accepted.items.all()
    ]


def test_a_file_changed_in_the_store_is_refused_at_acceptance(staff, archivist):
    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    records_submit(actor=staff, records=[record])
    name = record.files.get().file.name
    store = storages["default"]
    store.delete(name)
    store.save(name, ContentFile(samples.pdf("被改过的内容")))
    with pytest.raises(ChecksFailed, match="no longer has the SHA-256"):
        record_accept(actor=archivist, record=record)
    record.refresh_from_db()
    assert record.status == "submitted"
    report = record.file_checks.get(stage="acceptance")  # kept though refused
    assert report.outcome == "failed"


def test_unscanned_files_wait_and_are_accepted_only_with_a_reason(
    staff, archivist, settings, clamd
):
    settings.ARCHIVE_CLAMD_SOCKET = "/nonexistent/clamd.sock"  # clamd is down
    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    stored = record.files.get()
    assert stored.scan == "pending"
    assert record.file_checks.get().outcome == "pending"
    records_submit(actor=staff, records=[record])
    with pytest.raises(ChecksFailed, match="accept it anyway with a reason"):
        record_accept(actor=archivist, record=record)
    record_accept(
        actor=archivist, record=record, override_reason="扫描服务维护中，来源为内部系统"
    )
    record.refresh_from_db()
    assert record.status == "archived"
    report = record.file_checks.filter(stage="acceptance").first()
    assert report.overridden_by == archivist
    assert AuditEntry.objects.filter(action="checks_overridden").count() == 1
    # The scanner is back: the worker scans what waited.
    settings.ARCHIVE_CLAMD_SOCKET = clamd
    assert scan_pending() == 1
    stored.refresh_from_db()
    assert stored.scan == "clean" and stored.scanned_at is not None


def test_the_review_and_record_pages_show_the_report(client, staff, archivist):
    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    records_submit(actor=staff, records=[record])
    client.force_login(archivist)
    review = client.get(reverse("archives:review-record", args=[record.pk]))
    page = review.content.decode()
    assert 'data-testid="file-check-upload"' in page
    assert "Four checks (authenticity, integrity, usability, security)" in page
    client.post(reverse("archives:review-accept", args=[record.pk]), {})
    record.refresh_from_db()
    assert record.status == "archived"
    detail = client.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="file-check-acceptance"' in detail
    assert FileCheck.objects.filter(record=record).count() == 2


def test_the_monthly_inspection_opens_and_scans_the_stored_files_again(
    client, staff, archivist
):
    """Item 4: a file that went bad in the store (here: the EICAR string
    written over it, as a signature update would find an old infection) is a
    finding of the inspection, and the file is no longer given out."""
    from retention.services.checks import check_execute
    from retention.services.checks import check_request

    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    stored = record.files.get()
    store = storages["default"]
    store.delete(stored.file.name)
    store.save(stored.file.name, ContentFile(EICAR))
    run = check_request(kind="inspection", actor=archivist)
    check_execute(run_id=run.pk)
    run.refresh_from_db()
    texts = [str(f) for f in run.findings.all()]
    assert any("holds malware: Malware found: Eicar-Test-Signature" in t for t in texts)
    assert any("failed a check: It does not open as a .pdf file" in t for t in texts)
    assert record.file_checks.filter(stage="inspection", outcome="failed").exists()
    stored.refresh_from_db()
    assert stored.scan == "infected"
    client.force_login(archivist)
    download = client.get(reverse("archives:file-download", args=[stored.pk]))
    assert download.status_code == 403


def test_the_api_gives_the_reports_in_the_callers_language(staff, archivist):
    from rest_framework.test import APIClient

    from tests.factories import api_key

    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(archivist)}")
    url = reverse("api:record-checks", args=[record.pk])
    reports = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [r["stage"] for r in reports] == ["upload", "acceptance"]
    assert AuditEntry.objects.filter(
        action="record_viewed", actor=archivist, target_id=str(record.pk)
    ).exists()
    assert all(r["outcome"] == "passed" for r in reports)
    texts = [i["text"] for i in reports[1]["items"]]
    assert "存储的文件与上传时的 SHA-256 一致。" in texts
    assert {i["aspect"] for i in reports[1]["items"]} == {
        "authenticity",
        "integrity",
        "usability",
        "security",
    }


def test_the_report_prints(client, staff, archivist, tmp_path):
    import subprocess

    record = _file(staff, SimpleUploadedFile("通话记录.pdf", samples.pdf()))
    records_submit(actor=staff, records=[record])
    record = record_accept(actor=archivist, record=record)
    client.force_login(archivist)
    response = client.get(
        reverse("archives:record-checks-pdf", args=[record.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "四性检测报告" in text and record.number in text
    assert "存储的文件与上传时的 SHA-256 一致" in text
    assert AuditEntry.objects.filter(
        action="printed", target_id=str(record.pk)
    ).exists()
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)  # a fresh clone has none yet
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(artifacts / "four-checks-report"),
        ],
        check=True,
    )
