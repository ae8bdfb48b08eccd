"""Issue 21, item 5, in a real browser (zh-hans): the security administrator
logs in, sets up the authenticator app from the QR code, and reaches their
pages; the login page offers the forgotten-password link."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_security_administrator_sets_up_the_second_factor(
    browser, live_server, shoot, settings, db
):
    settings.ARCHIVE_2FA_ROLES = ["security_admin"]
    person = UserFactory(
        username="anquan", display_name="安全员", role="security_admin"
    )
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="忘记密码？")).to_be_visible()
    page.fill("#id_username", "anquan")
    page.fill("#id_password", "Archive-pass-2026")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="双重验证")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    expect(page.locator("body")).to_contain_text("扫描此二维码")
    shoot(page, "zh-hans-90-second-factor-set-up")
    assert re.fullmatch(r"[A-Z2-7]{32}", page.locator("code").inner_text())

    device = TOTPDevice.objects.get(user=person)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=6)
    page.fill("#id_code", f"{code:06d}")
    page.get_by_role("button", name="继续").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/sessions/")
    expect(page).to_have_url(re.compile(r"/accounts/sessions/$"))
    context.close()
