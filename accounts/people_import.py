"""Many accounts at once from a CSV file, with a dry run (issue 21, item 5).

The system administrator's work (``accounts.add_user``): one row per person —
user name, name, e-mail, department code, and optionally the supervisor's
user name (of an account already here or a row above). The dry run reads the
whole file and lists every problem by line; nothing is written until a file
without problems is imported, in one transaction. Roles are not in the file:
the security administrator gives them (三员分立). Each new person with an
e-mail address gets a mail to choose their password (the forgotten-password
link); until then the account has no password that works.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from dataclasses import field

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import passwordreset
from accounts.models import Department
from accounts.models import User
from audit import services as audit
from core.errors import ArchiveError

MAX_ROWS = 5000
COLUMNS = {
    "username": ("username", "用户名", "账号", "帳號", "用戶名"),
    "name": ("name", "姓名"),
    "email": ("email", "e-mail", "邮箱", "電子郵件", "郵箱"),
    "department": ("department", "部门", "部門", "部门代码", "部門代碼"),
    "supervisor": ("supervisor", "上级", "上級"),
}
REQUIRED = ("username", "name", "department")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass
class PersonRow:
    line: int
    username: str
    name: str
    email: str
    department: Department
    supervisor: str


@dataclass
class PeopleFile:
    rows: list[PersonRow] = field(default_factory=list)
    # (line, what is wrong)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArchiveError(_("The file is not text in UTF-8 or GB18030: save it as CSV."))


def _header(cells: list[str]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        label = cell.strip().lower()
        for key, names in COLUMNS.items():
            if label in names:
                found[key] = index
    return found


def people_read(data: bytes) -> PeopleFile:
    """Every row of the file, checked; nothing is written."""
    if b"\x00" in data[:4096]:
        raise ArchiveError(_("This is not a text (CSV) file."))
    reader = csv.reader(io.StringIO(_text(data)))
    result = PeopleFile()
    header = next(reader, None)
    columns = _header(header or [])
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        result.problems.append(
            (
                1,
                _("The first line must name the columns; missing: %(columns)s.")
                % {"columns": "、".join(COLUMNS[key][1] for key in missing)},
            )
        )
        return result
    departments = {d.code: d for d in Department.objects.all()}
    taken = set(User.objects.values_list("username", flat=True))
    seen: set[str] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line - 1 > MAX_ROWS:
            result.problems.append(
                (line, _("At most %(rows)s people at once.") % {"rows": MAX_ROWS})
            )
            break

        def cell(key: str, cells=cells) -> str:
            index = columns.get(key)
            return (
                cells[index].strip() if index is not None and index < len(cells) else ""
            )

        username, name, email = cell("username"), cell("name"), cell("email")
        code, supervisor = cell("department"), cell("supervisor")
        wrong = []
        if not USERNAME.match(username):
            wrong.append(
                _("the user name “%(name)s” may hold letters, digits and . @ + - _")
                % {"name": username}
            )
        elif username in taken:
            wrong.append(_("%(name)s already has an account") % {"name": username})
        elif username in seen:
            wrong.append(_("%(name)s is in the file twice") % {"name": username})
        if not name:
            wrong.append(_("the name is empty"))
        if email:
            try:
                validate_email(email)
            except Exception:
                wrong.append(
                    _("“%(email)s” is not an e-mail address") % {"email": email}
                )
        department = departments.get(code)
        if department is None:
            wrong.append(
                _("there is no department with code “%(code)s”") % {"code": code}
            )
        if supervisor and supervisor not in taken and supervisor not in seen:
            wrong.append(
                _("the supervisor %(name)s has no account here or above")
                % {"name": supervisor}
            )
        seen.add(username)
        if wrong:
            result.problems.append((line, "；".join(wrong)))
            continue
        result.rows.append(
            PersonRow(line, username, name[:100], email, department, supervisor)
        )
    if not result.rows and not result.problems:
        result.problems.append((1, _("The file has no people in it.")))
    return result


def people_import(*, actor: User, data: bytes, base_url: str) -> list[User]:
    """Make the file's accounts, all or none; the people are told by mail."""
    checked = people_read(data)
    if checked.problems:
        raise ArchiveError(
            _("Nothing was imported: the file has %(count)s problem(s).")
            % {"count": len(checked.problems)}
        )
    made: list[User] = []
    with transaction.atomic():
        by_name = {}
        for row in checked.rows:
            person = User(
                username=row.username,
                display_name=row.name,
                email=row.email,
                department=row.department,
            )
            person.set_unusable_password()
            person.save()
            by_name[row.username] = person
            made.append(person)
        for row in checked.rows:
            if row.supervisor:
                boss = by_name.get(row.supervisor) or User.objects.get(
                    username=row.supervisor
                )
                User.objects.filter(pk=by_name[row.username].pk).update(supervisor=boss)
        audit.log(
            audit.Action.IMPORTED,
            actor=actor,
            kind="people",
            rows=len(made),
            people=" ".join(p.username for p in made)[:500],
        )
        for person in made:
            if person.email:
                passwordreset.invite(person=person, base_url=base_url)
    return made


# The dry run's file waits in the imports store for the import, an hour.
_SIGNER_SALT = "people-import"
KEEP_SECONDS = 3600
MAX_BYTES = 2 * 1024 * 1024


def people_check(data: bytes) -> tuple[PeopleFile, str]:
    """The dry run; a file without problems is kept for the import, which
    names it by the token returned (empty when there are problems)."""
    if len(data) > MAX_BYTES:
        raise ArchiveError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    checked = people_read(data)
    if checked.problems:
        return checked, ""
    name = storages["imports"].save("people.csv", ContentFile(data))
    return checked, signing.TimestampSigner(salt=_SIGNER_SALT).sign(name)


def people_import_checked(*, actor: User, token: str, base_url: str) -> list[User]:
    """Import the file of a dry run (checked again: the archive may have
    changed since)."""
    try:
        name = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(
            token, max_age=KEEP_SECONDS
        )
    except signing.BadSignature as error:
        raise ArchiveError(
            _("The dry run is too old: upload the file again.")
        ) from error
    store = storages["imports"]
    try:
        with store.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as error:
        raise ArchiveError(
            _("The dry run is too old: upload the file again.")
        ) from error
    made = people_import(actor=actor, data=data, base_url=base_url)
    store.delete(name)
    return made
