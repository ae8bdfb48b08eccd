"""The three administrators (三员分立, security issue item 6): the system
administrator keeps accounts, the security administrator gives roles, the
security auditor reads what both did; nobody raises themself; no page sets
the superuser flag; every change of access is logged with before and after."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def three(world):
    people = {}
    for username, role in (
        ("sysadmin", Role.ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("secaudit", Role.SECURITY_AUDITOR),
    ):
        people[role] = UserFactory(
            username=username, role=role, department=world.finance, is_staff=True
        )
    return people


def _form_data(client, url) -> dict:
    """What the admin's change form would send back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return data


def _catalogue_rows(client) -> int:
    return len(client.get(reverse("archives:catalogue")).context["page"])


def test_the_system_administrator_cannot_raise_itself(client, world, three):
    sysadmin = three[Role.ADMIN]
    client.force_login(sysadmin)
    assert _catalogue_rows(client) == 0
    url = reverse("admin:accounts_user_change", args=[sysadmin.pk])
    page = client.get(url).content.decode()
    assert 'name="groups"' not in page
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    data = _form_data(client, url)
    head = Group.objects.get(name=Role.ARCHIVE_HEAD)
    data.update(
        {
            "groups": [head.pk],
            "is_superuser": "on",
            "is_staff": "on",
            "display_name": "我",
        }
    )
    assert client.post(url, data).status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.display_name == "我"  # its own account it may keep
    assert not sysadmin.is_superuser
    assert not sysadmin.groups.filter(name=Role.ARCHIVE_HEAD).exists()
    assert _catalogue_rows(client) == 0


def test_the_system_administrator_gives_nobody_a_role(client, world, three):
    client.force_login(three[Role.ADMIN])
    url = reverse("admin:accounts_user_change", args=[world.staff2.pk])
    data = _form_data(client, url)
    head = Group.objects.get(name=Role.ARCHIVE_HEAD)
    data.update({"groups": [head.pk], "display_name": "赵静（调岗）"})
    assert client.post(url, data).status_code == 302
    world.staff2.refresh_from_db()
    assert world.staff2.display_name == "赵静（调岗）"
    assert not world.staff2.groups.filter(name=Role.ARCHIVE_HEAD).exists()


def test_the_security_administrator_assigns_roles_and_the_log_says_before_and_after(
    client, world, three
):
    secadmin = three[Role.SECURITY_ADMIN]
    client.force_login(secadmin)
    assert _catalogue_rows(client) == 0
    url = reverse("admin:accounts_user_change", args=[world.staff2.pk])
    data = _form_data(client, url)
    head = Group.objects.get(name=Role.ARCHIVE_HEAD)
    data["groups"] = [*data.get("groups", []), head.pk]
    data["display_name"] = "改名"  # not its business: ignored
    assert client.post(url, data).status_code == 302
    world.staff2.refresh_from_db()
    assert world.staff2.groups.filter(name=Role.ARCHIVE_HEAD).exists()
    assert world.staff2.display_name == "赵静"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS_CHANGED).get()
    assert entry.actor == secadmin
    assert entry.target_id == str(world.staff2.pk)
    before, after = entry.details["changes"]["groups"]
    assert before == ["cs_staff"]
    assert after == ["archive_head", "cs_staff"]
    # Its own roles it cannot touch.
    own = reverse("admin:accounts_user_change", args=[secadmin.pk])
    data = _form_data(client, own)
    data["groups"] = [head.pk]
    client.post(own, data)
    assert not secadmin.groups.filter(name=Role.ARCHIVE_HEAD).exists()


def test_no_page_offers_the_superuser_flag(client, world, three):
    world.archive_head.is_staff = True
    world.archive_head.is_superuser = True
    world.archive_head.save()
    for person in [*three.values(), world.archive_head]:
        client.force_login(person)
        for url in (
            reverse("admin:accounts_user_change", args=[world.staff.pk]),
            reverse("admin:accounts_user_change", args=[person.pk]),
            reverse("admin:accounts_user_add"),
        ):
            response = client.get(url)
            if response.status_code == 200:
                assert 'name="is_superuser"' not in response.content.decode(), url


def test_the_security_auditor_reads_what_the_administrators_did_and_no_record(
    client, world, three
):
    client.force_login(three[Role.SECURITY_ADMIN])
    url = reverse("admin:accounts_user_change", args=[world.staff2.pk])
    data = _form_data(client, url)
    data["groups"] = [Group.objects.get(name=Role.FRONT_DESK).pk]
    client.post(url, data)
    client.force_login(three[Role.ADMIN])
    department = reverse("admin:accounts_department_change", args=[world.cs2.pk])
    data = _form_data(client, department)
    data["name"] = "客服二部（华南）"
    assert client.post(department, data).status_code == 302
    client.force_login(three[Role.SECURITY_AUDITOR])
    assert _catalogue_rows(client) == 0
    assert (
        client.get(reverse("archives:record-detail", args=[world.own.pk])).status_code
        == 404
    )
    log = client.get(reverse("audit:log")).content.decode()
    assert "secadmin" in log and "sysadmin" in log
    setting = AuditEntry.objects.filter(action=AuditEntry.Action.SETTING_CHANGED).get()
    assert setting.details["changes"]["name"] == ["客服二部", "客服二部（华南）"]
    assert setting.target_label == "客服二部（华南）"


def test_the_first_run_makes_the_three_administrators_once(db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from accounts.models import User

    out = StringIO()
    names = ["--system", "sysadmin", "--security", "secadmin", "--auditor", "secaudit"]
    call_command("archive_administrators", *names, stdout=out)
    assert out.getvalue().count("one-time password") == 3
    roles = {
        u.username: set(u.groups.values_list("name", flat=True))
        for u in User.objects.filter(username__in=["sysadmin", "secadmin", "secaudit"])
    }
    assert roles == {
        "sysadmin": {"admin"},
        "secadmin": {"security_admin"},
        "secaudit": {"security_auditor"},
    }
    assert User.objects.get(username="sysadmin").password_expired
    again = StringIO()
    call_command("archive_administrators", *names, stdout=again)
    assert "one-time password" not in again.getvalue()
    with pytest.raises(CommandError, match="three different people"):
        call_command(
            "archive_administrators",
            "--system",
            "x",
            "--security",
            "x",
            "--auditor",
            "y",
        )
