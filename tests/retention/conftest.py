import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archives.models import ArchiveRecord
from archives.models import Category
from archives.services.records import record_accept
from archives.services.records import record_create
from archives.services.records import records_submit
from tests import samples


def file_electronic(world, *, title="电话录音整理", content=None):
    """An accepted electronic GT record of CS1 with one file in store and backup."""
    from tests.factories import subcode

    record = record_create(
        actor=world.staff,
        category=Category.objects.get(code="GT"),
        data={
            "title": title,
            "customer": world.own.customer,
            "date_formed": world.own.date_formed,
            "carrier": ArchiveRecord.Carrier.ELECTRONIC,
        },
        subcodes={"channel": subcode("GT", "channel", "DH")},
        uploads=[
            SimpleUploadedFile(
                "通话记录.pdf", content or samples.pdf(title), "application/pdf"
            )
        ],
    )
    records_submit(actor=world.staff, records=[record])
    return record_accept(actor=world.archivist, record=record)


@pytest.fixture
def electronic(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return file_electronic(world)
