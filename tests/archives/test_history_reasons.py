"""Issue 19, item 17: a history reason the system gives is kept as a code
with its values and worded in each reader's language."""

import datetime
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import translation

from archives.models import ArchiveRecord
from archives.selectors import record_history
from archives.services.records import record_accept
from archives.services.records import records_submit
from core.history import reason
from core.history import reason_text
from tests.factories import RecordFactory


def _accepted(staff, archivist, gt_box):
    record = RecordFactory(created_by=staff, date_formed=datetime.date(2023, 1, 1))
    records_submit(actor=staff, records=[record])
    with translation.override("zh-hans"):  # the archivist works in Chinese
        return record_accept(actor=archivist, record=record, box=gt_box)


def test_each_reader_reads_the_reason_in_their_language(
    client, staff, archivist, gt_box
):
    record = _accepted(staff, archivist, gt_box)
    stored = record.history.latest().history_change_reason
    assert stored == '§accepted{"number":"GT20230101001"}'
    client.force_login(archivist)
    for language, words in [
        ("en", "Accepted as GT20230101001"),
        ("zh-hans", "已归档为 GT20230101001"),
        ("zh-hant", "已歸檔為 GT20230101001"),
    ]:
        client.cookies["django_language"] = language
        page = client.get(reverse("archives:record-history", args=[record.pk]))
        assert words in page.content.decode(), language
        assert "§accepted" not in page.content.decode()


def test_typed_reasons_stay_and_unknown_codes_show_as_stored():
    assert reason_text("缺少签字") == "缺少签字"
    assert reason_text("§nothing") == "§nothing"
    assert reason_text(None) == ""
    with translation.override("en"):
        assert reason_text(reason("moved_to_shelf", shelf="R1-S01")) == (
            "Moved to shelf R1-S01"
        )


def test_the_migration_recodes_reasons_written_as_text(staff, archivist, gt_box):
    record = _accepted(staff, archivist, gt_box)
    history = record.history.latest()
    ArchiveRecord.history.filter(history_id=history.history_id).update(
        history_change_reason="已归档为 GT20230101001"
    )
    typed = RecordFactory(created_by=staff)
    ArchiveRecord.history.filter(id=typed.pk).update(history_change_reason="手工更正")
    migration = import_module("archives.migrations.0010_history_reasons_as_codes")
    migration.recode(apps, SimpleNamespace(connection=connection))
    history.refresh_from_db()
    assert history.history_change_reason == '§accepted{"number":"GT20230101001"}'
    assert set(
        ArchiveRecord.history.filter(id=typed.pk).values_list(
            "history_change_reason", flat=True
        )
    ) == {"手工更正"}
    with translation.override("en"):
        reasons = [e.reason for e in record_history(record=record)]
    assert "Accepted as GT20230101001" in reasons


def test_the_migrations_recode_a_kept_by_appraisal_and_a_found_records_step(
    staff, archivist, gt_box
):
    """The reasons coded later (issue 19, item 17): an appraisal keeping a
    record, and an archivist's step naming the records found."""
    from django.utils import timezone

    from lending.models import AccessRequest
    from lending.models import ApprovalStep

    record = _accepted(staff, archivist, gt_box)
    history = record.history.latest()
    ArchiveRecord.history.filter(history_id=history.history_id).update(
        history_change_reason="Kept by appraisal JD2026001"
    )
    import_module("archives.migrations.0013_kept_by_appraisal_as_code").recode(
        apps, SimpleNamespace(connection=connection)
    )
    history.refresh_from_db()
    assert history.history_change_reason == '§kept_by_appraisal{"ref":"JD2026001"}'
    with translation.override("zh-hant"):
        assert reason_text(history.history_change_reason) == "鑑定 JD2026001 決定保留"

    request = AccessRequest.objects.create(
        kind="viewing",
        requester=staff,
        department=staff.department,
        purpose="核对",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    with translation.override("zh-hans"):
        found = str(reason_text(reason("records_found", numbers="GT20230101001")))
    typed, system = ApprovalStep.objects.bulk_create(
        [
            ApprovalStep(request=request, position=1, role="archivist", comment="可以"),
            ApprovalStep(request=request, position=2, role="archivist", comment=found),
        ]
    )
    import_module("lending.migrations.0011_step_comments_as_codes").recode(
        apps, SimpleNamespace(connection=connection)
    )
    typed.refresh_from_db()
    system.refresh_from_db()
    assert typed.comment == "可以"
    assert system.comment == '§records_found{"numbers":"GT20230101001"}'
    with translation.override("en"):
        assert system.comment_text == "Records found: GT20230101001"
