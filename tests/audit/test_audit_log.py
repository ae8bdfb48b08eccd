"""The audit log: what is logged, who reads it, and that tampering is caught."""

import csv
import io
import threading

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from django.db import DatabaseError
from django.db import connection
from django.db import connections
from django.db import transaction
from django.urls import reverse

from audit import chain
from audit import services
from audit.models import AuditEntry
from lending.services.approvals import step_decide
from retention.models import CheckRun
from retention.services.checks import check_execute
from retention.services.checks import check_request
from tests.factories import UserFactory
from tests.lending.test_viewing import ask

Action = AuditEntry.Action
PASSWORD = "Archive-pass-2026"


def _last(action=None) -> AuditEntry:
    entries = AuditEntry.objects.order_by("-pk")
    if action:
        entries = entries.filter(action=action)
    return entries.first()


def _tamper(sql: str, params: list) -> None:
    """Change the table behind the application's back, as a DBA could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_logins_and_failed_logins_are_logged_with_the_address(client, world):
    login = reverse("accounts:login")
    client.post(
        login, {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
    )
    failed = _last()
    assert (failed.action, failed.outcome) == (Action.LOGIN_FAILED, "failed")
    assert (failed.actor_name, failed.ip, failed.actor) == ("zhang", "10.1.2.3", None)

    client.post(
        login, {"username": "zhang", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    entry = _last()
    assert (entry.action, entry.actor, entry.department) == (
        Action.LOGIN,
        world.staff,
        world.cs1,
    )
    client.post(reverse("accounts:logout"))
    assert _last().action == Action.LOGOUT


def test_a_lockout_is_logged(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        client.post(
            reverse("accounts:login"), {"username": "zhang", "password": "wrong"}
        )
    assert AuditEntry.objects.filter(
        action=Action.LOCKED_OUT, actor_name="zhang", outcome="denied"
    ).exists()


def test_viewing_a_record_and_peeking_at_a_hidden_one(client, world):
    client.force_login(world.staff)
    client.get(world.own.get_absolute_url())
    viewed = _last()
    assert (viewed.action, viewed.target_label) == (
        Action.RECORD_VIEWED,
        world.own.number,
    )
    assert viewed.path == world.own.get_absolute_url()

    response = client.get(world.cs2_record.get_absolute_url())
    assert response.status_code == 404
    denied = _last()
    assert (denied.action, denied.outcome, denied.target_label) == (
        Action.DENIED,
        "denied",
        world.cs2_record.number,
    )


def test_prints_exports_and_refusals_are_logged_by_what_the_response_is(
    client, world, window
):
    client.force_login(world.archivist)
    client.get(reverse("lending:register-pdf", args=["viewing"]))
    printed = _last()
    assert printed.action == Action.PRINTED
    assert printed.details["file"].endswith(".pdf")

    client.get(reverse("reports:export", args=["catalogue", "csv"]))
    exported = _last()
    assert (exported.action, exported.details["view"]) == (
        Action.EXPORTED,
        "reports:export",
    )

    client.force_login(world.staff)
    response = client.get(reverse("lending:register", args=["viewing"]))
    assert response.status_code == 403
    assert (_last().action, _last().actor) == (Action.DENIED, world.staff)


def test_an_admin_change_is_a_setting_change(client, world):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    holiday = reverse("admin:lending_holiday_add")
    response = client.post(
        holiday, {"date": "2026-10-01", "name": "国庆节", "kind": "day_off"}
    )
    assert response.status_code == 302
    entry = _last()
    assert (entry.action, entry.details["model"]) == (
        Action.SETTING_CHANGED,
        "lending.holiday",
    )


def test_approvals_and_rejections_are_logged(world, window):
    request = ask(world.finance_clerk, [world.own], window)
    first, second = request.steps.all()
    step_decide(step_id=first.pk, actor=world.finance_head, approve=True)
    entry = _last()
    assert (entry.action, entry.actor, entry.target_label) == (
        Action.APPROVED,
        world.finance_head,
        request.reference,
    )
    step_decide(
        step_id=second.pk, actor=world.archive_head, approve=False, comment="不必"
    )
    entry = _last()
    assert (entry.action, entry.details["comment"]) == (Action.REJECTED, "不必")


def test_the_chain_is_intact_and_audit_verify_says_so(world):
    for n in range(5):
        services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own, n=n)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()
    assert chain.verify().checked == AuditEntry.objects.count()


def _linked(entries: list) -> list:
    """The entries as they are once the worker has linked them."""
    chain.link()
    return list(
        AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    )


def test_a_row_changed_in_the_database_is_named_by_audit_verify(world):
    entries = _linked(
        [
            services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
            for _n in range(4)
        ]
    )
    victim = entries[2]
    _tamper(
        "UPDATE audit_auditentry SET actor_name = %s WHERE id = %s",
        ["somebody_else", victim.pk],
    )
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert f"#{victim.pk}" in str(error.value)
    assert "changed after it was written" in str(error.value)


def test_a_deleted_row_breaks_the_link_of_the_next(world):
    entries = _linked(
        [
            services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
            for _n in range(4)
        ]
    )
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = chain.verify()
    assert (result.broken.entry_id, result.broken.reason) == (entries[2].pk, "unlinked")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_update_and_delete_whoever_asks(world):
    entry = services.log(Action.LOGIN, actor=world.staff)
    for sql in (
        "UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "zhang"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_writers_at_once_keep_one_chain(reference_data):
    people = [UserFactory(username=f"w{n}") for n in range(8)]
    errors = []

    def write(person):
        try:
            for _n in range(25):
                services.log(Action.RECORD_VIEWED, actor=person)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert chain.link() == 200
    result = chain.verify()
    assert result.ok and result.checked == 200


def test_an_entry_is_written_at_once_and_linked_by_the_worker(world):
    chain.link()  # what the world's making logged
    first = services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
    assert (first.seq, first.hash) == (None, None)  # written, not yet linked
    assert chain.verify().pending == 1
    call_command("audit_verify", stdout=io.StringIO())  # links first
    second = services.log(Action.PRINTED, actor=world.staff, target=world.own)
    assert chain.verify().pending == 1
    assert chain.link() == 1
    first, second = AuditEntry.objects.filter(pk__in=[first.pk, second.pk]).order_by(
        "pk"
    )
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    result = chain.verify()
    assert (result.ok, result.pending, result.head_id) == (True, 0, second.pk)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_late_commit_is_linked_after_the_entries_written_after_it(reference_data):
    """Its place in the chain is the order of linking; nothing is skipped."""
    person = UserFactory(username="late")
    started, written = threading.Event(), threading.Event()

    def slow_transaction():
        try:
            with transaction.atomic():
                services.log(Action.RECORD_VIEWED, actor=person, n="early")
                started.set()
                written.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    started.wait(10)
    services.log(Action.RECORD_VIEWED, actor=person, n="later")
    assert chain.link() == 1  # the uncommitted one waits
    written.set()
    thread.join()
    assert chain.link() == 1
    order = list(
        AuditEntry.objects.order_by("seq").values_list("details__n", flat=True)
    )
    assert order == ["later", "early"]
    assert chain.verify().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_reader_does_not_wait_for_the_chain(reference_data):
    """While the chain is locked (a link running), record views still log."""
    person = UserFactory(username="reader")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain._PG_LOCK_KEY])
            with connection.cursor() as mine:
                mine.execute("SET lock_timeout = '2s'")
            for _n in range(3):
                services.log(Action.RECORD_VIEWED, actor=person)
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert AuditEntry.objects.filter(actor=person).count() == 3
    assert chain.link() == 3


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_linking_is_the_one_change_postgresql_allows_and_only_once(world):
    entry = services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
    for sql in (
        "UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s",
        "UPDATE audit_auditentry SET seq = 99, prev_hash = 'a', hash = 'b',"
        " target_id = '0' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    chain.link()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditentry SET hash = repeat('0', 64) WHERE id = %s",
            [entry.pk],
        )
    assert chain.verify().ok


def test_the_auditor_reads_all_the_head_of_archives_only_their_department(
    client, world
):
    services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
    services.log(Action.RECORD_VIEWED, actor=world.archivist, target=world.own)
    url = reverse("audit:log")

    client.force_login(world.auditor)
    page = client.get(url, {"action": "record_viewed"})
    assert page.status_code == 200
    names = {e.actor_name for e in page.context["page"]}
    assert names == {"zhang", "li"}

    client.force_login(world.archive_head)
    page = client.get(url, {"action": "record_viewed"})
    assert {e.actor_name for e in page.context["page"]} == {"li"}

    for person in (world.staff, world.archivist, world.admin, world.executive):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_filters_and_the_csv_export_of_the_log(client, world):
    services.log(Action.RECORD_VIEWED, actor=world.staff, target=world.own)
    services.log(Action.LOGIN, actor=world.staff)
    client.force_login(world.auditor)
    page = client.get(
        reverse("audit:log"), {"person": "zha", "target": world.own.number}
    )
    assert [e.action for e in page.context["page"]] == [Action.RECORD_VIEWED]

    bad = client.get(
        reverse("audit:log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert bad.status_code == 400
    assert "The end comes before the start." in bad.content.decode()

    response = client.get(
        reverse("reports:export", args=["audit", "csv"]), {"person": "zhang"}
    )
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["#", "Time", "User name"]
    assert {r[4] for r in rows[1:]} == {"Record viewed", "Logged in"}
    assert _last().action == Action.EXPORTED  # the export itself is logged


def test_nobody_edits_the_log_through_the_admin_or_the_api(client, world):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    entry = services.log(Action.LOGIN, actor=world.staff)
    client.force_login(world.admin)
    assert client.get("/admin/audit/auditentry/").status_code == 404
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 404
    assert client.get(f"/api/v1/audit/{entry.pk}/").status_code == 404


def test_the_monthly_inspection_reports_a_broken_chain(world):
    entries = _linked(
        [services.log(Action.LOGIN, actor=world.staff) for _n in range(3)]
    )
    _tamper(
        "UPDATE audit_auditentry SET ip = %s WHERE id = %s", ["10.9.9.9", entries[1].pk]
    )
    run = check_request(kind=CheckRun.Kind.INSPECTION)
    summary = check_execute(run_id=run.pk)
    intact = AuditEntry.objects.filter(pk__lt=entries[1].pk).count()
    assert summary["audit_entries_verified"] == intact
    texts = [str(f) for f in run.findings.all()]
    assert any(f"#{entries[1].pk}" in text and "was changed" in text for text in texts)


def test_a_superuser_administrator_reads_no_records_and_no_log(client, world):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    services.log(Action.LOGIN, actor=world.staff)
    client.force_login(world.admin)
    assert client.get(world.own.get_absolute_url()).status_code == 404
    catalogue = client.get(reverse("archives:catalogue"))
    assert world.own.number not in catalogue.content.decode()
    assert client.get("/api/v1/records/").json()["count"] == 0
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get("/admin/archives/archiverecord/").status_code == 403
    assert client.get("/admin/lending/ownerrequest/").status_code == 403
    # Configuration stays theirs.
    assert client.get("/admin/archives/category/").status_code == 200


def test_entries_cut_from_the_end_are_found_by_the_next_inspection(world):
    for _n in range(3):
        services.log(Action.LOGIN, actor=world.staff)
    run = check_request(kind=CheckRun.Kind.INSPECTION)
    head = check_execute(run_id=run.pk)["audit_head"]
    assert head["id"] == AuditEntry.objects.order_by("-pk").first().pk
    _tamper("DELETE FROM audit_auditentry WHERE id >= %s", [head["id"] - 1])
    assert chain.verify().ok  # what is left still chains
    run = check_request(kind=CheckRun.Kind.INSPECTION)
    check_execute(run_id=run.pk)
    texts = [str(f) for f in run.findings.all()]
    assert any(
        f"#{head['id']}" in t and "entries were cut from the log" in t for t in texts
    )
