"""Many accounts from a CSV file with a dry run (issue 21, item 5): every
problem by line and nothing written; a clean file makes the accounts, all at
once, and each person is mailed a link to choose their password."""

from __future__ import annotations

import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from tests.factories import UserFactory

GOOD = (
    "用户名,姓名,邮箱,部门,上级\n"
    "zhaoliu,赵六,zhaoliu@example.com,CS1,\n"
    "sunqi,孙七,sunqi@example.com,CS1,zhaoliu\n"
    "zhouba,周八,,CS2,zhang\n"
)


def _upload(client, text: str, encoding: str = "utf-8-sig"):
    return client.post(
        reverse("accounts:people-import"),
        {"file": SimpleUploadedFile("people.csv", text.encode(encoding))},
    )


def test_the_dry_run_names_every_problem_and_writes_nothing(client, world):
    client.force_login(world.admin)
    before = User.objects.count()
    page = _upload(
        client,
        "用户名,姓名,邮箱,部门\n"
        f"{world.staff.username},重名,x@example.com,CS1\n"
        "new one,空格,y@example.com,CS1\n"
        "dup,甲,not-mail,NOPE\n"
        "dup,乙,,CS1\n",
    )
    problems = page.content.decode()
    assert "The dry run found 4 problems. Nothing was written." in problems
    assert f"Line 2: {world.staff.username} already has an account" in problems
    assert "Line 3: the user name “new one” may hold" in problems
    assert "“not-mail” is not an e-mail address" in problems
    assert "there is no department with code “NOPE”" in problems
    assert "Line 5: dup is in the file twice" in problems
    assert User.objects.count() == before
    assert "Make" not in problems  # no import button


def test_a_clean_file_makes_the_accounts_and_mails_each_person(
    client, world, django_capture_on_commit_callbacks
):
    assert world.staff.username == "zhang"  # the supervisor of the third row
    client.force_login(world.admin)
    checked = _upload(client, GOOD, "gb18030")  # saved from a Chinese Excel
    text = checked.content.decode()
    assert "3 people, no problem." in text and "赵六" in text
    token = re.search(r'name="stored" value="([^"]+)"', text).group(1)
    assert not User.objects.filter(username="zhaoliu").exists()  # a dry run

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("accounts:people-import"), {"stored": token, "confirm": "1"}
        )
    assert done.status_code == 302
    zhao, sun, zhou = (
        User.objects.get(username=n) for n in ("zhaoliu", "sunqi", "zhouba")
    )
    assert (zhao.display_name, zhao.department) == ("赵六", world.cs1)
    assert sun.supervisor == zhao and zhou.supervisor.username == "zhang"
    assert not zhao.has_usable_password() and not zhao.groups.exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "sunqi@example.com",
        "zhaoliu@example.com",
    ]
    assert 'an account "zhaoliu"' in next(
        m.body for m in mail.outbox if m.to == ["zhaoliu@example.com"]
    )
    entry = AuditEntry.objects.get(action="imported", details__kind="people")
    assert entry.details["rows"] == 3 and entry.actor == world.admin
    # The same dry run cannot be imported twice.
    again = client.post(
        reverse("accounts:people-import"),
        {"stored": token, "confirm": "1"},
        follow=True,
    )
    assert "The dry run is too old" in again.content.decode()


def test_only_the_system_administrator_imports_people(client, world):
    security = UserFactory(username="secadmin", role="security_admin")
    for who in (world.archivist, security):
        client.force_login(who)
        assert _upload(client, GOOD).status_code == 403
