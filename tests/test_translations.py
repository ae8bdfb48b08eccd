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


def test_traditional_chinese_uses_taiwan_forms_and_words():
    """Issue 19, item 18: 為 not 爲, 資訊 not 信息, 登入 not 登錄; and the
    catalogue is what the script makes from the Simplified one (no drift)."""
    import importlib.util

    catalogue = polib.pofile(str(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    text = "".join(
        e.msgstr + "".join(e.msgstr_plural.values())
        for e in catalogue.translated_entries()
    )
    for mainland in ("爲", "啓", "裏", "信息", "登錄", "用戶", "打印", "導出"):
        assert mainland not in text, mainland
    assert text.count("為") > 20 and "登入" in text and "匯出" in text
    spec = importlib.util.spec_from_file_location(
        "fill", LOCALE.parent / "scripts" / "fill_translations.py"
    )
    fill = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fill)
    simplified = {
        (e.msgctxt, e.msgid): e
        for e in polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    }
    for entry in catalogue.translated_entries():
        if entry.msgid_plural or entry.msgid in fill.OVERRIDES:
            continue
        source = simplified[(entry.msgctxt, entry.msgid)]
        assert entry.msgstr == fill.convert(source.msgstr), entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, words",
    [("zh-hans", ["模型名称", "增加链接"]), ("zh-hant", ["模型名稱", "增加連結"])],
)
def test_the_admin_index_reads_whole_in_chinese(client, language, words):
    from tests.factories import UserFactory

    admin = UserFactory(role="admin", is_staff=True)
    client.force_login(admin)
    client.cookies["django_language"] = language
    page = client.get("/admin/").content.decode()
    for word in words:
        assert word in page
    assert "Model name" not in page and "Add link" not in page
