"""Files under bad input (security issue, items 9-11): genuine Chinese text
files, a title too long for a file name, and a store that cannot be written."""

import random

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from archives.filetypes import HEAD_BYTES
from archives.models import ArchiveRecord
from archives.models import RecordFile
from archives.services.files import check_upload
from archives.services.records import record_accept
from archives.services.records import records_submit
from core.errors import ArchiveError
from tests import samples
from tests.archives.test_filing_views import _post
from tests.archives.test_filing_views import form_data  # noqa: F401 - a fixture
from tests.factories import BoxFactory
from tests.factories import RecordFactory

SENTENCES = [
    "客户来电咨询保修政策，已告知处理流程。",
    "Customer asked about the invoice; 已转财务部处理。",
    "回访记录：满意度五星，𠀀𠀁 生僻字照录。",
    "投诉送货延迟 😀 已致歉并补偿运费。",
]


def _genuine_text(rng: random.Random, size: int) -> bytes:
    text = ""
    while len(text.encode()) < size:
        text += rng.choice(SENTENCES) + ("\r\n" if rng.random() < 0.3 else "")
    return text.encode()


@pytest.mark.parametrize("suffix", ["txt", "csv", "eml"])
def test_three_hundred_genuine_chinese_text_files_are_all_accepted(suffix):
    """Every cut of the sample falls somewhere else in a multi-byte character;
    none of them makes a text file "not a text file"."""
    rng = random.Random(9)
    refused = []
    for n in range(300):
        content = _genuine_text(rng, rng.randint(HEAD_BYTES, 10_000))
        try:
            check_upload(SimpleUploadedFile(f"记录{n}.{suffix}", content))
        except ArchiveError:
            refused.append(n)
    assert refused == []


def test_a_text_file_broken_inside_its_sample_is_still_refused():
    content = "聊天记录".encode() * 100 + b"\xff\xfe\xfd" + "结束".encode() * 2000
    with pytest.raises(ArchiveError, match="its content is of another kind"):
        check_upload(SimpleUploadedFile("聊天记录.txt", content))


@pytest.mark.django_db
def test_a_title_of_sixty_four_byte_characters_is_accepted_with_a_short_name(
    staff, archivist
):
    """S3 §3.3's name (number + subject + date) fits a file system's 255
    bytes: the subject is shortened, the number and the date stay."""
    from archives.services.files import file_ingest

    record = RecordFactory(created_by=staff, title="𠀀😀" * 30)
    file_ingest(
        record=record,
        upload=SimpleUploadedFile("录音.pdf", samples.pdf()),
        actor=staff,
    )
    records_submit(actor=staff, records=[record])
    record = record_accept(actor=archivist, record=record, box=BoxFactory())
    stored = record.files.get().file.name
    name = stored.rsplit("/", 1)[1]
    assert len(name.encode()) <= 255
    assert name.startswith(record.number)
    assert name.endswith(f"{record.date_formed:%Y%m%d}.pdf")
    assert "𠀀😀" in name
    assert storages["default"].exists(stored)
    assert storages["backup"].exists(stored)


@pytest.mark.django_db
def test_an_unwritable_store_keeps_the_form_and_says_so(
    client,
    staff,
    form_data,  # noqa: F811
    tmp_path,
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    broken = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "store")},
        },
    }
    client.force_login(staff)
    with override_settings(STORAGES=broken):
        response = _post(
            client,
            form_data,
            [
                SimpleUploadedFile("录音一.mp3", samples.mp3()),
                SimpleUploadedFile("录音二.mp3", samples.mp3(2)),
            ],
        )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "“录音一.mp3” could not be stored: the archive store cannot be written "
        "to at the moment. Nothing was saved; try again later, and tell the "
        "system administrator if it persists."
    ]
    assert response.context["form"]["title"].value() == form_data["title"]
    assert not ArchiveRecord.objects.exists()
    assert not RecordFile.objects.exists()
