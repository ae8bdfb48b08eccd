"""Bad input on every page, one test per page (SPEC §13; issue 16, item 6).

Every POST page gets hostile values in every field of the application's forms
(``tests.test_bad_input`` says which) as a person allowed to use it, and is
posted to without a CSRF token; every page read by GET gets them as a query
string. None may answer 500, and a refused write leaves the database as it
was. One test per page, so a failure names its page and xdist shares them out;
the world they run in is made once per module and each test runs in a
savepoint of it.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.tokens import api_token_create
from tests.lending.test_permission_matrix import MATRIX as LENDING_MATRIX
from tests.lending.test_permission_matrix import build_objects
from tests.test_bad_input import NOT_WRITES
from tests.test_bad_input import _field_names
from tests.test_bad_input import _fields
from tests.test_bad_input import _payloads
from tests.test_bad_input import _refusals_that_changed_data
from tests.test_bad_input import _state
from tests.test_url_matrix import MATRIX as OWN_MATRIX
from tests.test_url_matrix import RETENTION_MATRIX
from tests.test_url_matrix import build_more_objects
from tests.test_url_matrix import build_retention_objects
from tests.world import build_world


def _pages(*, posted: bool) -> list:
    """(name, method, key, role) of every page one role may use: the pages
    that take a form (``posted``), or the pages read by GET."""
    pages = []
    for matrix in (LENDING_MATRIX, RETENTION_MATRIX, OWN_MATRIX):
        for name, (method, key, allowed) in matrix.items():
            people = sorted(allowed - {"anonymous"})
            if not people:
                continue
            # A page shown by GET often takes its form back by POST too.
            if posted and name in NOT_WRITES:
                continue
            if not posted and method != "get":
                continue
            pages.append(pytest.param(name, key, people[0], id=name))
    return pages


POST_PAGES = _pages(posted=True)
GET_PAGES = _pages(posted=False)


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker):
    """The world and its objects, made once for the module's page sweeps:
    each page's test runs inside a savepoint and leaves them as they were
    (as Django's ``setUpTestData``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            keys = {
                **build_objects(world),
                **build_more_objects(world, build_retention_objects(world)),
            }
            token, _key = api_token_create(actor=world.staff, name="呼叫中心")
            keys["token"] = [token.pk]
            keys["notice"] = ["loan_overdue"]
            keys["reset"] = ["MQ", "no-such-token"]
            yield world, keys
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _page(sweep, name, key, role):
    world, keys = sweep
    return reverse(name, args=keys[key] if key else []), getattr(world, role)


@pytest.mark.parametrize(("name", "key", "role"), POST_PAGES)
def test_hostile_values_in_every_field_of_every_post_page(db, sweep, name, key, role):
    url, person = _page(sweep, name, key, role)
    client = Client(raise_request_exception=False)
    assert len(_fields()) > 60  # the forms were found
    client.force_login(person)
    problems, accepted = _refusals_that_changed_data(
        client, name, url, per_request=False
    )
    if accepted:
        problems, _accepted = _refusals_that_changed_data(
            client, name, url, per_request=True
        )
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("name", "key", "role"), GET_PAGES)
def test_hostile_query_strings_on_every_page_that_reads_one(db, sweep, name, key, role):
    url, person = _page(sweep, name, key, role)
    client = Client(raise_request_exception=False)
    client.force_login(person)
    problems = []
    for label, data in _payloads():
        response = client.get(url, data)
        if response.status_code >= 500:
            problems.append(f"{name} with {label}: {response.status_code}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("name", "key", "role"), POST_PAGES)
def test_no_csrf_token_no_change(db, sweep, name, key, role):
    url, person = _page(sweep, name, key, role)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    before = _state()
    response = client.post(url, dict.fromkeys(_field_names(), "1"))
    assert response.status_code == 403, name
    assert _state() == before, name
