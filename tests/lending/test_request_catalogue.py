"""Issue 19, item 1: people outside customer service find what to ask for —
a request catalogue that tells only what the rules allow, a request list
(cart), and a request by description that the archivist fills in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.services.approvals import step_decide
from lending.services.requests import access_request_create
from lending.services.requests import request_numbers_fill
from tests.world import _archived

Level = ArchiveRecord.Confidentiality


@pytest.fixture
def public(world):
    return _archived(
        filer=world.staff,
        archivist=world.archivist,
        box=world.own.box,
        title="服务承诺公示",
        confidentiality=Level.PUBLIC,
    )


def _rows(client, **params):
    page = client.get(reverse("lending:request-catalogue"), params)
    assert page.status_code == 200
    return {record.number: record for record in page.context["page"]}, page


def test_the_catalogue_lists_what_may_be_known_and_titles_of_public_records(
    client, world, public
):
    client.force_login(world.finance_clerk)
    # The main catalogue shows this person nothing...
    assert not client.get(reverse("archives:catalogue")).context["page"]
    rows, page = _rows(client)
    html = page.content.decode()
    # ...the request catalogue lists the internal and public records,
    assert {world.own.number, world.cs2_record.number, public.number} <= set(rows)
    # never the confidential one,
    assert world.confidential.number not in rows
    assert world.confidential.number not in html
    # and shows the title of the public record only.
    assert public.title in html
    assert world.own.title not in html and world.cs2_record.title not in html
    # Words are looked for in the titles shown only: an internal title's
    # words find nothing (they would tell what it is about).
    assert list(_rows(client, q="送货延迟")[0]) == []
    assert list(_rows(client, q="服务承诺")[0]) == [public.number]
    assert list(_rows(client, q="服務承諾")[0]) == [public.number]
    # A number, or its beginning, finds an internal record too.
    assert world.own.number in _rows(client, q=world.own.number)[0]
    dated = _rows(client, date_from="2099-01-01")[0]
    assert dated == {}


def test_the_request_list_then_one_request_for_it(client, world, public):
    client.force_login(world.finance_clerk)
    client.post(
        reverse("lending:cart-add"),
        {"record": [world.own.pk, public.pk, world.confidential.pk]},
    )
    cart = client.get(reverse("lending:cart"))
    assert [r.number for r in cart.context["records"]] == [
        world.own.number,
        public.number,
    ]
    # A confidential record slipped into the form is not added (nor told).
    assert world.confidential.number not in cart.content.decode()
    ask = cart.context["ask"]["viewing"]
    form = client.get(ask)
    assert form.context["form"].initial["numbers"] == (
        f"{world.own.number},{public.number}"
    )
    day = timezone.localdate() + datetime.timedelta(days=1)
    client.post(
        reverse("lending:request-create", args=["viewing"]),
        {
            "numbers": f"{world.own.number},{public.number}",
            "purpose": "核对",
            "starts_at": f"{day} 09:00",
            "ends_at": f"{day} 17:00",
        },
    )
    assert AccessRequest.objects.filter(requester=world.finance_clerk).exists()
    assert client.get(reverse("lending:cart")).context["records"] == []


def test_a_request_by_description_is_filled_in_by_the_archivist(client, world, window):
    request = access_request_create(
        requester=world.finance_clerk,
        kind="viewing",
        numbers="",
        description="华东机械 2023 年初关于送货延迟的投诉",
        purpose="核对赔付",
        starts_at=window[0],
        ends_at=window[1],
    )
    (step,) = request.steps.all()
    assert step.role == "archivist" and not request.items.exists()
    client.force_login(world.archivist)
    page = client.get(reverse("lending:request-detail", args=[request.pk]))
    assert page.context["can_fill"]
    assert "华东机械 2023 年初关于送货延迟的投诉" in page.content.decode()
    wrong = client.post(
        reverse("lending:step-fill", args=[step.pk]), {"numbers": "GT19990101001"}
    )
    assert wrong.status_code == 400
    assert "None of these can be given" in wrong.content.decode()
    client.post(
        reverse("lending:step-fill", args=[step.pk]), {"numbers": world.own.number}
    )
    request.refresh_from_db()
    assert [i.record for i in request.items.all()] == [world.own]
    steps = list(request.steps.order_by("position"))
    assert steps[0].decision == ApprovalStep.Decision.APPROVED
    # Kept as a code and worded for each reader (issue 19, item 17).
    assert steps[0].comment.startswith("§records_found")
    assert steps[0].comment_text == f"Records found: {world.own.number}"
    for language, words in (("zh-hans", "已查到档案"), ("en", "Records found")):
        detail = client.get(
            reverse("lending:request-detail", args=[request.pk]),
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
        assert f"{words}" in detail and world.own.number in detail
        assert "§records_found" not in detail
    # The chain for the record follows: the clerk's head, then the archive's.
    assert [s.role for s in steps[1:]] == ["dept_head", "archive_head"]
    assert request.status == AccessRequest.Status.PENDING
    step_decide(step_id=steps[1].pk, actor=world.finance_head, approve=True)
    step_decide(step_id=steps[2].pk, actor=world.archive_head, approve=True)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED


def test_numbers_or_a_description_is_needed(world, window):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="or describe the records"):
        access_request_create(
            requester=world.finance_clerk,
            kind="viewing",
            numbers="",
            purpose="核对",
            starts_at=window[0],
            ends_at=window[1],
        )
    request = access_request_create(
        requester=world.finance_clerk,
        kind="viewing",
        numbers=world.own.number,
        purpose="核对",
        starts_at=window[0],
        ends_at=window[1],
    )
    step = request.steps.first()
    from core.errors import ArchiveError

    with pytest.raises(ArchiveError, match="Only a request by description"):
        request_numbers_fill(
            step_id=step.pk, actor=world.finance_head, numbers=world.own.number
        )
