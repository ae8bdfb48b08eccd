"""Issue 17, parts 2 and 3: long-term copies made by the real LibreOffice,
OCRmyPDF/Tesseract and pikepdf in the worker (eager here), and the text
inside files found by the catalogue search with a snippet."""

import datetime
import hashlib
import io

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services.records import record_accept
from archives.services.records import record_create
from archives.services.records import records_submit
from tests import samples
from tests.factories import CustomerFactory
from tests.factories import subcode

pytestmark = pytest.mark.usefixtures("reference_data")

SENTENCE = "客户反映快递包裹在运输途中破损严重"


@pytest.fixture
def preserve(settings):
    settings.ARCHIVE_PRESERVE_ON_ACCEPT = True
    return settings


def _accepted(staff, archivist, *uploads, title="客户来电记录", description=""):
    record = record_create(
        actor=staff,
        category=Category.objects.get(code="GT"),
        data={
            "title": title,
            "customer": CustomerFactory(),
            "date_formed": datetime.date(2023, 1, 1),
            "carrier": ArchiveRecord.Carrier.ELECTRONIC,
            "description": description,
        },
        subcodes={"channel": subcode("GT", "channel", "DH")},
        uploads=list(uploads),
    )
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    record.refresh_from_db()
    return record


def _copy(record_file: RecordFile) -> PreservationCopy:
    return PreservationCopy.objects.get(source=record_file)


def _pdfa_part(name: str) -> str:
    with storages["default"].open(name, "rb") as handle:
        data = handle.read()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.open_metadata().pdfa_status


def test_a_word_file_gets_a_pdfa_copy_beside_it_and_is_found_by_its_text(
    preserve, staff, archivist, client
):
    record = _accepted(
        staff,
        archivist,
        SimpleUploadedFile("处理记录.docx", samples.docx("包裹破损赔付处理意见")),
    )
    original = record.files.get()
    before = original.sha256
    copy = _copy(original)
    assert copy.state == "made" and copy.format == "PDF/A-2b"
    assert copy.tool.startswith("LibreOffice ")
    assert copy.made_at is not None and copy.attempts == 1
    # Beside the original, which is unchanged; its own hash; backed up.
    # (A store that holds the name already, as test processes sharing one
    # do, adds a few letters before the ending.)
    stem = original.file.name.removesuffix(".docx")
    assert copy.file.name.startswith(stem) and copy.file.name.endswith(".pdfa.pdf")
    assert _pdfa_part(copy.file.name) == "2B"
    with storages["default"].open(copy.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == copy.sha256
    assert storages["backup"].exists(copy.file.name)
    original.refresh_from_db()
    assert original.sha256 == before and original.content_source == "office"
    assert "包裹破损赔付处理意见" in original.content_text

    client.force_login(archivist)
    page = client.get(reverse("archives:catalogue"), {"q": "赔付处理"})
    assert record.number in page.content.decode()
    snippet = page.context["snippets"][record.pk]
    assert "<mark>赔付处理</mark>" in snippet.html
    assert snippet.where == f"in “{original.display_name}”"


def test_a_scanned_form_is_read_by_ocr_and_made_pdfa(preserve, staff, archivist):
    record = _accepted(
        staff, archivist, SimpleUploadedFile("登记表.pdf", samples.scan(SENTENCE))
    )
    original = record.files.get()
    copy = _copy(original)
    assert copy.state == "made" and copy.format == "PDF/A-2b"
    assert "Tesseract" in copy.tool and "chi_sim" in copy.tool
    assert _pdfa_part(copy.file.name) == "2B"
    original.refresh_from_db()
    assert original.content_source == "ocr"
    assert "运输途中破损" in original.content_text
    record.refresh_from_db()
    assert "运输途中破损" in record.search_text


def test_an_email_is_laid_out_and_its_attachments_become_files_of_the_record(
    preserve, staff, archivist
):
    mail = samples.eml_with_attachment(
        subject="退款申请",
        body="订单号 778899 申请退款",
        name="发票.txt",
        data="发票内容：壹佰元整",
    )
    record = _accepted(staff, archivist, SimpleUploadedFile("来信.eml", mail))
    mail_file = record.files.get(parent__isnull=True)
    copy = _copy(mail_file)
    assert copy.state == "made" and copy.format == "PDF/A-2b"
    mail_file.refresh_from_db()
    assert "Subject: 退款申请" in mail_file.content_text
    assert "订单号 778899 申请退款" in mail_file.content_text
    assert "发票.txt" in mail_file.content_text  # the attachment list
    attachment = record.files.get(parent=mail_file)
    assert attachment.original_name == "发票.txt" and attachment.scan == "clean"
    assert (
        attachment.sha256 == hashlib.sha256("发票内容：壹佰元整".encode()).hexdigest()
    )
    assert storages["backup"].exists(attachment.file.name)
    text_copy = _copy(attachment)
    assert text_copy.state == "made" and text_copy.format == "UTF-8 text"
    record.refresh_from_db()
    assert "壹佰元整" in record.search_text


def test_a_recording_is_kept_as_it_is(preserve, staff, archivist):
    record = _accepted(staff, archivist, SimpleUploadedFile("录音.mp3", samples.mp3()))
    copy = _copy(record.files.get())
    assert copy.state == "kept" and not copy.file


def test_a_failed_conversion_is_tried_again_then_a_finding_and_nothing_is_lost(
    preserve, staff, archivist, client
):
    preserve.ARCHIVE_SOFFICE = "/nonexistent/soffice"
    preserve.ARCHIVE_CONVERSION_RETRIES = 2
    record = _accepted(
        staff, archivist, SimpleUploadedFile("处理记录.docx", samples.docx())
    )
    original = record.files.get()
    copy = _copy(original)
    assert copy.state == "failed" and copy.attempts == 2
    assert copy.error_code == "tool_missing"
    assert storages["default"].exists(original.file.name)  # the original stays
    client.force_login(archivist)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "The long-term copy could not be made" in page

    # The program is back: the archivist asks again and it is made.
    preserve.ARCHIVE_SOFFICE = "soffice"
    response = client.post(reverse("archives:copy-retry", args=[copy.pk]))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.state == "made"


def test_destruction_erases_the_copy_and_the_text_with_the_original(
    preserve, staff, archivist
):
    from django.utils import timezone

    from archives.services.files import files_erase

    record = _accepted(
        staff, archivist, SimpleUploadedFile("处理记录.docx", samples.docx("赔付处理"))
    )
    copy = _copy(record.files.get())
    files_erase(records=[record], actor=archivist, now=timezone.now())
    assert not storages["default"].exists(copy.file.name)
    assert not storages["backup"].exists(copy.file.name)
    record.refresh_from_db()
    assert "赔付处理" not in record.search_text


def test_the_monthly_inspection_rehashes_the_copies(preserve, staff, archivist):
    from retention.services.checks import check_execute
    from retention.services.checks import check_request

    record = _accepted(
        staff, archivist, SimpleUploadedFile("处理记录.docx", samples.docx())
    )
    copy = _copy(record.files.get())
    store = storages["default"]
    with store.open(copy.file.name, "rb") as handle:
        tampered = handle.read() + b"tampered"
    store.delete(copy.file.name)
    store.save(copy.file.name, ContentFile(tampered))
    run = check_request(kind="inspection", actor=archivist)
    check_execute(run_id=run.pk)
    run.refresh_from_db()
    codes = {f.code: f for f in run.findings.all()}
    assert "checksum_mismatch" in codes
    assert (
        codes["checksum_mismatch"].params["file"] == copy.file.name.rsplit("/", 1)[-1]
    )


def test_the_reindex_command_reads_existing_records_and_resumes(
    staff, archivist, settings
):
    # Accepted before copies were made (the setting off, as for old records).
    record = _accepted(
        staff, archivist, SimpleUploadedFile("处理记录.docx", samples.docx("赔付处理"))
    )
    assert not PreservationCopy.objects.exists()
    assert "赔付处理" not in record.search_text
    out = io.StringIO()
    call_command("reindex_content", "--chunk", "1", stdout=out)
    record.refresh_from_db()
    assert "赔付处理" in record.search_text
    assert _copy(record.files.get()).state == "made"
    # Run again: nothing is left to do.
    out = io.StringIO()
    call_command("reindex_content", stdout=out)
    assert "0 file(s) queued" in out.getvalue()


def test_the_monthly_inspection_opens_and_scans_the_copies_again(
    preserve, staff, archivist
):
    """Item 4: a copy that went bad in the store (the EICAR string written
    over it) is found unusable and infected, and a copy that could not be
    made is a finding too."""
    from django.core.files.base import ContentFile

    from retention.services.checks import check_execute
    from retention.services.checks import check_request
    from tests.clamd import EICAR

    record = _accepted(
        staff,
        archivist,
        SimpleUploadedFile("处理记录.docx", samples.docx()),
    )
    copy = _copy(record.files.get())
    store = storages["default"]
    store.delete(copy.file.name)
    store.save(copy.file.name, ContentFile(EICAR))
    preserve.ARCHIVE_SOFFICE = "/nonexistent/soffice"
    preserve.ARCHIVE_CONVERSION_RETRIES = 1
    other = _accepted(staff, archivist, SimpleUploadedFile("记录.xlsx", samples.xlsx()))
    run = check_request(kind="inspection", actor=archivist)
    check_execute(run_id=run.pk)
    run.refresh_from_db()
    texts = [str(f) for f in run.findings.all()]
    name = copy.file.name.rsplit("/", 1)[-1]
    assert any(
        t.startswith(f"{record.number}: the long-term copy {name} holds malware")
        for t in texts
    )
    assert any(
        t.startswith(f"{record.number}: the long-term copy {name} failed a check")
        for t in texts
    )
    assert any(
        t.startswith(
            f"{other.number}: the long-term copy of 记录.xlsx could not be made"
        )
        and "not installed" in t
        for t in texts
    )
    assert run.summary["copies_scanned"] == 1
