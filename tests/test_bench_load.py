"""The bench loader's shortcuts write what the application would."""

import random

from archives import search
from bench import load


def test_the_loaders_search_text_is_the_applications():
    fast = load.search_text_maker()
    assert fast is not search.search_text  # the shortcut is taken
    rng = random.Random(7)
    for _ in range(2_000):
        parts = (
            f"GT20260{rng.randint(1, 9)}0{rng.randint(1, 9)}{rng.randint(1, 999):03d}",
            f"{load._company(rng)}{rng.choice(load.GT_TOPICS)}记录",
            load._person(rng),
            " ".join(rng.sample(load.KEYWORDS, 2)),
            load._content(rng) if rng.random() < 0.2 else "",
        )
        assert fast(*parts) == search.search_text(*parts)


def test_the_shortcut_is_not_taken_when_a_character_would_fold(monkeypatch):
    monkeypatch.setattr(load, "KEYWORDS", [*load.KEYWORDS, "投訴"])
    assert load.search_text_maker() is search.search_text


def test_copy_text_format_escapes_what_copy_reads_specially():
    assert load._copy_escape("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert load._copy_escape("客户") == "客户"
    assert load._copy_escape(None) == "\\N"
    assert load._copy_escape(True) == "t"
    assert load._copy_escape(12) == "12"
