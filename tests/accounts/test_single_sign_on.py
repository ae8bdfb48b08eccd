"""Login through the company's single sign-on (issue 21, item 5): OpenID
Connect's code flow against a provider served over real HTTP on 127.0.0.1,
ID tokens signed and checked against its JWKS."""

from __future__ import annotations

import pytest
import requests
from django.test import Client

from accounts.directory_settings import single_sign_on_settings
from accounts.models import User
from tests.factories import UserFactory
from tests.oidcserver import Provider

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def provider(settings):
    server = Provider()
    env = {
        **server.env(),
        "ARCHIVE_OIDC_ROLES": "archivist=archive-archivists;cs_staff=cs",
        "ARCHIVE_OIDC_REQUIRE_GROUP": "archive-users",
    }
    for key, value in single_sign_on_settings(env).items():
        setattr(settings, key, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.sso.SingleSignOnBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.ROOT_URLCONF = "tests.oidc_urls"
    yield server
    server.stop()


def _sign_on(client: Client, provider: Provider, person: dict):
    provider.next_person = person
    login = client.get("/accounts/login/").content.decode()
    assert 'data-testid="single-sign-on"' in login
    start = client.get("/oidc/authenticate/")
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = at_provider.headers["Location"].removeprefix("http://testserver")
    return client.get(back)


PERSON = {
    "sub": "e-1024",
    "preferred_username": "qianjiu",
    "name": "钱九",
    "email": "qianjiu@example.com",
    "department": "CS2",
    "groups": ["archive-users", "cs"],
}


def test_a_person_signs_on_and_is_made_with_the_providers_roles(provider, world):
    client = Client()
    done = _sign_on(client, provider, PERSON)
    assert done.status_code == 302 and done["Location"] == "/"
    person = User.objects.get(username="qianjiu")
    assert (person.display_name, person.department) == ("钱九", world.cs2)
    assert set(person.groups.values_list("name", flat=True)) == {"cs_staff"}
    assert not person.has_usable_password()
    assert client.get("/catalogue/").status_code == 200

    # Moved to the archive at the provider: the roles follow at the next login.
    moved = {**PERSON, "groups": ["archive-users", "archive-archivists"]}
    assert _sign_on(Client(), provider, moved).status_code == 302
    assert set(person.groups.values_list("name", flat=True)) == {"archivist"}
    assert User.objects.filter(username="qianjiu").count() == 1


def test_outside_the_required_group_or_a_local_name_gets_no_entry(provider):
    outside = {**PERSON, "groups": ["cs"]}
    refused = _sign_on(Client(), provider, outside)
    assert refused["Location"] == "/accounts/login/?sso=refused"
    assert not User.objects.filter(username="qianjiu").exists()
    page = Client().get(refused["Location"]).content.decode()
    assert "The single sign-on did not let you in here" in page

    UserFactory(username="qianjiu", role="admin")  # a local account
    taken = _sign_on(Client(), provider, PERSON)
    assert taken["Location"] == "/accounts/login/?sso=refused"
    assert User.objects.get(username="qianjiu").directory_dn == ""
