"""``core.cache.kept``: values that never change under their key, kept in
the process in front of the shared cache (issue 22)."""

from django.core.cache import cache
from django.urls import reverse

from core.cache import kept


def test_a_kept_value_is_made_once_and_outlives_the_shared_copy():
    made = []

    def make():
        made.append(1)
        return {"archives.view_archiverecord"}

    assert kept("rights:test:1", make, 60) == {"archives.view_archiverecord"}
    cache.clear()  # the shared cache lost it (Redis restarted)
    assert kept("rights:test:1", make, 60) == {"archives.view_archiverecord"}
    assert len(made) == 1
    kept("rights:test:2", make, 60)  # another stamp: made again
    assert len(made) == 2


def test_a_role_given_shows_in_the_header_at_the_next_page(client, world):
    """The header is kept for what it is made of: a new role is a new
    rights stamp, so the menus of that role show at once."""
    from django.contrib.auth.models import Group

    client.force_login(world.staff)
    before = client.get(reverse("archives:catalogue")).content.decode()
    assert reverse("audit:log") not in before
    world.staff.groups.add(Group.objects.get(name="auditor"))
    after = client.get(reverse("archives:catalogue")).content.decode()
    assert reverse("audit:log") in after
