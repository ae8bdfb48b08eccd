import datetime

import pytest
from django.db import connection

from tests.factories import BoxFactory
from tests.factories import DepartmentFactory
from tests.factories import UserFactory

# The `world` and `window` fixtures (a company with one person per role).
pytest_plugins = ["tests.world"]


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres run only when the database is PostgreSQL."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


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
    data migrations wrote; this writes it again with the migrations' own code.
    """
    from importlib import import_module

    from django.apps import apps

    roles = import_module("accounts.migrations.0002_roles")
    categories = import_module("archives.migrations.0002_default_categories")
    grants = import_module("archives.migrations.0003_role_permissions")
    rules = import_module("lending.migrations.0002_default_rules")
    lending_grants = import_module("lending.migrations.0003_role_permissions")
    retention_grants = import_module("retention.migrations.0002_role_permissions")
    appraisal_roles = import_module("retention.migrations.0004_appraisal_roles")
    report_grants = import_module("reports.migrations.0002_role_permissions")
    audit_grants = import_module("audit.migrations.0003_role_permissions")
    administrators = import_module("accounts.migrations.0009_three_administrators")
    import_grants = import_module("reports.migrations.0004_import_bulk_grants")
    reveal_grants = [
        import_module("archives.migrations.0007_reveal_grants"),
        import_module("lending.migrations.0006_reveal_grants"),
    ]
    roles.create_roles(apps, None)
    categories.create_categories(apps, None)
    grants.grant(apps, None)
    rules.create_rules(apps, None)
    lending_grants.grant(apps, None)
    retention_grants.grant(apps, None)
    appraisal_roles.forward(apps, None)
    report_grants.grant(apps, None)
    audit_grants.grant(apps, None)
    for module in reveal_grants:
        module.grant(apps, None)
    administrators.forward(apps, None)
    import_grants.grant(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (badges, form tokens), and with
    Redis taken to be up (core.health)."""
    from django.core.cache import cache

    from core import health

    health.note_up()
    cache.clear()
    yield
