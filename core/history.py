"""Who made a change, and why, for the model's history (django-simple-history).

simple-history reads both from attributes of the instance being saved; this
is the one place that sets them.

A reason the system gives is kept as a code and its values (``reason``),
not as text in the writer's language, and is worded for each reader when
shown (``reason_text``; issue 19, item 17). A reason a person typed is kept
as typed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

MARK = "§"
# The system's reasons: code → wording with its values.
REASONS = {
    "accepted": _("Accepted as %(number)s"),
    "imported": _("Imported from %(file)s"),
    "rule_changed": _("Retention rule changed"),
    "box_added": _("Box added"),
    "moved_to_shelf": _("Moved to shelf %(shelf)s"),
    "kept_by_appraisal": _("Kept by appraisal %(ref)s"),
    # An archivist's step of a request by description (lending).
    "records_found": _("Records found: %(numbers)s"),
    # The box's note sheet (DA/T 22) and the effect of a use (issue 20).
    "box_note": _("Note sheet filled in"),
    "use_effect": _("Effect of the use recorded"),
}
REASON_LENGTH = 100


def reason(code: str, *, length: int | None = REASON_LENGTH, **values: str) -> str:
    """A reason the system gives, as stored: ``§accepted{"number":"GT…"}``
    (at most ``length`` characters, the history's column; None for a text
    field)."""
    assert code in REASONS, code
    text = MARK + code
    if values:
        text += json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    if length is not None and len(text) > length:
        raise ValueError(f"reason {code} too long for the history: {text}")
    return text


def reason_text(stored: str | None) -> str:
    """A stored reason in the reader's language (typed ones as they are)."""
    if not stored or not stored.startswith(MARK):
        return stored or ""
    code, brace, raw = stored[len(MARK) :].partition("{")
    template = REASONS.get(code)
    if template is None:
        return stored
    try:
        values = json.loads(brace + raw) if brace else {}
        return str(template) % values
    except (ValueError, KeyError, TypeError):
        return str(template)


def reason_converter(languages: list[str], *, length: int | None = REASON_LENGTH):
    """A function giving the code form of a reason stored as text by an
    earlier version, when it is one of the system's wordings in one of
    ``languages`` (else None): for the migration that recodes them."""
    from django.utils import translation

    patterns = []
    for code, template in REASONS.items():
        for language in languages:
            with translation.override(language):
                worded = str(template)
            regex = re.escape(worded)
            for name in re.findall(r"%\((\w+)\)s", worded):
                regex = regex.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+)")
            patterns.append((code, re.compile(regex)))

    def convert(text: str) -> str | None:
        for code, pattern in patterns:
            match = pattern.fullmatch(text)
            if match:
                try:
                    return reason(code, length=length, **match.groupdict())
                except ValueError:
                    return None
        return None

    return convert


def changed_by(obj: Any, actor: Any = None, reason: str | None = None) -> None:
    """Name the person (an authenticated one) and the reason of the next save."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    if reason is not None:
        obj._change_reason = reason[:REASON_LENGTH]
