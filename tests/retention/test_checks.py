"""The periodic checks (SPEC §10) find what is wrong, keep one report per
period, and are safe to run twice."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.models import Storeroom
from retention.models import CheckRun
from retention.models import FacilityItem
from retention.services.checks import check_execute
from retention.services.checks import check_finish
from retention.services.checks import check_request
from retention.services.checks import period_of
from retention.services.storerooms import patrol_record
from retention.services.storerooms import stocktake_scan
from tests import samples
from tests.factories import BoxFactory
from tests.factories import RecordFactory


def run(kind, actor=None):
    report = check_request(kind=kind, actor=actor)
    check_execute(run_id=report.pk)
    report.refresh_from_db()
    return report


def codes(report):
    return sorted(report.findings.values_list("code", flat=True))


def test_periods():
    day = datetime.date(2026, 11, 23)
    assert [period_of(k, day) for k in CheckRun.Kind.values] == [
        "2026-11-23",
        "2026-W48",
        "2026-11",
        "2026-Q4",
        "2026",
    ]


def test_monthly_inspection_finds_a_changed_byte_and_a_missing_file(world, electronic):
    from tests.retention.conftest import file_electronic

    clean = run("inspection", actor=world.archivist)
    assert clean.status == "done"
    assert clean.summary["files_checked"] == 1
    assert codes(clean) == []

    name = electronic.files.get().file.name
    store = storages["default"]
    content = bytearray(store.open(name).read())
    content[3] ^= 0x01
    store.delete(name)
    store.save(name, ContentFile(bytes(content)))
    gone = file_electronic(world, title="邮件往来", content=samples.pdf("邮件往来"))
    store.delete(gone.files.get().file.name)

    again = run("inspection", actor=world.archivist)
    assert again.pk == clean.pk, "one report per month"
    assert again.runs == 2
    # The changed byte is in the PDF's header: it no longer opens either.
    assert codes(again) == ["checksum_mismatch", "file_missing", "file_unusable"]
    mismatch = again.findings.get(code="checksum_mismatch")
    assert mismatch.record == electronic
    assert str(mismatch).startswith(f"{electronic.number}: the file ")
    assert again.progress_done == again.progress_total == 2


def test_monthly_inspection_reports_number_gaps_and_unboxed_paper(world):
    # A record that vanished from the catalogue leaves a hole in its sequence.
    ArchiveRecord.objects.filter(pk=world.other_own.pk).update(
        number=None, number_prefix="", sequence_number=None
    )
    unboxed = ArchiveRecord.objects.get(pk=world.own.pk)
    unboxed.box = None
    unboxed.save()
    report = run("inspection")
    assert codes(report) == ["number_gap", "paper_without_box"]
    assert "GT20230101" in str(report.findings.get(code="number_gap"))


def test_quarterly_check_finds_a_missing_backup_and_proves_the_database(
    reference_data, world, electronic
):
    # Committed data (reference_data is transactional): pg_dump reads through
    # its own connection.
    from retention.tasks import database_backup

    database_backup.delay()  # beat's nightly backup, which the check proves
    storages["backup"].delete(electronic.files.get().file.name)
    report = run("backup", actor=world.archivist)
    assert report.status == "done", report.error
    assert codes(report) == ["backup_missing", "db_backup_files_bad", "db_backup_ok"]
    proof = report.findings.get(code="db_backup_ok")
    table = ArchiveRecord._meta.db_table
    assert f"{table} {ArchiveRecord.objects.count()}" in proof.params["counts"]
    assert report.summary["database_backup"]


def test_weekly_patrol_flags_out_of_range_and_unread_rooms(world):
    room = Storeroom.objects.get()
    second = Storeroom.objects.create(code="B", name="二号库房")
    patrol = run("patrol")
    assert patrol.status == "open"
    patrol_record(
        actor=world.archivist,
        run=patrol,
        storeroom=room,
        temperature=26.5,
        humidity=50,
    )
    finished = check_finish(actor=world.archivist, run=patrol)
    assert finished.status == "done"
    found = {(f.code, f.storeroom_id) for f in finished.findings.all()}
    assert found == {
        ("temperature_out_of_range", room.pk),
        ("patrol_missing", second.pk),
    }
    assert str(finished.findings.get(code="temperature_out_of_range")) == (
        "Temperature 26.5 °C is outside 14–24 °C."
    )
    # The beat firing again in the same week changes nothing.
    again = check_request(kind="patrol")
    assert again.pk == patrol.pk
    assert check_execute(run_id=again.pk) == {"skipped": again.pk}


def test_yearly_stocktake_lists_missing_misplaced_and_unexpected(world):
    box = world.own.box
    other_box = BoxFactory(code="GT-2023-002", shelf=box.shelf)
    stocktake = run("stocktake", actor=world.archivist)
    assert stocktake.status == "open"
    assert stocktake.summary == {"expected": 4, "findings": {}}
    for record in (world.own, world.other_own):
        stocktake_scan(
            actor=world.archivist, run=stocktake, box=box, code=record.number
        )
    stocktake_scan(
        actor=world.archivist,
        run=stocktake,
        box=other_box,
        code=world.cs2_record.number,
    )
    stocktake_scan(
        actor=world.archivist, run=stocktake, box=box, code=world.own.number.lower()
    )
    stocktake_scan(
        actor=world.archivist, run=stocktake, box=other_box, code="GT20990101001"
    )
    report = check_finish(actor=world.archivist, run=stocktake)
    assert report.summary | {"findings": None} == {
        "expected": 4,
        "found": 3,
        "missing": 1,
        "misplaced": 1,
        "unexpected": 1,
        "findings": None,
    }
    texts = sorted(str(f) for f in report.findings.all())
    assert texts == [
        f"{world.confidential.number} was not found; "
        f"the catalogue has it in box {box.code}.",
        f"{world.cs2_record.number} was found in box GT-2023-002; "
        f"the catalogue has it in box {box.code}.",
        "GT20990101001 was found in box GT-2023-002 but is not in the catalogue.",
    ]
    told = Notification.objects.filter(key="stocktake_report")
    assert set(told.values_list("user__username", flat=True)) == {
        "wang",
        "sun",
        "lin",
        "he",
    }
    check_finish(actor=world.archivist, run=stocktake)
    assert told.count() == 4, "the same report tells nobody twice"
    assert report.findings.count() == 3


def test_daily_check_reminds_once(world):
    late = RecordFactory(created_by=world.staff)
    late.submission_due_at = timezone.now() - datetime.timedelta(hours=1)
    late.save()
    first = run("daily")
    assert first.summary["late_submissions"] == 1
    assert first.summary["disposal_due"] == 4
    again = run("daily")
    assert again.pk == first.pk
    assert (
        Notification.objects.filter(user=world.staff, key="submission_late").count()
        == 1
    )
    assert Notification.objects.filter(key="disposal_due").count() == 2, (
        "two heads, once"
    )
    assert again.findings.filter(code="late_submission").count() == 1


def test_start_button_queues_and_shows_the_report(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.archivist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/retention/checks/start/inspection/", follow=True)
    assert response.status_code == 200
    report = CheckRun.objects.get(kind="inspection")
    assert report.status == "done"
    assert report.started_by == world.archivist
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    progress = client.get(f"/retention/checks/{report.pk}/progress/")
    assert progress["HX-Refresh"] == "true"
    pdf = client.get(f"/retention/checks/{report.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    client.force_login(world.staff)
    assert client.post("/retention/checks/start/inspection/").status_code == 403


def test_a_check_no_worker_takes_says_so_and_can_be_sent_again(
    world, client, django_capture_on_commit_callbacks
):
    """Issue 19, item 11: queued with no worker running, a check said
    "Queued 0 / 0" for ever; now the page says since when it waits and why,
    and the list offers to send it again, which a worker then runs."""
    report = check_request(kind=CheckRun.Kind.INSPECTION, actor=world.archivist)
    client.force_login(world.archivist)
    fresh = client.get(f"/retention/checks/{report.pk}/progress/").content.decode()
    assert "waiting for a background worker since" in fresh
    assert 'data-testid="check-waiting"' not in fresh  # not yet worrying

    long_ago = timezone.now() - datetime.timedelta(hours=2)
    CheckRun.objects.filter(pk=report.pk).update(queued_at=long_ago)
    since = timezone.localtime(long_ago).strftime("%H:%M")
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="check-waiting"' in page
    assert f"No background worker has taken this check since {since}" in page
    listing = client.get("/retention/checks/").content.decode()
    assert 'data-testid="send-again"' in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/retention/checks/start/inspection/", follow=True)
    text = response.content.decode()
    assert "has waited for a background worker since" in text
    report.refresh_from_db()
    assert report.status == "done"  # the (eager) worker took it at once


@pytest.mark.parametrize("kind", ["unknown"])
def test_unknown_check_is_404(world, client, kind):
    client.force_login(world.archivist)
    assert client.post(f"/retention/checks/start/{kind}/").status_code == 404


def test_a_refused_patrol_reading_or_checklist_keeps_what_was_typed(world, client):
    room = Storeroom.objects.get()
    patrol = run("patrol")
    client.force_login(world.archivist)
    response = client.post(
        f"/retention/checks/{patrol.pk}/patrol/",
        {
            "storeroom": room.pk,
            "temperature": "二十",
            "humidity": "55.5",
            "note": "空调故障",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        'value="二十"' in body and 'value="55.5"' in body and 'value="空调故障"' in body
    )
    assert not patrol.readings.exists()

    inspection = run("inspection")
    item = FacilityItem.objects.first()
    response = client.post(
        f"/retention/checks/{inspection.pk}/facilities/",
        {"storeroom": room.pk, f"item-{item.pk}": "problem", f"note-{item.pk}": ""},
    )
    assert response.status_code == 400
    assert f"Describe the problem with: {item.name}." in response.content.decode()
    assert not inspection.facility_checks.exists()


def test_every_check_keeps_its_recent_reports_on_the_list(world, client):
    run("stocktake")
    for day in range(1, 300):
        CheckRun.objects.create(
            kind="daily",
            period=(
                datetime.date(2026, 1, 1) + datetime.timedelta(days=day)
            ).isoformat(),
            status="done",
        )
    client.force_login(world.archivist)
    body = client.get("/retention/checks/").content.decode()
    stocktake = CheckRun.objects.get(kind="stocktake")
    assert stocktake.get_absolute_url() in body


@pytest.mark.parametrize("kind", ["daily", "patrol", "inspection", "stocktake"])
def test_every_report_prints(world, client, kind, tmp_path):
    import subprocess

    report = run(kind)
    if kind == "patrol":
        patrol_record(
            actor=world.archivist,
            run=report,
            storeroom=Storeroom.objects.get(),
            temperature=20,
            humidity=50,
            note="A<B & 正常",
        )
    client.force_login(world.archivist)
    response = client.get(f"/retention/checks/{report.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert report.period in text
    if kind == "patrol":
        assert "A<B & 正常" in text


def test_each_finding_leads_to_the_list_or_record_behind_it(client, world):
    """Issue 19, item 10: a finding is a link, not a dead end."""
    ArchiveRecord.objects.filter(pk=world.other_own.pk).update(
        number=None, number_prefix="", sequence_number=None
    )
    unboxed = ArchiveRecord.objects.get(pk=world.own.pk)
    unboxed.box = None
    unboxed.save()
    report = run("inspection")
    client.force_login(world.archivist)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'href="/numbers/gaps/"' in page  # the gap report
    assert f'href="/catalogue/?q={world.own.number}"' in page  # the unboxed record
    found = client.get(f"/catalogue/?q={world.own.number}")
    assert [r.number for r in found.context["page"]] == [world.own.number]


def test_the_stocktake_report_groups_by_box_and_names_boxes_never_scanned(
    client, world
):
    """Issue 19, item 10: not one flat list."""
    box = world.own.box
    other_box = BoxFactory(code="GT-2023-002", shelf=box.shelf)
    unscanned = BoxFactory(code="GT-2023-003", shelf=box.shelf)
    ArchiveRecord.objects.filter(pk=world.other_own.pk).update(box=unscanned)
    stocktake = run("stocktake", actor=world.archivist)
    stocktake_scan(actor=world.archivist, run=stocktake, box=box, code=world.own.number)
    stocktake_scan(
        actor=world.archivist,
        run=stocktake,
        box=other_box,
        code=world.cs2_record.number,
    )
    report = check_finish(actor=world.archivist, run=stocktake)
    client.force_login(world.archivist)
    page = client.get(report.get_absolute_url())
    assert [g.box for g in page.context["stocktake_groups"]] == [
        box.code,
        other_box.code,
        unscanned.code,
    ]
    assert [b.code for b in page.context["never_scanned"]] == [unscanned.code]
    moved = page.context["stocktake_groups"][1].findings
    assert [f.code for f in moved] == ["stocktake_misplaced"]
