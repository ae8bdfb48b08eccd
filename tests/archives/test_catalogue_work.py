"""Issue 19, item 20: hits highlighted as one types, saved and shared
searches, and actions on the rows ticked."""

import csv
import io

from django.urls import reverse

from archives.models import SavedSearch
from tests.factories import BoxFactory


def test_the_words_searched_for_are_marked_in_either_script(client, world):
    client.force_login(world.archivist)
    page = client.get(reverse("archives:catalogue"), {"q": "送貨"}).content.decode()
    assert "客户投诉<mark>送货</mark>延迟" in page
    # A title is escaped before it is marked.
    world.own.title = "<b>送货</b>"
    world.own.save(update_fields=["title"])
    page = client.get(reverse("archives:catalogue"), {"q": "送货"}).content.decode()
    assert "&lt;b&gt;<mark>送货</mark>&lt;/b&gt;" in page
    # As one types, htmx asks for the same page and swaps the results in.
    typed = client.get(
        reverse("archives:catalogue"), {"q": "送"}, headers={"HX-Request": "true"}
    )
    assert 'id="catalogue-results"' in typed.content.decode()


def test_searches_are_saved_per_person_and_shared_by_the_head(client, world):
    client.force_login(world.staff)
    client.post(
        reverse("archives:search-save"),
        {"name": "我的投诉", "query": "q=投诉&after=xyz&bogus=1"},
    )
    mine = SavedSearch.objects.get(owner=world.staff)
    assert mine.query == "q=%E6%8A%95%E8%AF%89"  # the cursor and junk dropped
    refused = client.post(
        reverse("archives:search-save"),
        {"name": "全员", "query": "q=投诉", "shared": "on"},
    )
    assert refused.status_code == 403
    client.force_login(world.archive_head)
    client.post(
        reverse("archives:search-save"),
        {"name": "本月投诉", "query": "category=3", "shared": "on"},
    )
    client.force_login(world.staff2)
    page = client.get(reverse("archives:catalogue"))
    names = [s.name for s in page.context["saved_searches"]]
    assert names == ["本月投诉"]  # shared; not 张敏's own
    assert (
        client.post(reverse("archives:search-delete", args=[mine.pk])).status_code
        == 404
    )
    client.force_login(world.staff)
    client.post(reverse("archives:search-delete", args=[mine.pk]))
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()


def test_actions_on_the_rows_ticked(client, world):
    client.force_login(world.archivist)
    ticked = [world.own.pk, world.cs2_record.pk]
    export = client.post(
        reverse("archives:catalogue-selection"),
        {"record": ticked, "action": "export"},
    )
    csv_page = client.get(export.url)
    rows = list(
        csv.reader(
            io.StringIO(b"".join(csv_page.streaming_content).decode("utf-8-sig"))
        )
    )
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [world.own.number, world.cs2_record.number]
    )
    ask = client.post(
        reverse("archives:catalogue-selection"), {"record": ticked, "action": "ask"}
    )
    assert ask.url.startswith(reverse("lending:request-create", args=["viewing"]))
    assert world.own.number in ask.url
    box = BoxFactory(code="GT-2023-NEW")
    client.post(
        reverse("archives:catalogue-selection"),
        {"record": ticked, "action": "move", "to_box": box.code},
    )
    assert set(box.records.values_list("pk", flat=True)) == set(ticked)
    # A person who may not see a record cannot act on it by its id.
    client.force_login(world.staff2)
    nothing = client.post(
        reverse("archives:catalogue-selection"),
        {"record": [world.cs2_record.pk], "action": "ask"},
        follow=True,
    )
    assert "Tick the records first." in nothing.content.decode()


def test_customers_and_people_are_picked_by_searching(client, world):
    from tests.factories import CustomerFactory

    for n in range(40):
        CustomerFactory(name=f"普通客户{n:02d}")
    far = CustomerFactory(code="ZZZ999", name="華南物業管理有限公司")
    client.force_login(world.staff)
    page = client.get(reverse("archives:record-create", args=["GT"]))
    html = page.content.decode()
    assert 'data-testid="picker-customer"' in html
    assert html.count("普通客户") <= 30 and far.name not in html
    found = client.get(reverse("archives:pick-customers"), {"picker_q": "华南物业"})
    assert f'<option value="{far.pk}">' in found.content.decode()
    people = client.get(reverse("accounts:pick-people"), {"picker_q": "趙"})
    assert "赵静" in people.content.decode()
    # A customer not on the page is accepted when picked.
    form = page.context["form"]
    form.fields["customer"].clean(far.pk)


def test_records_ticked_go_into_an_open_appraisal(client, world):
    from retention.services.appraisals import appraisal_open

    appraisal = appraisal_open(
        actor=world.archive_head,
        title="2023 年到期档案鉴定",
        members=[world.archivist, world.archive_head],
        records=[],
    )
    client.force_login(world.archive_head)
    picked = client.post(
        reverse("archives:catalogue-selection"),
        {"record": [world.own.pk], "action": "appraise"},
        follow=True,
    )
    html = picked.content.decode()
    assert world.own.number in html and appraisal.reference in html
    link = f"{appraisal.get_absolute_url()}?numbers={world.own.number}"
    detail = client.get(link)
    assert detail.context["candidates_form"].initial["numbers"] == world.own.number


def test_the_appraisal_group_is_picked_by_searching_and_keeps_who_is_ticked(
    client, world
):
    """Issue 19, item 20: the group is chosen from everyone in the company,
    so the page carries a search and the ticked people, not a long list; a
    search sends the ticked ones along and lists them again, still ticked."""
    from accounts.models import User
    from tests.factories import UserFactory

    for n in range(50):
        UserFactory(username=f"clerk{n:02d}", display_name=f"职员{n:02d}")
    far = User.objects.get(pk=world.staff2.pk)  # 赵静, far down the list
    client.force_login(world.archive_head)
    html = client.get(reverse("retention:due-list")).content.decode()
    assert 'data-testid="picker-members"' in html
    assert html.count('name="members"') <= 30

    found = client.get(
        reverse("accounts:pick-people"),
        {"picker_q": "趙", "picker_name": "members", "members": [world.archivist.pk]},
    ).content.decode()
    # The one ticked before the search comes back ticked, then the match.
    assert found.index(str(world.archivist)) < found.index("赵静")
    assert (
        f'value="{world.archivist.pk}" id="pick-members-{world.archivist.pk}" checked'
        in found
    )
    assert f'value="{far.pk}" id="pick-members-{far.pk}">' in found

    # Refused for want of ticked records, the page keeps who was ticked.
    again = client.post(
        reverse("retention:due-list"),
        {"title": "鉴定", "members": [far.pk, world.archivist.pk]},
    )
    assert again.status_code == 400
    kept = again.content.decode()
    assert f'value="{far.pk}" id="pick-members-{far.pk}" checked' in kept


def test_the_bulk_accept_box_is_picked_by_searching(client, world):
    from django.utils import timezone

    from archives.models import ArchiveRecord
    from tests.factories import BoxFactory
    from tests.factories import RecordFactory

    RecordFactory(
        created_by=world.staff,
        status=ArchiveRecord.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    shelf = world.own.box.shelf if world.own.box_id else None
    boxes = [
        BoxFactory(code=f"GT-PK-{n:03d}", **({"shelf": shelf} if shelf else {}))
        for n in range(40)
    ]
    client.force_login(world.archivist)
    html = client.get(reverse("archives:review-queue")).content.decode()
    assert 'data-testid="picker-box"' in html
    assert html.count("GT-PK-") <= 30
    found = client.get(reverse("archives:pick-boxes"), {"picker_q": "PK-039"})
    text = found.content.decode()
    assert f'<option value="{boxes[-1].pk}">' in text and "GT-PK-038" not in text
