"""Make the Traditional Chinese catalogue from the Simplified one.

The Simplified Chinese catalogue (locale/zh_Hans) is written by hand. The
Traditional one (locale/zh_Hant) is made from it, every entry, each time:

* characters by OpenCC ``s2tw`` — Taiwan's standard forms (為, 裡, 啟;
  not the mainland Traditional 爲, 裏, 啓 of ``s2t``);
* then words by ``VOCABULARY``: the Taiwan word where it differs from the
  mainland one (資訊 not 信息, 登入 not 登錄, 列印 not 打印). OpenCC's own
  phrase table (``s2twp``) is not used: it is made for software and turns
  代碼 into 程式碼 and 權限 into 許可權, wrong in an archive.

Taiwan usage was chosen for zh-hant (the setting would be a second catalogue;
``s2hk`` gives Hong Kong forms with the same vocabulary step). An entry that
needs a hand-made translation goes in ``OVERRIDES``. Review the diff.
"""

from pathlib import Path

import polib
from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
TARGET = ROOT / "locale/zh_Hant/LC_MESSAGES/django.po"

# Mainland word (in Traditional characters) → Taiwan word; longest first.
VOCABULARY = [
    ("後臺任務", "背景作業"),
    ("後臺進程", "背景程序"),
    ("用戶名", "使用者名稱"),
    ("數據庫", "資料庫"),
    ("服務器", "伺服器"),
    ("二維碼", "QR 碼"),
    ("信息", "資訊"),
    ("登錄", "登入"),
    ("用戶", "使用者"),
    ("鏈接", "連結"),
    ("搜索", "搜尋"),
    ("設置", "設定"),
    ("導出", "匯出"),
    ("導入", "匯入"),
    ("消息", "訊息"),
    ("字符", "字元"),
    ("文本", "文字"),
    ("默認", "預設"),
    ("打印", "列印"),
    ("視頻", "影片"),
    ("音頻", "音訊"),
    ("網絡", "網路"),
    ("數據", "資料"),
    ("軟件", "軟體"),
    ("質量", "品質"),
    ("賬號", "帳號"),
    ("賬戶", "帳戶"),
    ("密鑰", "金鑰"),
    ("接口", "介面"),
    ("令牌", "權杖"),
    ("屏幕", "螢幕"),
    ("菜單", "選單"),
    ("粘貼", "貼上"),
    ("激活", "啟用"),
    ("創建", "建立"),
    ("保存", "儲存"),
    ("水印", "浮水印"),
    ("郵箱", "信箱"),
    ("審計", "稽核"),
    ("運行", "執行"),
    ("緩存", "快取"),
    ("隊列", "佇列"),
    ("模板", "範本"),
    ("文檔", "文件"),
    ("批量", "批次"),
    ("在線", "線上"),
    ("窗口", "視窗"),
    ("點擊", "點選"),
    ("兼容", "相容"),
    ("內存", "記憶體"),
    ("後臺", "後台"),
    ("前臺", "前台"),
    ("當前", "目前"),
    ("打開", "開啟"),
]
OVERRIDES: dict[str, str] = {}

_characters = OpenCC("s2tw").convert


def convert(text: str) -> str:
    text = _characters(text)
    for mainland, taiwan in VOCABULARY:
        text = text.replace(mainland, taiwan)
    return text


def main() -> None:
    source = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(SOURCE))}
    target = polib.pofile(str(TARGET))
    changed = 0
    for entry in target:
        simplified = source.get((entry.msgctxt, entry.msgid))
        if simplified is None or simplified.fuzzy or entry.obsolete:
            continue
        before = (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags)
        if entry.msgid in OVERRIDES:
            entry.msgstr = OVERRIDES[entry.msgid]
        elif entry.msgid_plural:
            entry.msgstr_plural = {
                k: convert(v) for k, v in simplified.msgstr_plural.items()
            }
        else:
            entry.msgstr = convert(simplified.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None
        if before != (entry.msgstr, dict(entry.msgstr_plural), False):
            changed += 1
    target.save()
    print(f"zh_Hant: {changed} entries made anew from zh_Hans")


if __name__ == "__main__":
    main()
