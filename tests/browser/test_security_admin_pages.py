"""The pages of the security issue as people see them, in Chinese: one's own
API tokens, the banner while the task queue is down, a stopped check, and
the security administrator giving a role in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ApiToken
from accounts.roles import Role
from core import health
from retention.models import CheckRun
from retention.services.checks import check_request
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_person_makes_and_revokes_their_own_token(open_as, shoot, world):
    page = open_as(world.staff, "zh-hans")
    page.get_by_role("button", name=world.staff.display_name).click()
    page.get_by_role("link", name="接口令牌").click()
    page.fill("#id_name", "呼叫中心录音归档")
    page.fill("#id_days", "30")
    page.get_by_role("button", name="生成令牌").click()
    key = page.inner_text("[data-testid=new-key] code").strip()
    assert len(key) > 30
    assert "请立即复制密钥" in page.inner_text("body")
    shoot(page, "security-tokens-1-made")
    token = ApiToken.objects.get()
    assert token.prefix == key[:8] and token.key_hash != key
    page.reload()
    assert key not in page.content()
    page.get_by_role("button", name="吊销").click()
    assert "已吊销" in page.inner_text("[data-testid=tokens]")
    shoot(page, "security-tokens-2-revoked")


def test_the_banner_and_a_stopped_check_say_what_is_happening(
    open_as, shoot, world, settings
):
    settings.ARCHIVE_JOB_STALE_SECONDS = 60
    run = check_request(kind=CheckRun.Kind.INSPECTION)
    old = timezone.now() - datetime.timedelta(minutes=10)
    CheckRun.objects.filter(pk=run.pk).update(
        status=CheckRun.Status.RUNNING, started_at=old, heartbeat_at=old
    )
    page = open_as(world.archivist, "zh-hans")
    health.note_down("test", RuntimeError("Redis stopped by the test"))
    page.goto(page.url.rstrip("/") + run.get_absolute_url())
    banner = page.inner_text("[data-testid=background-delayed]")
    assert "后台任务（检查、导入、导出）暂时延迟" in banner
    assert "此检查已中断" in page.inner_text("[data-testid=check-stalled]")
    shoot(page, "security-check-stalled")
    page.get_by_role("link", name="检查", exact=True).last.click()
    expect(page.get_by_test_id("run-again")).to_be_visible()
    health.note_up()


def test_the_security_administrator_gives_a_role(open_as, shoot, world):
    secadmin = UserFactory(
        username="secadmin",
        display_name="安全保密员",
        role=Role.SECURITY_ADMIN,
        department=world.finance,
        is_staff=True,
    )
    page = open_as(secadmin, "zh-hans")
    page.goto(page.url.rstrip("/") + f"/admin/accounts/user/{world.staff2.pk}/change/")
    body = page.inner_text("body")
    assert "角色和权限" in body
    assert page.query_selector("[name=is_superuser]") is None
    head = Group.objects.get(name=Role.FRONT_DESK)
    page.select_option("#id_groups_from", value=str(head.pk))
    page.click("#id_groups_add")
    shoot(page, "security-admin-roles")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert world.staff2.groups.filter(name=Role.FRONT_DESK).exists()


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [("en", "API tokens", "Make the token"), ("zh-hant", "介面權杖", "生成權杖")],
)
def test_the_token_page_in_the_other_languages(
    open_as, shoot, world, language, heading, button
):
    page = open_as(world.staff, language)
    page.goto(page.url.rstrip("/") + "/accounts/tokens/")
    assert page.inner_text("h1") == heading
    page.fill("#id_name", "CRM")
    page.get_by_role("button", name=button).click()
    # The click posts the form; the key shows on the page the post answers with.
    expect(page.get_by_test_id("new-key")).to_be_visible()
    shoot(page, f"security-tokens-{language}")
