"""The content security policy holds on real pages, and the security pages
(audit log, active sessions, an owner's identity revealed) look right."""

import pytest
from django.urls import reverse

from audit import services as audit
from lending.services import owners as owner_services
from retention.models import CheckRun
from retention.services.checks import check_execute
from retention.services.checks import check_request
from tests.lending.test_owners import owner_data

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _violations(page, live_server, paths) -> list[str]:
    page.add_init_script(WATCH)
    found = []
    console = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 400, (path, response.status)
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
        found += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return found + console


def test_pages_keep_to_the_content_security_policy(open_as, live_server, world):
    run = check_request(kind=CheckRun.Kind.INSPECTION)
    check_execute(run_id=run.pk)
    page = open_as(world.archivist, "zh-hans")
    paths = [
        reverse("archives:home"),
        reverse("archives:catalogue"),
        world.own.get_absolute_url(),
        reverse("archives:review-queue"),
        reverse("lending:desk"),
        reverse("reports:dashboard"),
        reverse("retention:due-list"),
        reverse("retention:check-list"),
        reverse("retention:check-detail", args=[run.pk]),
        reverse("accounts:sessions"),
        reverse("api:docs"),
    ]
    assert _violations(page, live_server, paths) == []


def test_the_audit_log_and_sessions_pages(open_as, live_server, world, shoot):
    audit.log(audit.Action.RECORD_VIEWED, actor=world.archivist, target=world.own)
    page = open_as(world.archive_head, "zh-hans")
    page.goto(f"{live_server.url}{reverse('audit:log')}")
    table = page.get_by_test_id("audit-log")
    assert world.own.number in table.inner_text()
    assert _violations(page, live_server, [reverse("audit:log")]) == []
    shoot(page, "audit-log-zh-hans")
    page.goto(f"{live_server.url}{reverse('accounts:sessions')}")
    assert "此浏览器" in page.get_by_test_id("sessions").inner_text()
    shoot(page, "sessions-zh-hans")


def test_the_front_desk_reveals_an_id_and_it_is_logged(
    open_as, live_server, world, shoot
):
    owner = owner_services.owner_request_register(
        actor=world.front_desk, data=owner_data()
    )
    page = open_as(world.front_desk, "zh-hans")
    page.goto(f"{live_server.url}{owner.get_absolute_url()}")
    masked = page.get_by_test_id("owner-id").inner_text()
    assert "*" in masked
    page.get_by_test_id("reveal").click()
    page.wait_for_selector("text=审计日志")
    full = page.get_by_test_id("owner-id").inner_text()
    shoot(page, "owner-identity-revealed-zh-hans")
    assert "*" not in full and full != masked
    assert audit.AuditEntry.objects.filter(
        action="personal_data_shown", actor=world.front_desk
    ).exists()
