"""Search in Chinese on stock PostgreSQL: n-gram tokens in a tsvector.

A record keeps two columns for search, filled by the services that change
what they are made of (``archives.services.search``):

* ``search_text`` — number, title, customer name, keywords, description and
  the text inside the record's files (OCR of scans included, up to
  ``ARCHIVE_SEARCH_CONTENT_CHARS``), lower-cased and in Simplified
  characters, as runs of letters and digits (``GT-2023，投訴`` → ``gt 2023 投诉``);
* ``search_grams`` — every character and every pair of neighbouring
  characters of that text, space separated.

PostgreSQL indexes ``array_to_tsvector(string_to_array(search_grams, ' '))``
with GIN (migration ``archives/0008``). ``array_to_tsvector`` takes the tokens
as they are, with no parser and no locale, so Chinese, digits and Latin
letters all index alike, and 1- and 2-character terms find their rows
through the index too (pg_trgm cannot: it makes no trigram of one or two
characters, and none at all from Chinese under LC_CTYPE ``C``).

A term of three or more characters asks for all its pairs; the rows found
are then checked for the whole term in ``search_text``, so the result is
exactly "contains the term", on SQLite (which only does the second step) as
on PostgreSQL.
"""

from __future__ import annotations

import re

from django.db.models import BooleanField
from django.db.models import F
from django.db.models import Func
from django.db.models import Q
from django.db.models import Value

from core.chinese import fold
from core.paging import TextFilter

WORD_RE = re.compile(r"[^\W_]+")


def runs(text: str) -> list[str]:
    """The runs of letters and digits of a text, lower-cased, in Simplified
    characters: the columns and the words typed alike, so 投訴 finds 投诉 and
    the other way round (``core.chinese``)."""
    return WORD_RE.findall(fold((text or "").lower()))


def search_text(*parts: str | None) -> str:
    """What ``search_text`` holds for these fields."""
    return " ".join(run for part in parts for run in runs(part or ""))


def document_grams(text: str) -> str:
    """Every character and every neighbouring pair of each run, each once."""
    grams: dict[str, None] = {}
    for run in text.split():
        for i, char in enumerate(run):
            grams[char] = None
            if i + 1 < len(run):
                grams[run[i : i + 2]] = None
    return " ".join(grams)


def query_grams(term: str) -> list[str]:
    """The tokens a term needs: one character alone, else its pairs."""
    grams: dict[str, None] = {}
    for run in runs(term):
        if len(run) == 1:
            grams[run] = None
        for i in range(len(run) - 1):
            grams[run[i : i + 2]] = None
    return list(grams)


def tsquery(grams: list[str]) -> str:
    """A tsquery of quoted tokens; tokens hold letters and digits only."""
    return " & ".join(f"'{gram}'" for gram in grams)


class GramsMatch(Func):
    """``search_grams`` as a tsvector ``@@`` a tsquery — the indexed expression."""

    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__(F("search_grams"), Value(query))

    def as_sql(self, compiler, connection, **extra):
        grams_sql, grams_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        return (
            f"array_to_tsvector(string_to_array({grams_sql}, ' ')) "
            f"@@ ({query_sql})::tsquery",
            (*grams_params, *query_params),
        )


# Letters then digits (KHZZ001, GT2023, PX202311001): what an archive
# number, or its beginning, looks like.
NUMBER_RE = re.compile(r"^[A-Za-z]+[0-9][A-Za-z0-9]*$")


def number_prefix(term: str) -> str:
    """The archive number (or its beginning) the term is, else ""."""
    compact = "".join(term.split()).replace("-", "")
    if len(compact) >= 3 and NUMBER_RE.match(compact):
        return compact.upper()
    return ""


def matches(term: str, *, vendor: str) -> TextFilter | None:
    """The filter for records containing ``term``; None when it has no letters.

    A term that looks like an archive number, or the beginning of one, finds
    the records whose number begins with it (a B-tree range on ``number``:
    Django gives a unique text column a ``varchar_pattern_ops`` index on
    PostgreSQL): typing GT20250312 lists that day's calls. Its digits would
    otherwise ask for pairs that nearly every number holds.
    """
    compact = number_prefix(term)
    if compact:
        return TextFilter(Q(number__startswith=compact), None)
    words = runs(term)
    if not words:
        return None
    contains = Q()
    for word in words:
        contains &= Q(search_text__contains=word)
    if vendor != "postgresql":
        return TextFilter(contains, None)
    return TextFilter(contains, Q(GramsMatch(tsquery(query_grams(term)))))


GRAMS_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS archives_record_search_grams "
    "ON archives_archiverecord USING gin "
    "(array_to_tsvector(string_to_array(search_grams, ' ')))"
)


# How much of the text around a hit a snippet shows, before and after.
SNIPPET_BEFORE = 30
SNIPPET_AFTER = 60


def _folded(text: str) -> str:
    """The text as search compares it, one character for each character, so
    a place found in it is the same place in the text."""
    low = text.lower()
    folded = fold(low)
    if len(folded) == len(low):
        return folded
    return "".join(fold(char) for char in low)


def snippet(text: str, term: str) -> tuple[int, str] | None:
    """Where the first word of ``term`` is in ``text`` (pages apart by form
    feeds), and the text around it as HTML with every word marked; None
    when no word is in it."""
    from django.utils.html import escape

    words = sorted(set(runs(term)), key=len, reverse=True)
    folded = _folded(text)
    found = [(folded.find(word), word) for word in words]
    found = [(at, word) for at, word in found if at >= 0]
    if not found:
        return None
    at, word = min(found)
    page = folded.count("\f", 0, at) + 1
    start = max(folded.rfind("\f", 0, at) + 1, at - SNIPPET_BEFORE)
    end = folded.find("\f", at)
    end = min(end if end >= 0 else len(text), at + len(word) + SNIPPET_AFTER)
    marks = re.compile("|".join(re.escape(w) for w in words))
    parts, last = [], start
    for hit in marks.finditer(folded, start, end):
        parts.append(escape(text[last : hit.start()]))
        parts.append(f"<mark>{escape(text[hit.start() : hit.end()])}</mark>")
        last = hit.end()
    parts.append(escape(text[last:end]))
    shown = "".join(parts).replace("\n", " ")
    return page, ("…" if start > 0 and text[start - 1] != "\f" else "") + shown + (
        "…" if end < len(text) and text[end] != "\f" else ""
    )
