"""The number pattern language (SPEC §2), as pure functions.

A pattern is literal text with tokens in braces::

    KH{industry}{seq:3}        -> KHZZ001
    GT{YYYYMMDD}{seq:3}        -> GT20230101001, GT202301011000 past 999
    TS{nature}{status}{seq:3}  -> TSZLYY001
    Y{YYYY}{contract}{seq:3}   -> Y2023销售合同002

Date tokens come from the record's date formed; any other name is the key of
one of the category's sub-code dimensions. Everything before ``{seq}`` is the
*prefix*; each prefix has its own counter, so numbers are unique by
construction as long as no prefix can be another prefix followed by digits —
which is what ``validate_pattern`` guards.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKEN_RE = re.compile(r"\{([^{}]*)\}")
SEQ_RE = re.compile(r"^seq(?::(\d+))?$")
DATE_TOKENS: dict[str, str] = {
    "YYYYMMDD": "%Y%m%d",
    "YYYYMM": "%Y%m",
    "YYYY": "%Y",
    "YY": "%y",
    "MM": "%m",
    "DD": "%d",
}
MAX_SEQ_WIDTH = 9


@dataclass(frozen=True)
class Part:
    kind: str  # "literal" | "date" | "subcode" | "seq"
    value: str  # literal text, date token, dimension key, or seq width


def parse_pattern(pattern: str) -> list[Part]:
    """Split a pattern into parts; raise ValidationError on bad syntax."""
    parts: list[Part] = []
    pos = 0
    for match in TOKEN_RE.finditer(pattern):
        if match.start() > pos:
            parts.append(Part("literal", pattern[pos : match.start()]))
        token = match.group(1).strip()
        seq = SEQ_RE.match(token)
        if seq:
            parts.append(Part("seq", seq.group(1) or "3"))
        elif token in DATE_TOKENS:
            parts.append(Part("date", token))
        elif re.fullmatch(r"[a-z][a-z0-9_-]*", token):
            parts.append(Part("subcode", token))
        else:
            raise ValidationError(
                _("Unknown token “{%(token)s}” in the number pattern.")
                % {"token": token},
                code="unknown_token",
            )
        pos = match.end()
    if pos < len(pattern):
        parts.append(Part("literal", pattern[pos:]))
    if any("{" in p.value or "}" in p.value for p in parts if p.kind == "literal"):
        raise ValidationError(
            _("The number pattern has an unmatched brace."), code="brace"
        )
    return parts


def literal_head(parts: list[Part]) -> str:
    return parts[0].value if parts and parts[0].kind == "literal" else ""


def shape(parts: list[Part]) -> tuple[str, ...]:
    """The pattern's structure with sub-code keys and literals kept."""
    return tuple(f"{p.kind}:{p.value}" for p in parts)


def validate_pattern(
    pattern: str,
    *,
    dimension_keys: Iterable[str] | None,
    digit_ending_dimensions: Iterable[str] = (),
    other_patterns: Mapping[str, str] | None = None,
) -> list[Part]:
    """Refuse any pattern that could give two records the same number.

    ``dimension_keys`` None skips the check of sub-code names (used while a
    new category's dimensions are not saved yet).
    """
    parts = parse_pattern(pattern)
    seqs = [p for p in parts if p.kind == "seq"]
    if len(seqs) != 1:
        raise ValidationError(
            _("The number pattern needs exactly one {seq:N} sequence."),
            code="seq_count",
        )
    if parts[-1].kind != "seq":
        raise ValidationError(
            _("The sequence {seq:N} must come last in the number pattern."),
            code="seq_not_last",
        )
    width = int(seqs[0].value)
    if not 1 <= width <= MAX_SEQ_WIDTH:
        raise ValidationError(
            _("The sequence width must be between 1 and %(max)d digits.")
            % {"max": MAX_SEQ_WIDTH},
            code="seq_width",
        )
    head = literal_head(parts)
    if not head:
        raise ValidationError(
            _("The number pattern must start with letters, such as the category code."),
            code="no_literal_head",
        )
    keys = set(dimension_keys) if dimension_keys is not None else None
    for part in parts:
        if keys is not None and part.kind == "subcode" and part.value not in keys:
            raise ValidationError(
                _(
                    "“{%(key)s}” is neither a date token nor a sub-code dimension "
                    "of this category."
                )
                % {"key": part.value},
                code="unknown_dimension",
            )
    before_seq = parts[-2] if len(parts) > 1 else None
    if before_seq is not None and (
        (before_seq.kind == "literal" and before_seq.value[-1].isdigit())
        or (
            before_seq.kind == "subcode"
            and before_seq.value in set(digit_ending_dimensions)
        )
    ):
        raise ValidationError(
            _(
                "The text right before {seq:N} ends in a digit, so different "
                "sequences could run into each other; put a letter there."
            ),
            code="digit_before_seq",
        )
    for other_code, other_pattern in (other_patterns or {}).items():
        try:
            other_parts = parse_pattern(other_pattern)
        except ValidationError:
            continue
        if literal_head(other_parts) == head and shape(other_parts) != shape(parts):
            raise ValidationError(
                _(
                    "Category %(code)s already numbers “%(head)s…” with a different "
                    "pattern; two patterns with the same letters could produce the "
                    "same number."
                )
                % {"code": other_code, "head": head},
                code="head_clash",
            )
    return parts


class MissingSubcode(ValueError):
    pass


def render_prefix(
    parts: list[Part], *, date_formed: datetime.date, subcodes: Mapping[str, str]
) -> str:
    """Everything of the number before the sequence."""
    out: list[str] = []
    for part in parts:
        if part.kind == "literal":
            out.append(part.value)
        elif part.kind == "date":
            out.append(date_formed.strftime(DATE_TOKENS[part.value]))
        elif part.kind == "subcode":
            if part.value not in subcodes:
                raise MissingSubcode(part.value)
            out.append(subcodes[part.value])
    return "".join(out)


def seq_width(parts: list[Part]) -> int:
    return int(parts[-1].value)


def format_number(prefix: str, sequence: int, width: int) -> str:
    """Prefix plus the zero-padded sequence; it widens past 10**width - 1."""
    return f"{prefix}{sequence:0{width}d}"


def example_number(
    pattern: str, *, subcodes: Mapping[str, str], day: datetime.date
) -> str:
    """The first number the pattern gives on ``day`` with these sub-codes: what
    a filer is shown instead of the pattern's tokens."""
    parts = parse_pattern(pattern)
    prefix = render_prefix(parts, date_formed=day, subcodes=subcodes)
    return format_number(prefix, 1, seq_width(parts))
