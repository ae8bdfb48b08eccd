"""The pages of issue 20 in English and Traditional Chinese (screenshots
beside the zh-hans ones): the annual report, the filing directory, the note
sheet, the hand-over batch, the owners' dossiers and the partners."""

import pytest
from playwright.sync_api import expect

from archives.services.customers import owner_save
from archives.services.records import records_submit
from tests.factories import RecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            {
                "annual": "Annual statistics report of the archive",
                "directory": "Filing directory",
                "note": "Note sheet",
                "batch": "Hand the batch over to the archive",
                "dossier": "Owner and property",
                "partners": "New partner organisation",
            },
        ),
        (
            "zh-hant",
            {
                "annual": "年度檔案統計年報",
                "directory": "歸檔文件目錄",
                "note": "備考表",
                "batch": "將批次移交檔案室",
                "dossier": "業主與房產",
                "partners": "新建合作單位",
            },
        ),
    ],
)
def test_the_pages_of_the_seeds_rules_read_whole(
    open_as, shoot, live_server, world, language, words
):
    world.cs1.batch_check = True
    world.cs1.save()
    record = RecordFactory(created_by=world.staff, title="客户来电咨询保修期")
    records_submit(actor=world.staff, records=[record])
    owner = owner_save(
        actor=world.archivist,
        owner=None,
        data={"code": "YZ-1", "name": "陈业主", "room": "3栋1201"},
    )
    url = live_server.url
    head = open_as(world.archive_head, language)
    head.goto(f"{url}/reports/annual/")
    expect(head.locator("h1")).to_contain_text(words["annual"])
    shoot(head, f"{language}-113-annual-report")
    head.goto(f"{url}/use/partners/")
    expect(head.locator("body")).to_contain_text(words["partners"])
    archivist = open_as(world.archivist, language)
    archivist.goto(f"{url}/directory/?year=2023&category={world.own.category_id}")
    expect(archivist.locator("h1")).to_contain_text(words["directory"])
    shoot(archivist, f"{language}-114-filing-directory")
    archivist.goto(f"{url}/storage/boxes/{world.own.box_id}/note/")
    expect(archivist.locator("h1")).to_contain_text(words["note"])
    archivist.goto(f"{url}/dossiers/{owner.pk}/")
    expect(archivist.locator("body")).to_contain_text(words["dossier"])
    shoot(archivist, f"{language}-115-owner-dossier")
    supervisor = open_as(world.supervisor, language)
    supervisor.goto(f"{url}{record.handover_item.batch.get_absolute_url()}")
    expect(supervisor.locator("body")).to_contain_text(words["batch"])
    shoot(supervisor, f"{language}-116-handover-batch")
