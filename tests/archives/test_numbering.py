"""The number pattern language and the numbers records get at acceptance."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from archives.models import ArchiveRecord
from archives.models import NumberSequence
from archives.numbering import format_number
from archives.numbering import parse_pattern
from archives.numbering import render_prefix
from archives.numbering import validate_pattern
from archives.services.numbering import number_preview
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests.factories import BoxFactory
from tests.factories import RecordFactory

DAY = datetime.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("pattern", "codes", "date", "expected"),
    [
        ("KH{industry}{seq:3}", {"industry": "ZZ"}, DAY, "KHZZ001"),
        ("GT{YYYYMMDD}{seq:3}", {}, DAY, "GT20230101001"),
        (
            "TS{nature}{status}{seq:3}",
            {"nature": "ZL", "status": "YY"},
            DAY,
            "TSZLYY001",
        ),
        ("PX{YYYYMM}{seq:3}", {}, datetime.date(2022, 10, 5), "PX202210001"),
        ("J{YYYY}{seq:3}", {}, DAY, "J2023001"),
        ("Y{YYYY}{contract}{seq:3}", {"contract": "销售合同"}, DAY, "Y2023销售合同001"),
    ],
)
def test_patterns_render_the_numbers_of_the_regulations(pattern, codes, date, expected):
    parts = parse_pattern(pattern)
    prefix = render_prefix(parts, date_formed=date, subcodes=codes)
    assert format_number(prefix, 1, 3) == expected


def test_sequence_widens_past_999_instead_of_wrapping():
    assert format_number("GT20230101", 999, 3) == "GT20230101999"
    assert format_number("GT20230101", 1000, 3) == "GT202301011000"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("KH{industry}", "exactly one {seq:N}"),
        ("KH{seq:3}{seq:3}", "exactly one {seq:N}"),
        ("KH{seq:3}{industry}", "must come last"),
        ("KH{colour}{seq:3}", "neither a date token nor a sub-code"),
        ("{YYYY}{seq:3}", "must start with letters"),
        ("KH1{seq:3}", "ends in a digit"),
        ("KH{Bad Token}{seq:3}", "Unknown token"),
        ("KH{seq:0}", "between 1 and 9"),
        ("KH{industry{seq:3}", "unmatched brace"),
    ],
)
def test_patterns_that_cannot_give_unique_numbers_are_refused(pattern, message):
    with pytest.raises(ValidationError) as refused:
        validate_pattern(pattern, dimension_keys={"industry"})
    assert message in refused.value.messages[0]


def test_a_second_pattern_for_the_same_letters_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_pattern(
            "GT{YYYYMM}{seq:3}",
            dimension_keys=set(),
            other_patterns={"GT": "GT{YYYYMMDD}{seq:3}"},
        )
    assert "Category GT already numbers" in refused.value.messages[0]


def test_a_subcode_ending_in_a_digit_may_not_stand_before_the_sequence():
    with pytest.raises(ValidationError, match="ends in a digit"):
        validate_pattern(
            "KH{industry}{seq:3}",
            dimension_keys={"industry"},
            digit_ending_dimensions={"industry"},
        )


def _submitted(staff, **kwargs):
    record = RecordFactory(created_by=staff, **kwargs)
    records_submit(actor=staff, records=[record])
    return record


def test_accepted_records_get_consecutive_numbers_per_day(staff, archivist, gt_box):
    first = _submitted(staff)
    second = _submitted(staff)
    other_day = _submitted(staff, date_formed=datetime.date(2023, 1, 2))
    for record in (first, second, other_day):
        record_accept(actor=archivist, record=record, box=gt_box)
    numbers = list(
        ArchiveRecord.objects.order_by("pk").values_list("number", flat=True)
    )
    assert numbers == ["GT20230101001", "GT20230101002", "GT20230102001"]


def test_number_preview_shows_the_next_number_without_taking_it(
    staff, archivist, gt_box
):
    record = _submitted(staff)
    assert number_preview(record=record) == "GT20230101001"
    assert number_preview(record=record) == "GT20230101001"
    assert not NumberSequence.objects.exists()
    record_accept(actor=archivist, record=record, box=gt_box)
    assert number_preview(record=_submitted(staff)) == "GT20230101002"


def test_catalogue_orders_by_numeric_sequence_not_string(staff, archivist):
    box = BoxFactory(capacity=2000)
    NumberSequence.objects.create(prefix="GT20230101", last_value=998)
    for _ in range(3):
        record_accept(actor=archivist, record=_submitted(staff), box=box)
    numbers = list(
        ArchiveRecord.objects.order_by("number_prefix", "sequence_number").values_list(
            "number", flat=True
        )
    )
    assert numbers == ["GT20230101999", "GT202301011000", "GT202301011001"]
    assert sorted(numbers) != numbers  # string order would be wrong


def test_a_rolled_back_acceptance_leaves_no_gap(staff, archivist, gt_box):
    good = _submitted(staff)
    bad = _submitted(staff)
    wrong_box = BoxFactory(category=good.category.__class__.objects.get(code="KH"))
    with pytest.raises(ValidationError, match=r"Box BOX-\d+ holds KH records"):
        record_accept(actor=archivist, record=bad, box=wrong_box)
    record_accept(actor=archivist, record=good, box=gt_box)
    good.refresh_from_db()
    assert good.number == "GT20230101001"
