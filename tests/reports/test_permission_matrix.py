"""Every page of reports/ and every API operation × every role.

Like the archive's matrix (tests/lending/test_permission_matrix.py): the URLs
come from the URL configuration, so a new one without a row fails.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from reports.models import ExportJob
from reports.models import ImportJob
from reports.services.imports import import_upload
from reports.services.monthly import monthly_report_generate
from tests.factories import api_key
from tests.lending.test_permission_matrix import ALL
from tests.lending.test_permission_matrix import FILERS
from tests.lending.test_permission_matrix import PEOPLE
from tests.lending.test_permission_matrix import _names
from tests.lending.test_permission_matrix import _outcome
from tests.lending.test_permission_matrix import unexpected_outcomes

pytestmark = pytest.mark.django_db

STATISTICS = {"archivist", "archive_head", "auditor", "executive"}
# Bulk import: the archivist, the supervisors (their backlog) and the admin,
# who keeps customers (master data); not every filer (security issue, 12).
IMPORTERS = {"admin", "supervisor", "cs2_supervisor", "archivist"}
ARCHIVE_ROOMS = {"archivist", "archive_head", "auditor", "admin"}
CUSTOMER_READERS = ALL - {"front_desk", "executive"}

MATRIX = {
    "reports:dashboard": ("get", None, STATISTICS),
    "reports:monthly-list": ("get", None, STATISTICS),
    "reports:monthly-detail": ("get", "month", STATISTICS),
    "reports:monthly-pdf": ("get", "month", STATISTICS),
    "reports:monthly-xlsx": ("get", "month", STATISTICS),
    # The annual statistics report (issue 20, item 5).
    "reports:annual": ("get", None, STATISTICS),
    "reports:annual-pdf": ("get", "year", STATISTICS),
    "reports:annual-xlsx": ("get", "year", STATISTICS),
    "reports:export": ("get", "catalogue_csv", ALL),
    "reports:export-detail": ("get", "export", {"archivist"}),
    "reports:export-download": ("get", "export", {"archivist"}),
    # Only its owner, and only a job whose worker died (else a message).
    "reports:export-again": ("post", "export", {"archivist"}),
    "reports:import-list": ("get", None, IMPORTERS),
    "reports:import-detail": ("get", "import", {"supervisor"}),
    "reports:import-confirm": ("post", "import", {"supervisor"}),
    "reports:import-again": ("post", "import", {"supervisor"}),
    "reports:import-template": ("get", "records", ALL),
}
# The API, by token: (method, path, who is let in).
API = [
    ("get", "/api/v1/version/", ALL),
    ("get", "/api/v1/categories/", ALL),
    ("get", "/api/v1/customers/", CUSTOMER_READERS),
    ("get", "/api/v1/storerooms/", ARCHIVE_ROOMS),
    ("get", "/api/v1/boxes/", ARCHIVE_ROOMS),
    ("get", "/api/v1/records/", ALL),
    ("get", "/api/v1/requests/", ALL),
    ("get", "/api/v1/reports/monthly/", STATISTICS),
    ("get", "/api/v1/reports/statistics/", STATISTICS),
    ("get", f"/api/v1/reports/annual/{timezone.localdate().year}/", STATISTICS),
    ("get", "/api/schema/", ALL),
    ("get", "/api/docs/", ALL),
    ("get", "/api/redoc/", ALL),
    # Uploads in pieces (issue 18): whoever files records may begin one.
    ("post", "/api/v1/uploads/", FILERS),
]


def test_every_url_of_reports_is_in_the_matrix():
    names = {n for n in _names(get_resolver()) if n.split(":")[0] == "reports"}
    assert names - set(MATRIX) == set(), "add these URLs to the permission matrix"
    assert set(MATRIX) - names == set()


def test_each_role_gets_exactly_what_the_matrix_says(client, world):
    report = monthly_report_generate(month=world.own.date_formed)
    export = ExportJob.objects.create(
        kind="catalogue",
        created_by=world.archivist,
        status=ExportJob.Status.DONE,
        file_name="1-catalogue.xlsx",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        imported = import_upload(
            actor=world.supervisor,
            kind=ImportJob.Kind.RECORDS,
            upload=SimpleUploadedFile("a.csv", "类别,题名\r\nGT,x\r\n".encode()),
        )
    storages["exports"].save(export.file_name, ContentFile(b"PK"))
    args = {
        "month": [str(report)],
        "year": [timezone.localdate().year],
        "catalogue_csv": ["catalogue", "csv"],
        "export": [export.pk],
        "import": [imported.pk],
        "records": ["records"],
    }
    unexpected = unexpected_outcomes(client, world, MATRIX, args)
    for method, path, allowed in API:
        for who in PEOPLE:
            api = APIClient()
            if who != "anonymous":
                key = api_key(getattr(world, who))
                api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            got = _outcome(api, method, path)
            want = "allow" if who in allowed else "deny"
            if got != want:
                unexpected.append(f"{path} as {who}: {got}, expected {want}")
    assert unexpected == [], "\n".join(unexpected)
