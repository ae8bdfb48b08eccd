"""Keep the Traditional Chinese catalogue in step with the Simplified one.

The Simplified Chinese catalogue (locale/zh_Hans) is written by hand. This
fills every missing or fuzzy entry of locale/zh_Hant by converting the
Simplified text with OpenCC (s2t: the mainland Traditional of the seed
regulations, 檔案/信息), and marks nothing fuzzy: review the diff.
"""

from pathlib import Path

import polib
from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
TARGET = ROOT / "locale/zh_Hant/LC_MESSAGES/django.po"


def main() -> None:
    convert = OpenCC("s2t").convert
    source = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(SOURCE))}
    target = polib.pofile(str(TARGET))
    filled = 0
    for entry in target:
        simplified = source.get((entry.msgctxt, entry.msgid))
        if simplified is None or simplified.fuzzy:
            continue
        if entry.msgid_plural:
            if entry.msgstr_plural.get(0) and "fuzzy" not in entry.flags:
                continue
            entry.msgstr_plural = {
                k: convert(v) for k, v in simplified.msgstr_plural.items()
            }
        else:
            if entry.msgstr and "fuzzy" not in entry.flags:
                continue
            entry.msgstr = convert(simplified.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    target.save()
    print(f"zh_Hant: filled {filled} entries from zh_Hans")


if __name__ == "__main__":
    main()
