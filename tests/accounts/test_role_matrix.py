"""The role matrix (issue 16, item 3): declared once, in each app's
``permissions.py``; given to the roles after every migrate; printed as SPEC
§1's table in ``docs/roles.md``."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core.management import call_command

from accounts.matrix import matrix
from accounts.matrix import render_markdown
from accounts.matrix import roles_sync
from accounts.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
RECORD_READING = {
    "archives.view_all_records",
    "archives.view_department_records",
    "archives.reveal_customer",
}


def _held(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_after_migrate_every_role_holds_exactly_what_the_matrix_gives():
    wanted = matrix()
    assert set(wanted) == {role.value for role in Role}
    for role, perms in wanted.items():
        assert _held(Group.objects.get(name=role)) == perms, role


@pytest.mark.django_db
def test_sync_is_idempotent_restores_a_lost_grant_and_keeps_one_added_by_hand():
    assert roles_sync() == 0
    archivist = Group.objects.get(name=Role.ARCHIVIST)
    review = Permission.objects.get(codename="review_archiverecord")
    extra = Permission.objects.get(codename="view_numbersequence")
    archivist.permissions.remove(review)
    archivist.permissions.add(extra)
    assert roles_sync() == 1
    held = _held(archivist)
    assert "archives.review_archiverecord" in held
    assert "archives.view_numbersequence" in held  # the security admin's, kept


@pytest.mark.django_db
def test_a_permission_the_matrix_names_must_exist(monkeypatch):
    from archives import permissions

    monkeypatch.setitem(
        permissions.GRANTS,
        Role.ARCHIVIST,
        [*permissions.GRANTS[Role.ARCHIVIST], "archives.fly"],
    )
    with pytest.raises(LookupError, match=r"archives\.fly"):
        roles_sync()


def test_the_matrix_keeps_spec_section_1():
    held = matrix()
    # The auditor reads: logs, history, reports; changes nothing.
    assert all(p.split(".")[1].startswith("view_") for p in held[Role.AUDITOR])
    # The three administrators and the front desk read no record.
    for role in (
        Role.ADMIN,
        Role.SECURITY_ADMIN,
        Role.SECURITY_AUDITOR,
        Role.FRONT_DESK,
    ):
        assert not held[role] & RECORD_READING, role
    # Only the security administrator assigns roles; only the auditors read
    # every department's audit entries.
    assert [r for r, p in held.items() if "accounts.assign_roles" in p] == [
        Role.SECURITY_ADMIN
    ]
    assert {r for r, p in held.items() if "audit.view_whole_log" in p} == {
        Role.AUDITOR,
        Role.SECURITY_AUDITOR,
    }
    # Staff file and ask; the archive reviews.
    assert "archives.review_archiverecord" not in held[Role.CS_STAFF]
    assert "archives.review_archiverecord" in held[Role.ARCHIVIST]
    # The executive approves destruction lists; the archivist carries them out.
    assert "retention.approve_destruction" in held[Role.EXECUTIVE]
    assert "retention.approve_destruction" not in held[Role.ARCHIVIST]


def test_docs_roles_is_the_matrix_printed(capsys):
    call_command("role_matrix")
    printed = capsys.readouterr().out
    assert printed == render_markdown()
    assert "| archivist | 档案管理员 |" in printed
    assert DOC.read_text(encoding="utf-8") == printed, (
        "docs/roles.md is out of date: run manage.py role_matrix > docs/roles.md"
    )
