"""Every URL of the application × every role, anonymous included (SPEC §13).

The URL configuration is the list: a URL that no permission matrix names
fails ``test_every_url_is_in_a_matrix``. archives/ and lending/ are in
tests/lending/test_permission_matrix.py, reports/ and the API's lists in
tests/reports/test_permission_matrix.py; the rest is here: retention, the
audit log, a person's own pages, the API's detail routes, and the admin.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver
from django.urls import resolve
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from archives.models import ArchiveRecord
from lending.services.requests import access_request_create
from retention.models import CheckRun
from retention.services import appraisals as appraisal_services
from retention.services.checks import check_execute
from retention.services.checks import check_request
from retention.services.complaints import complaint_report
from retention.services.holds import hold_place
from retention.services.incidents import incident_open
from retention.services.storerooms import stocktake_scan
from tests.factories import RecordFactory
from tests.factories import api_key
from tests.lending.test_permission_matrix import ALL
from tests.lending.test_permission_matrix import MATRIX as LENDING_MATRIX
from tests.lending.test_permission_matrix import PEOPLE
from tests.lending.test_permission_matrix import _names
from tests.lending.test_permission_matrix import unexpected_outcomes
from tests.reports.test_permission_matrix import API as API_LISTS
from tests.reports.test_permission_matrix import MATRIX as REPORTS_MATRIX

ARCHIVE = {"archivist", "archive_head"}

MATRIX = {
    # Load balancers and monitoring ask without a login (issue 21).
    "healthz": ("get", None, ALL | {"anonymous"}),
    "readyz": ("get", None, ALL | {"anonymous"}),
    # Prometheus: the scraper's token, never a person's login.
    "metrics": ("get", None, set()),
    "set_language": ("post", None, ALL | {"anonymous"}),
    # A logged-in person is sent on to the home page.
    "accounts:login": ("get", None, ALL | {"anonymous"}),
    # Everyone, logged in or not, ends on the login page.
    "accounts:logout": ("post", None, set()),
    "accounts:notifications": ("get", None, ALL),
    "accounts:second-factor": ("get", None, ALL),
    "accounts:people-import": ("get", None, {"admin"}),
    "accounts:password-reset": ("get", None, ALL | {"anonymous"}),
    "accounts:password-reset-sent": ("get", None, ALL | {"anonymous"}),
    "accounts:password-reset-confirm": ("get", "reset", ALL | {"anonymous"}),
    "accounts:password-reset-done": ("get", None, ALL | {"anonymous"}),
    "accounts:password-change": ("get", None, ALL),
    "accounts:password-changed": ("get", None, ALL),
    "accounts:sessions": ("get", None, ALL),
    "accounts:tokens": ("get", None, ALL),
    # Only the token's owner revokes it here (staff's own token).
    "accounts:token-revoke": ("post", "token", {"staff"}),
    "audit:log": ("get", None, {"auditor", "archive_head"}),
    "accounts:notice-texts": ("get", None, {"archive_head"}),
    "accounts:pick-people": ("get", None, ALL),
    "accounts:notice-text-edit": ("get", "notice", {"archive_head"}),
}
APPRAISAL_VIEWERS = {"archive_head", "archivist", "auditor", "executive"}
INCIDENT_VIEWERS = {"archive_head", "archivist", "auditor"}
CHECK_VIEWERS = {"archive_head", "archivist", "auditor", "supervisor", "cs2_supervisor"}
# name: (method, object key, who is let in). A POST that needs a filled form
# answers those who may see the page with the form back (400); the service
# behind it refuses a valid one from anyone but the right person (tested in
# tests/retention). Nobody else gets the page at all.
RETENTION_MATRIX = {
    "retention:due-list": ("get", None, APPRAISAL_VIEWERS),
    "retention:appraisal-list": ("get", None, APPRAISAL_VIEWERS),
    "retention:appraisal-detail": ("get", "appraisal", APPRAISAL_VIEWERS),
    "retention:appraisal-add": ("post", "appraisal", APPRAISAL_VIEWERS),
    "retention:item-decide": ("post", "item", APPRAISAL_VIEWERS),
    "retention:appraisal-list-undecided": ("post", "appraisal", ARCHIVE),
    "retention:appraisal-submit": ("post", "appraisal", {"archive_head"}),
    "retention:appraisal-approve": ("post", "appraisal", {"executive"}),
    "retention:appraisal-reject": ("post", "appraisal", {"executive"}),
    "retention:appraisal-cancel": ("post", "appraisal", {"archive_head"}),
    "retention:appraisal-execute": ("post", "appraisal", APPRAISAL_VIEWERS),
    "retention:appraisal-confirm": ("post", "appraisal", APPRAISAL_VIEWERS),
    "retention:appraisal-list-pdf": ("get", "appraisal", APPRAISAL_VIEWERS),
    # Only a completed destruction has a certificate; this one is not.
    "retention:appraisal-certificate-pdf": ("get", "appraisal", set()),
    "retention:hold-list": ("get", None, INCIDENT_VIEWERS),
    "retention:hold-release": ("post", "hold", {"archive_head"}),
    "retention:complaint-list": ("get", None, ALL - {"admin"}),
    "retention:complaint-create": ("get", None, ALL - {"admin", "auditor"}),
    "retention:complaint-detail": (
        "get",
        "complaint",
        {"staff", "archive_head", "auditor"},
    ),
    "retention:complaint-contact": ("post", "complaint", {"archive_head"}),
    "retention:complaint-take": ("post", "complaint", {"archive_head"}),
    "retention:complaint-close": ("post", "complaint", {"archive_head"}),
    "retention:incident-list": ("get", None, INCIDENT_VIEWERS),
    "retention:incident-create": ("get", None, ARCHIVE),
    "retention:incident-detail": ("get", "incident", INCIDENT_VIEWERS),
    "retention:incident-action": ("post", "incident", INCIDENT_VIEWERS),
    "retention:incident-close": ("post", "incident", INCIDENT_VIEWERS),
    "retention:check-list": ("get", None, CHECK_VIEWERS),
    "retention:check-start": ("post", "inspection_kind", ARCHIVE),
    "retention:check-detail": ("get", "inspection", CHECK_VIEWERS),
    "retention:check-progress": ("get", "inspection", CHECK_VIEWERS),
    "retention:check-pdf": ("get", "inspection", CHECK_VIEWERS),
    "retention:check-finish": ("post", "inspection", ARCHIVE),
    "retention:facilities-record": ("post", "inspection", ARCHIVE),
    "retention:patrol-record": ("post", "patrol", ARCHIVE),
    "retention:stocktake": ("get", "stocktake", ARCHIVE),
    "retention:stocktake-scan": ("post", "stocktake", ARCHIVE),
    "retention:stocktake-unscan": ("post", "scan", {"archivist"}),  # their own scan
    "retention:stocktake-sheets": ("get", "stocktake", ARCHIVE),
}
# Pages that read which storeroom or box from the form or the query.
RETENTION_DATA = {
    "retention:facilities-record": lambda o: {"storeroom": o["storeroom_pk"]},
    "retention:stocktake-scan": lambda o: {"box": o["box_pk"], "code": "X"},
    "retention:stocktake-sheets": lambda o: {"storeroom": o["storeroom_pk"]},
}
CUSTOMER_READERS = ALL - {"front_desk", "executive"}
ARCHIVE_ROOMS = {"archivist", "archive_head", "auditor", "admin"}
STATISTICS = {"archivist", "archive_head", "auditor", "executive"}
OWN_RECORD = {"staff", "supervisor", "cs1_head", "archivist", "archive_head", "auditor"}
REQUEST_READERS = {
    "finance_clerk",
    "finance_head",
    "archivist",
    "archive_head",
    "auditor",
}
# The API's detail routes, by token: name: (method, object key, who).
API_DETAILS = {
    "api:category-detail": ("get", "category", ALL),
    "api:customer-detail": ("get", "customer", CUSTOMER_READERS),
    "api:storeroom-detail": ("get", "storeroom", ARCHIVE_ROOMS),
    "api:box-detail": ("get", "box", ARCHIVE_ROOMS),
    "api:record-detail": ("get", "record", OWN_RECORD),
    "api:record-by-number": ("get", "number", OWN_RECORD),
    "api:record-checks": ("get", "record", OWN_RECORD),
    "api:record-submit": ("post", "draft", {"staff"}),
    # An upload in pieces: only the one who began it sees it.
    "api:upload-detail": ("get", "upload", {"staff"}),
    # The requester, who signs it, and those who keep the registers.
    "api:request-detail": ("get", "request", REQUEST_READERS),
    "api:monthly-report-detail": ("get", "month", STATISTICS),
}


def test_every_url_is_in_a_matrix():
    covered = (
        set(LENDING_MATRIX)
        | set(REPORTS_MATRIX)
        | set(MATRIX)
        | set(RETENTION_MATRIX)
        | set(API_DETAILS)
        | {"api:api-root", *(_api_name(path) for _m, path, _w in API_LISTS)}
    )
    names = set(_names(get_resolver()))
    assert {n for n in names if not n.startswith("admin:")} - covered == set(), (
        "add these URLs to a permission matrix"
    )
    # The admin's pages are generated from its registry below; these are all.
    generated = {f"admin:{p}" for p in ADMIN_PAGES} | {
        "admin:app_list",
        "admin:view_on_site",
        "admin:autocomplete",
        "admin:logout",  # POST only; logging out is open to all
    }
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        generated |= {f"{prefix}_{page}" for page in PAGE_ACTION}
    generated.add("admin:auth_user_password_change")
    assert {n for n in names if n.startswith("admin:")} - generated == set()


def _api_name(path: str) -> str:
    return resolve(path).view_name


@pytest.fixture
def retention_objects(world):
    return build_retention_objects(world)


def build_retention_objects(w) -> dict:
    appraisal = appraisal_services.appraisal_open(
        actor=w.archive_head,
        title="到期档案鉴定",
        members=[w.supervisor, w.archivist],
        records=[w.other_own],
    )
    inspection = check_request(kind=CheckRun.Kind.INSPECTION)
    check_execute(run_id=inspection.pk)
    stocktake = check_request(kind=CheckRun.Kind.STOCKTAKE)
    check_execute(run_id=stocktake.pk)
    stocktake.refresh_from_db()
    scan = stocktake_scan(
        actor=w.archivist, run=stocktake, box=w.own.box, code=w.own.number
    )
    patrol = check_request(kind=CheckRun.Kind.PATROL)
    check_execute(run_id=patrol.pk)
    incident = incident_open(
        actor=w.archivist,
        kind="damp",
        summary="渗水",
        description="墙角渗水",
        records=[w.cs2_record],
        effect="damaged",
        told=[w.archive_head],
    )
    hold = hold_place(actor=w.archive_head, record=w.own, reason="诉讼")
    complaint = complaint_report(
        actor=w.staff, source="staff", topic="delay", summary="借阅审批太慢"
    )
    return {
        "complaint": [complaint.pk],
        "appraisal": [appraisal.pk],
        "item": [appraisal.pk, appraisal.items.get().pk],
        "inspection": [inspection.pk],
        "stocktake": [stocktake.pk],
        "scan": [stocktake.pk, scan.pk],
        "patrol": [patrol.pk],
        "inspection_kind": ["inspection"],
        "incident": [incident.pk],
        "hold": [hold.pk],
    }


@pytest.fixture
def more_objects(world, retention_objects):
    return build_more_objects(world, retention_objects)


def build_more_objects(w, retention_objects: dict) -> dict:
    from api.services import upload_begin
    from reports.services.monthly import monthly_report_generate

    draft = RecordFactory(created_by=w.staff)
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    monthly_report_generate(month=month.replace(day=1))
    box = w.own.box
    return {
        **retention_objects,
        "storeroom_pk": box.shelf.storeroom_id,
        "box_pk": box.pk,
        "category": [w.own.category.code],
        "customer": [w.own.customer.code],
        "storeroom_detail": [box.shelf.storeroom_id],
        "box_detail": [box.pk],
        "record": [w.own.pk],
        "number": [w.own.number],
        "draft": [draft.pk],
        "month": [month.strftime("%Y-%m")],
        "upload": [upload_begin(actor=w.staff, name="录音.mp3", size=10).pk],
    }


def _as(client, world, who):
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(world, who))


def test_retention_by_role(client, world, more_objects):
    unexpected = []
    for name, (method, key, allowed) in RETENTION_MATRIX.items():
        url = reverse(name, args=more_objects[key] if key else [])
        data = RETENTION_DATA.get(name, lambda o: {})(more_objects)
        for who in PEOPLE:
            _as(client, world, who)
            response = getattr(client, method)(url, data)
            got = _verdict(response)
            want = "allow" if who in allowed else "deny"
            if got != want:
                unexpected.append(f"{name} as {who}: {got} ({response.status_code})")
    assert unexpected == [], "\\n".join(unexpected)


def _verdict(response) -> str:
    status = response.status_code
    if status in (401, 403, 404, 405):
        return "deny"
    if status == 302 and "/login/" in response["Location"]:
        return "deny"
    assert status in (200, 201, 302, 400), status
    return "allow"


def test_own_pages_and_the_audit_log_by_role(client, world):
    from accounts.tokens import api_token_create

    token, _key = api_token_create(actor=world.staff, name="呼叫中心")
    unexpected = unexpected_outcomes(
        client,
        world,
        MATRIX,
        {
            "token": [token.pk],
            "notice": ["loan_overdue"],
            "reset": ["MQ", "no-such-token"],
        },
    )
    assert unexpected == [], "\\n".join(unexpected)


def test_api_detail_routes_by_role(world, more_objects):
    keys = {
        **more_objects,
        "storeroom": more_objects["storeroom_detail"],
        "box": more_objects["box_detail"],
    }
    start = timezone.now() + datetime.timedelta(hours=1)
    request = access_request_create(
        requester=world.finance_clerk,
        kind="viewing",
        numbers=world.other_own.number,
        purpose="核对",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    keys["request"] = [request.pk]
    unexpected = []
    for name, (method, key, allowed) in API_DETAILS.items():
        path = reverse(name, args=keys[key])
        for who in PEOPLE:
            api = APIClient()
            if who != "anonymous":
                key = api_key(getattr(world, who))
                api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            got = _verdict(getattr(api, method)(path))
            want = "allow" if who in allowed else "deny"
            if got != want:
                unexpected.append(f"{name} as {who}: {got}")
    assert unexpected == [], "\\n".join(unexpected)


# What the admin role may do in the admin (migrations' grants): configuration
# only. model: the actions let in; every other admin page is refused.
ADMIN_ROLE = {
    "accounts.user": {"view", "change", "add"},
    "accounts.department": {"view", "change", "add"},
    "auth.group": {"view"},
    "archives.category": {"view", "change", "add"},
    "archives.subcodedimension": {"view", "change", "add", "delete"},
    "archives.subcode": {"view", "change", "add"},
    "archives.numbersequence": {"view"},
    "archives.storeroom": {"view", "change", "add"},
    "archives.shelf": {"view", "change", "add"},
    "archives.box": {"view", "change", "add"},
    "archives.customer": {"view", "change", "add"},
    "archives.mailbox": {"view", "change", "add"},
    # When beat's work runs (core.beat, django-celery-beat).
    "django_celery_beat.periodictask": {"view", "change", "add"},
    "django_celery_beat.crontabschedule": {"view", "change", "add"},
    "django_celery_beat.intervalschedule": {"view", "change", "add"},
    "django_celery_beat.solarschedule": {"view", "change", "add"},
    "django_celery_beat.clockedschedule": {"view", "change", "add"},
    "archives.mailmessage": {"view"},
    "lending.approvalrule": {"view", "change", "add"},
    "lending.holiday": {"view", "change", "add", "delete"},
    "retention.retentionrule": {"view", "change"},
    "retention.facilityitem": {"view", "change", "add"},
}
ADMIN_PAGES = {"index", "jsi18n", "password_change", "password_change_done", "login"}
# The action each kind of model page needs.
PAGE_ACTION = {
    "changelist": "view",
    "change": "view",
    "history": "view",
    "simple_history": "view",
    "add": "add",
    "delete": "delete",
}


def _admin_urls():
    """(url, model label or page name, action) for every admin URL."""
    from django.urls import NoReverseMatch

    urls = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        for page, action in PAGE_ACTION.items():
            if page in ("changelist", "add"):
                args = []
            elif obj is None:
                continue
            elif page == "simple_history":
                past = (
                    obj.history.order_by("pk").first()
                    if hasattr(obj, "history")
                    else None
                )
                if past is None:
                    continue
                args = [obj.pk, past.history_id]
            else:
                args = [obj.pk]
            try:
                urls.append((reverse(f"{prefix}_{page}", args=args), label, action))
            except NoReverseMatch:
                continue
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        urls.append((reverse("admin:app_list", args=[app_label]), app_label, "app"))
    for page in ADMIN_PAGES:
        urls.append((reverse(f"admin:{page}"), page, "page"))
    records = ContentType.objects.get_for_model(ArchiveRecord)
    record = ArchiveRecord.objects.order_by("pk").first()
    urls += [
        # Redirects to the object's own page, which checks who asks.
        (
            reverse("admin:view_on_site", args=[records.pk, record.pk]),
            "r",
            "page",
        ),
        (
            reverse("admin:auth_user_password_change", args=[record.created_by_id]),
            "accounts.user",
            "change",
        ),
        # Without a model to search, refused to everyone.
        (reverse("admin:autocomplete"), "autocomplete", "none"),
    ]
    return urls


def _admin_verdict(response) -> str:
    status = response.status_code
    if status in (403, 404):
        return "deny"
    if status == 302 and "/admin/login/" in response["Location"]:
        return "deny"
    assert status in (200, 302), status
    return "allow"


def test_every_admin_page_by_role(client, world, more_objects):
    """Anonymous and every non-staff role are sent to the admin's login; the
    admin role reaches configuration only, never records or requests."""
    world.admin.is_staff = True
    world.admin.save()
    granted_apps = {label.split(".")[0] for label in ADMIN_ROLE}
    unexpected = []
    urls = _admin_urls()
    for url, subject, action in urls:
        if action == "page":
            admin_allowed = True
        elif action == "app":
            admin_allowed = subject in granted_apps
        else:
            admin_allowed = action in ADMIN_ROLE.get(subject, set())
        for who in ("anonymous", "archivist", "auditor", "archive_head", "admin"):
            _as(client, world, who)
            got = _admin_verdict(client.get(url))
            if subject == "login":
                want = "allow"  # the form itself, for anyone
            elif who == "admin":
                want = "allow" if admin_allowed else "deny"
            else:
                want = "deny"
            if got != want:
                unexpected.append(f"{url} as {who}: {got}")
    assert len(urls) > 100
    assert unexpected == [], "\n".join(unexpected)
