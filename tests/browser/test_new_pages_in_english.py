"""The pages of this change in English (screenshots beside the zh-hans
ones): complaints, the catalogue correction, related records, importing
people (the second factor in English: tests/accounts)."""

import pytest
from playwright.sync_api import expect

from retention.services.complaints import complaint_report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_the_new_pages_read_in_english(open_as, shoot, live_server, world):
    complaint = complaint_report(
        actor=world.front_desk,
        source="owner",
        topic="privacy",
        summary="查阅时旁人可看到我的资料",
        owner_name="黄业主",
        owner_contact="13812345678",
    )
    head = open_as(world.archive_head, "en")
    head.goto(f"{live_server.url}/retention/complaints/")
    expect(head.get_by_test_id("complaints")).to_contain_text(
        "Privacy or confidentiality"
    )
    head.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    expect(head.get_by_test_id("complaint")).to_contain_text("138****5678")
    expect(head.locator("body")).to_contain_text("Close with the answer")
    shoot(head, "en-92-complaint")

    archivist = open_as(world.archivist, "en")
    archivist.goto(f"{live_server.url}/records/{world.own.pk}/")
    expect(archivist.locator("body")).to_contain_text("Related records")
    archivist.get_by_role("link", name="Correct the catalogue").click()
    expect(archivist.locator("body")).to_contain_text("Reason for the correction")
    shoot(archivist, "en-95-correct-the-catalogue")

    admin = open_as(world.admin, "en")
    admin.goto(f"{live_server.url}/accounts/people/import/")
    expect(admin.locator("body")).to_contain_text("One line per person")
    shoot(admin, "en-91-people-import")
