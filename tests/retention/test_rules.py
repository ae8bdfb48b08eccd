"""Retention rules (SPEC §5): every record shows its disposal date, and a rule
change recomputes the dates of the records it governs."""

import datetime

from archives.models import ArchiveRecord
from archives.models import Category
from archives.services.records import disposal_due
from core.history import reason_text
from retention.services.rules import retention_rule_update
from tests.factories import RecordFactory


def test_default_rules_follow_the_spec(db):
    rules = {
        c.code: (c.retention_kind, c.retention_years, c.retention_start)
        for c in Category.objects.filter(scheme="default")
    }
    assert rules == {
        "KH": ("long_term", None, "formed"),
        "GT": ("years", 3, "formed"),
        "TS": ("years", 3, "handled"),
        "PX": ("years", 3, "training"),
    }


def test_due_dates_by_category_and_flag(db):
    gt = RecordFactory.build(
        category=Category.objects.get(code="GT"), date_formed=datetime.date(2024, 2, 29)
    )
    assert disposal_due(gt) == datetime.date(2027, 2, 28)
    gt.involves_major_decision = True
    assert disposal_due(gt) is None, "a major decision or dispute is permanent"
    ts = RecordFactory.build(
        category=Category.objects.get(code="TS"), date_formed=datetime.date(2023, 5, 1)
    )
    assert disposal_due(ts) is None, "not handled yet: the clock has not started"
    ts.handled_on = datetime.date(2023, 6, 10)
    assert disposal_due(ts) == datetime.date(2026, 6, 10)
    kh = RecordFactory.build(
        category=Category.objects.get(code="KH"), date_formed=datetime.date(2001, 1, 1)
    )
    assert disposal_due(kh) is None


def test_contract_end_rule_of_the_annual_preset(db):
    from archives.services.categories import category_preset_load

    category_preset_load(name="annual")
    contracts = Category.objects.get(code="Y")
    assert contracts.retention_start == "contract_end"
    record = RecordFactory.build(
        category=contracts, date_formed=datetime.date(2023, 1, 1)
    )
    assert disposal_due(record) is None
    record.contract_ends_on = datetime.date(2025, 12, 31)
    assert disposal_due(record) == datetime.date(2030, 12, 31)


def test_changing_a_rule_recomputes_its_records_with_history(world):
    gt = Category.objects.get(code="GT")
    before = world.own.disposal_due_on
    assert before == datetime.date(2026, 1, 1)
    changed = retention_rule_update(
        actor=world.admin, category=gt, kind="years", years=5, start="formed"
    )
    world.own.refresh_from_db()
    assert world.own.disposal_due_on == datetime.date(2028, 1, 1)
    gt_records = ArchiveRecord.objects.filter(category=gt, number__isnull=False)
    assert changed == gt_records.count()
    latest = world.own.history.first()
    # Kept as a code, worded for the reader (issue 19, item 17).
    assert latest.history_change_reason == "§rule_changed"
    assert reason_text(latest.history_change_reason) == "Retention rule changed"
    assert latest.history_user == world.admin
    # Unchanged rule, nothing to write.
    assert (
        retention_rule_update(
            actor=world.admin, category=gt, kind="years", years=5, start="formed"
        )
        == 0
    )
    retention_rule_update(
        actor=world.admin, category=gt, kind="permanent", years=None, start="formed"
    )
    world.own.refresh_from_db()
    assert world.own.disposal_due_on is None


def test_the_rule_admin_recomputes_on_save(world, client):
    from django.contrib.auth.models import Permission

    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    gt = Category.objects.get(code="GT")
    url = f"/admin/retention/retentionrule/{gt.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"retention_kind": "years", "retention_years": 4, "retention_start": "formed"},
        follow=True,
    )
    assert response.status_code == 200
    world.own.refresh_from_db()
    assert world.own.disposal_due_on == datetime.date(2027, 1, 1)
    assert Permission.objects.filter(codename="change_retentionrule").exists()
