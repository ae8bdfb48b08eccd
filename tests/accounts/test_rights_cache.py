"""A person's permission set cached between requests (issue 22), never
served after their roles or their roles' rights change."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.matrix import roles_sync
from accounts.models import User
from accounts.rights import rights_key

PAGE = "archives:record-choose-category"  # needs the filing right


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return [q["sql"] for q in ctx.captured_queries], response


def test_the_second_request_reads_no_permissions(client, world):
    client.force_login(world.staff)
    url = reverse(PAGE)
    first, _ = _queries(client, url)
    second, response = _queries(client, url)
    assert response.status_code == 200
    reads = [q for q in first if "auth_permission" in q or '"auth_group"' in q]
    assert reads, "the first request reads the permissions and roles"
    assert not [q for q in second if "auth_permission" in q or '"auth_group"' in q]


def test_a_role_taken_away_counts_at_the_next_request(client, world):
    client.force_login(world.staff)
    url = reverse(PAGE)
    assert client.get(url).status_code == 200
    stale = rights_key(User.objects.get(pk=world.staff.pk), "group")
    world.staff.groups.remove(Group.objects.get(name="cs_staff"))
    assert client.get(url).status_code == 403
    # The old set may still sit in the cache (a missed delete): it is under
    # a key nobody asks for any more.
    assert cache.get(stale) is not None
    assert rights_key(User.objects.get(pk=world.staff.pk), "group") != stale


def test_a_right_taken_from_a_role_counts_for_everyone_holding_it(client, world):
    client.force_login(world.staff)
    url = reverse(PAGE)
    assert client.get(url).status_code == 200
    group = Group.objects.get(name="cs_staff")
    right = Permission.objects.get(codename="add_archiverecord")
    group.permissions.remove(right)
    assert client.get(url).status_code == 403
    # The role matrix gives it back in bulk (no receivers run): it counts too.
    roles_sync()
    assert client.get(url).status_code == 200


def test_the_person_of_a_session_is_read_afresh_at_each_request(client, world):
    """Read by a statement written once (core.prepared): still the person
    as they are now — renamed, switched off, or gone."""
    client.force_login(world.staff, backend="accounts.rights.CachedModelBackend")
    url = reverse(PAGE)
    assert client.get(url).status_code == 200
    User.objects.filter(pk=world.staff.pk).update(display_name="王小明（调岗）")
    assert "王小明（调岗）" in client.get(url).content.decode()
    User.objects.filter(pk=world.staff.pk).update(is_active=False)
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.archivist, backend="accounts.rights.CachedModelBackend")
    session = client.session
    session["_auth_user_id"] = "0"
    session.save()
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
