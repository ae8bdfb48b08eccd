"""The Chinese catalogues are complete and compiled."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert len(compiled) == len(catalogue.translated_entries())


def test_placeholders_survive_translation():
    for language in ("zh_Hans", "zh_Hant"):
        catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                continue
            for token in ("%(", "{seq"):
                assert entry.msgid.count(token) == entry.msgstr.count(token), (
                    language,
                    entry.msgid,
                )
