"""Login through the company's directory (issue 21, item 5), against a real
OpenLDAP server (Debian's slapd) the test starts on 127.0.0.1: accounts are
made at the first login, directory groups map to roles and an attribute to
the department, and the nightly sync disables whom the directory no longer
lets in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.directory import directory_sync
from accounts.directory_settings import DirectoryMisconfigured
from accounts.directory_settings import directory_settings
from accounts.directory_settings import role_groups
from accounts.models import User
from audit.models import AuditEntry
from tests import ldapserver
from tests.factories import UserFactory
from tests.ldapserver import PASSWORD
from tests.ldapserver import group_dn
from tests.ldapserver import person_dn

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def directory(tmp_path, settings):
    server = ldapserver.start(tmp_path / "slapd")
    env = {
        "ARCHIVE_LDAP_URI": server.uri,
        "ARCHIVE_LDAP_USER_BASE": ldapserver.PEOPLE,
        "ARCHIVE_LDAP_GROUP_BASE": ldapserver.GROUPS,
        "ARCHIVE_LDAP_REQUIRE_GROUP": group_dn("archive-users"),
        "ARCHIVE_LDAP_ROLES": ";".join(
            [
                f"cs_staff={group_dn('cs-staff')}",
                f"archivist={group_dn('archivists')}",
                f"cs_supervisor={group_dn('cs-supervisors')}",
            ]
        ),
    }
    for key, value in directory_settings(env).items():
        setattr(settings, key, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.directory.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend",
        "guardian.backends.ObjectPermissionBackend",
    ]
    yield server
    server.stop()


def _log_in(username: str, password: str = PASSWORD) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return client, response


def _roles(username: str) -> set[str]:
    return set(
        User.objects.get(username=username).groups.values_list("name", flat=True)
    )


def test_a_person_logs_in_with_the_directory_password_and_is_made_here(
    directory, world
):
    client, response = _log_in("zhangsan")
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(username="zhangsan")
    assert person.display_name == "张三"
    assert person.email == "zhangsan@example.com"
    assert person.department == world.cs1
    assert person.directory_dn == person_dn("zhangsan")
    assert not person.has_usable_password()  # the directory's password only
    assert _roles("zhangsan") == {"cs_staff"}
    assert client.get(reverse("archives:catalogue")).status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=person).exists()

    # A wrong password, and a person outside the archive's users, stay out.
    _client, wrong = _log_in("lisi", "not-the-password")
    assert wrong.status_code == 200 and not User.objects.filter(username="lisi")
    _client, outside = _log_in("wangwu")
    assert outside.status_code == 200
    assert "The user name or password is wrong" in outside.content.decode()
    assert not User.objects.filter(username="wangwu").exists()


def test_roles_follow_the_directory_and_the_sync_disables_who_left(directory):
    client, response = _log_in("lisi")
    assert response.status_code == 302
    assert _roles("lisi") == {"archivist", "cs_supervisor"}
    lisi = User.objects.get(username="lisi")
    lisi.groups.add(*[g for g in lisi.groups.model.objects.filter(name="auditor")])

    # The directory's administrator takes lisi out of the archivists.
    directory.modify(
        f"dn: {group_dn('archivists')}\nchangetype: modify\n"
        f"delete: member\nmember: {person_dn('lisi')}\n"
    )
    assert directory_sync() == {"checked": 1, "changed": 1, "disabled": 0}
    # The mapped role goes; the one the security administrator gave stays.
    assert _roles("lisi") == {"cs_supervisor", "auditor"}
    assert client.get(reverse("archives:home")).status_code == 200

    # lisi leaves the company's archive users: disabled that night, logged out.
    directory.modify(
        f"dn: {group_dn('archive-users')}\nchangetype: modify\n"
        f"delete: member\nmember: {person_dn('lisi')}\n"
    )
    assert directory_sync()["disabled"] == 1
    lisi.refresh_from_db()
    assert not lisi.is_active and lisi.directory_disabled
    assert client.get(reverse("archives:home")).status_code == 302  # to log in
    assert _log_in("lisi")[1].status_code == 200
    assert AuditEntry.objects.filter(
        action="access_changed", details__changes__startswith="disabled"
    ).exists()

    # Let in again by the directory: enabled again at the next login.
    directory.modify(
        f"dn: {group_dn('archive-users')}\nchangetype: modify\n"
        f"add: member\nmember: {person_dn('lisi')}\n"
    )
    assert _log_in("lisi")[1].status_code == 302
    lisi.refresh_from_db()
    assert lisi.is_active and not lisi.directory_disabled


def test_a_local_account_is_not_taken_over_by_the_directory(directory):
    local = UserFactory(username="zhangsan", role="admin")
    _client, response = _log_in("zhangsan")  # the directory's password
    assert response.status_code == 200
    local.refresh_from_db()
    assert local.directory_dn == "" and local.has_usable_password()
    _client, own = _log_in("zhangsan", "Archive-pass-2026")  # the local one
    assert own.status_code == 302


def test_the_administrators_are_never_mapped_from_the_directory():
    with pytest.raises(DirectoryMisconfigured, match="three administrators"):
        role_groups(f"security_admin={group_dn('it')}")
    with pytest.raises(DirectoryMisconfigured, match="not a role"):
        role_groups(f"boss={group_dn('it')}")
    assert directory_settings({})["ARCHIVE_LDAP_ENABLED"] is False
