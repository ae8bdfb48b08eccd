"""Names of things kept as data, shown in the reader's language (issue 19,
item 16): categories, sub-codes and their dimensions, departments and
storerooms are named in Simplified Chinese (``name``) and, where given, in
other languages (``names``: {"en": …, "zh-hant": …}). Traditional Chinese
falls back to the Simplified name converted (OpenCC ``s2tw``); English falls
back to the Chinese name.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from opencc import OpenCC

_TAIWAN = OpenCC("s2tw")


@lru_cache(maxsize=4096)
def _traditional(text: str) -> str:
    return _TAIWAN.convert(text)


def name_in(name: str, names: dict | None, language: str | None = None) -> str:
    """``name`` in ``language`` (the active one by default)."""
    language = (
        language or translation.get_language() or settings.LANGUAGE_CODE
    ).lower()
    names = names or {}
    if language.startswith("en"):
        return names.get("en") or name
    if language in ("zh-hant", "zh-tw", "zh-hk"):
        return names.get("zh-hant") or _traditional(name)
    return name


class TranslatedName(models.Model):
    """A ``name`` (Simplified Chinese) with its names in other languages."""

    names = models.JSONField(
        _("name in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            'For example {"en": "Call records", "zh-hant": "通話記錄"}; a '
            "language left out shows the Chinese name (converted for "
            "Traditional Chinese)."
        ),
    )

    class Meta:
        abstract = True

    @property
    def local_name(self) -> str:
        return name_in(self.name, self.names)  # type: ignore[attr-defined]
