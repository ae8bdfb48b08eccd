import datetime

import pytest
from django.db import connection

from tests.factories import BoxFactory
from tests.factories import DepartmentFactory
from tests.factories import UserFactory

# The `world` and `window` fixtures (a company with one person per role).
pytest_plugins = ["tests.world"]


# Tests of a minute or more (a whole bench, the API fuzzing, the permission
# matrices, the accessibility of every page): started first, so that on
# several workers none of them is left running alone at the end.
SLOW_FIRST = (
    "tests/test_bench.py",
    "tests/api/test_schema_fuzz.py",
    "tests/lending/test_permission_matrix.py",
    "tests/security/test_request_leaks.py",
    "tests/browser/test_accessibility.py",
    "tests/retention/test_checks.py",
    "tests/test_url_matrix.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The slow first (``SLOW_FIRST``); tests marked postgres run only when
    the database is PostgreSQL.

    Before pytest-django's own ordering, which keeps it within its groups:
    the tests that empty the database after them (a live server's, a
    transactional one's) still run after those that need its reference
    data."""
    from django.conf import settings

    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def clamd():
    """The real virus scanner every upload goes through (tests/clamd.py)."""
    from django.conf import settings

    from tests import clamd as daemon

    process = daemon.start(settings.ARCHIVE_CLAMD_SOCKET)
    yield settings.ARCHIVE_CLAMD_SOCKET
    daemon.stop(process)


@pytest.fixture(scope="session", autouse=True)
def s3_bucket():
    """With ARCHIVE_TEST_S3_ENDPOINT (.ci/run's second pass of the file
    tests), the stores are this process's bucket on the local S3-compatible
    server: made here, emptied at the start of the session."""
    from django.conf import settings

    if not settings.TEST_S3_ENDPOINT:
        yield None
        return
    import boto3

    options = settings.ARCHIVE_S3_OPTIONS
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    bucket = settings.TEST_S3_BUCKET
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        for item in listed:
            client.delete_object(Bucket=bucket, Key=item["Key"])
    yield bucket


@pytest.fixture
def cs_department(db):
    return DepartmentFactory(code="CS1", name="客服一部")


@pytest.fixture
def staff(cs_department):
    return UserFactory(
        username="zhang", display_name="张敏", role="cs_staff", department=cs_department
    )


@pytest.fixture
def archivist(db):
    archive = DepartmentFactory(code="ARC", name="档案室", kind="archive")
    return UserFactory(
        username="li", display_name="李档案", role="archivist", department=archive
    )


@pytest.fixture
def gt_box(db):
    return BoxFactory(code="GT-2023-001")


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def yesterday(today):
    return today - datetime.timedelta(days=1)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def reference_data(transactional_db):
    """Roles, permissions and default categories for tests that flush tables.

    A transactional test empties every table when it ends, including what the
    data migrations wrote: the roles get the role matrix again
    (``accounts.matrix``, as after migrate), and the reference data is
    written again with its migrations' own code.
    """
    from importlib import import_module

    from django.apps import apps

    from accounts.matrix import roles_sync

    categories = import_module("archives.migrations.0002_default_categories")
    names = import_module("archives.migrations.0011_translated_names")
    rules = import_module("lending.migrations.0002_default_rules")
    facilities = import_module("retention.migrations.0004_appraisal_roles")
    roles_sync()
    categories.create_categories(apps, None)
    names.english_names(apps, None)
    rules.create_rules(apps, None)
    facilities.forward(apps, None)  # the facility checklist (and grants again)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (badges, form tokens), and with
    Redis taken to be up (core.health), no notice wording remembered, and a
    worker's heartbeat just written, as beat has a worker do every minute
    (core.readiness; tests/test_readiness.py ages it)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.cache import caches
    from django.utils import translation

    from accounts.notifications import overrides_changed
    from core import health
    from core.readiness import worker_heartbeat

    # A page read in another language earlier in this thread leaves it active.
    translation.activate(settings.LANGUAGE_CODE)
    health.note_up()
    cache.clear()
    caches["local"].clear()
    worker_heartbeat()
    overrides_changed()
    yield
