"""Issue 19, item 19: the 20 main pages in three languages pass axe-core
(WCAG 2.1 AA) with no serious or critical violation.

axe-core comes from the npm registry into tests/browser/node_modules
(``make deps``) and is injected by the test from disk, never from a CDN.
The page's own Content-Security-Policy forbids inline scripts, so the
browser context that runs axe bypasses it (the pages are unchanged).
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import ARGS  # noqa: F401  (the same Chromium)
from tests.browser.conftest import ARTIFACTS

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def _pages(w) -> list[tuple[str, str]]:
    """(who, path) of the 20 main pages, and the pages added since."""
    return [
        ("archivist", reverse("archives:home")),
        ("archivist", reverse("archives:catalogue") + "?q=客户"),
        ("archivist", reverse("archives:record-detail", args=[w.own.pk])),
        ("staff", reverse("archives:record-choose-category")),
        ("staff", reverse("archives:record-create", args=["GT"])),
        ("staff", reverse("archives:record-list-mine")),
        ("archivist", reverse("archives:review-queue")),
        ("archivist", reverse("archives:storeroom-list")),
        ("archivist", reverse("archives:box-detail", args=[w.own.box_id])),
        ("archivist", reverse("lending:desk")),
        ("archivist", reverse("lending:scan")),
        ("finance_clerk", reverse("lending:request-catalogue")),
        ("finance_clerk", reverse("lending:request-create", args=["viewing"])),
        ("finance_head", reverse("lending:approvals")),
        ("front_desk", reverse("lending:owner-list")),
        ("archive_head", reverse("retention:due-list")),
        ("archive_head", reverse("retention:check-list")),
        ("archive_head", reverse("reports:dashboard")),
        ("auditor", reverse("audit:log")),
        ("staff", reverse("accounts:notifications")),
        # Added since: the archivist's e-mail in (issue 18).
        ("archivist", reverse("archives:mail")),
        # And the seeds' remaining rules (issue 20).
        ("archive_head", reverse("reports:annual")),
        (
            "archivist",
            reverse("archives:directory") + f"?year=2023&category={w.own.category_id}",
        ),
        ("archivist", reverse("archives:box-note", args=[w.own.box_id])),
        ("archive_head", reverse("archives:record-reclassify", args=[w.own.pk])),
        ("supervisor", reverse("archives:batch-list")),
        ("front_desk", reverse("archives:dossier-list")),
        ("archive_head", reverse("lending:partner-list")),
    ]


def _login(browser, live_server, user, language):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Archive-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, world, language
):
    assert AXE.exists(), "axe-core is missing: run `make deps`."
    found = {}
    contexts = {}
    try:
        for who, path in _pages(world):
            if who not in contexts:
                contexts[who] = _login(
                    browser, live_server, getattr(world, who), language
                )
            _context, page = contexts[who]
            page.goto(f"{live_server.url}{path}")
            violations = _axe(page)
            if violations:
                found[path] = violations
        # The login page, before anyone logs in.
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        missing = []
        page.on(
            "response", lambda r: missing.append(r.url) if r.status == 404 else None
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.wait_for_load_state("networkidle")
        assert missing == []  # no favicon or other file asked for in vain
        if violations := _axe(page):
            found["/accounts/login/"] = violations
        context.close()
    finally:
        for context, _page in contexts.values():
            context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = ARTIFACTS / f"axe-{language}.json"
    report.write_text(json.dumps(found, ensure_ascii=False, indent=1))
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("width", [1280, 1366])
def test_the_archivists_menu_stays_on_one_line(
    browser, live_server, world, language, width
):
    """At 1280–1366 px the menu does not wrap and the language box is whole;
    the skip link is the first tab stop and leads to the content."""
    context, page = _login(browser, live_server, world.archivist, language)
    try:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/catalogue/")
        navbar = page.locator("nav.navbar").bounding_box()
        select = page.locator("nav.navbar select").bounding_box()
        page.screenshot(path=str(ARTIFACTS / f"menu-{language}-{width}.png"))
        assert navbar["height"] < 70, navbar
        assert select["x"] + select["width"] <= width, select
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className").startswith("skip-link")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()
