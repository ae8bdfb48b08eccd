"""Uploads are judged by their content, stored under a random name outside the
web root, and served only through the permission-checked view (SPEC §13)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import RecordFile
from archives.services.files import file_ingest
from core.errors import ArchiveError
from tests import samples
from tests.archives.test_filing_views import _post
from tests.archives.test_filing_views import form_data  # noqa: F401 - a fixture
from tests.factories import RecordFactory


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<w:document/>")
    return buffer.getvalue()


def _stored_files() -> set[Path]:
    return {p for p in Path(storages["default"].location).rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("发票.pdf", samples.pdf()),
        ("扫描.jpg", samples.jpg()),
        ("截图.png", samples.png()),
        ("回复函.docx", samples.docx()),
        ("台账.xlsx", samples.xlsx()),
        ("录音.wav", samples.wav()),
        ("聊天记录.txt", "客户：你好".encode("gb18030")),
    ],
)
def test_files_whose_content_matches_their_name_are_accepted(staff, name, content):
    record = RecordFactory(created_by=staff)
    stored = file_ingest(
        record=record, upload=SimpleUploadedFile(name, content), actor=staff
    )
    assert stored.original_name == name
    assert stored.file.name.startswith(f"incoming/{record.pk}/")
    assert name not in stored.file.name  # a random name on disk


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("合同.pdf", b"<html><script>alert(1)</script></html>"),
        ("照片.jpg", b"MZ\x90\x00 a Windows program"),
        ("报告.docx", _office("xl/")),  # a workbook called a document
        ("压缩.docx", b"PK\x03\x04 not really a zip"),
        ("说明.txt", b"\x7fELF\x02\x01\x01\x00binary"),
    ],
)
def test_files_whose_content_is_of_another_kind_are_refused(staff, name, content):
    record = RecordFactory(created_by=staff)
    before = _stored_files()
    with pytest.raises(ArchiveError, match="its content is of another kind"):
        file_ingest(
            record=record, upload=SimpleUploadedFile(name, content), actor=staff
        )
    assert not RecordFile.objects.exists()
    assert _stored_files() == before


def test_the_filing_form_names_the_disguised_file_and_keeps_what_was_typed(
    client,
    staff,
    form_data,  # noqa: F811
):
    client.force_login(staff)
    response = _post(
        client, form_data, [SimpleUploadedFile("合同.pdf", b"<html>not a pdf</html>")]
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert errors == [
        "“合同.pdf” is not a .pdf file: its content is of another kind. "
        "Save it in the right format, or give it its real extension."
    ]
    assert response.context["form"]["title"].value() == form_data["title"]
    assert not ArchiveRecord.objects.exists()


def test_files_live_outside_the_web_root_and_are_served_as_their_checked_type(
    client, staff, archivist
):
    store = Path(storages["default"].location).resolve()
    assert Path(settings.STATIC_ROOT).resolve() not in store.parents
    record = RecordFactory(created_by=staff)
    stored = file_ingest(
        record=record,
        upload=SimpleUploadedFile("便条.txt", b"plain", content_type="text/html"),
        actor=staff,
    )
    assert stored.content_type == "text/plain"  # not what the browser claimed
    client.force_login(archivist)  # who may take files out of the archive
    response = client.get(reverse("archives:file-download", args=[stored.pk]))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment")
    # No URL serves the store directly.
    for guess in (f"/{stored.file.name}", f"/media/{stored.file.name}"):
        assert client.get(guess).status_code == 404
