"""Loading a category preset: every pattern checked, all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from archives.models import Category
from archives.models import Subcode
from archives.models import SubcodeDimension
from archives.numbering import validate_pattern
from archives.presets import PRESETS
from core.errors import ArchiveError


@transaction.atomic
def category_preset_load(*, name: str) -> list[Category]:
    """Create (or complete) the categories of a preset; existing rows are kept."""
    if name not in PRESETS:
        raise ArchiveError(
            _("Unknown preset “%(name)s”; known: %(known)s.")
            % {"name": name, "known": ", ".join(sorted(PRESETS))}
        )
    loaded = []
    order = Category.objects.count()
    for code, title, pattern, customer, retention, dimensions, *more in PRESETS[name]:
        options: dict[str, Any] = more[0] if more else {}
        kind, years, *start = retention
        others = dict(
            Category.objects.exclude(code=code).values_list("code", "number_pattern")
        )
        validate_pattern(
            pattern,
            dimension_keys={d[0] for d in dimensions},
            digit_ending_dimensions={
                d[0] for d in dimensions if any(c[-1].isdigit() for c, _n in d[4])
            },
            other_patterns=others,
        )
        order += 1
        defaults: dict[str, Any] = {
            "name": title,
            "number_pattern": pattern,
            "requires_customer": customer,
            "retention_kind": kind,
            "retention_years": years,
            "retention_start": start[0] if start else "formed",
            "scheme": name,
            "sort_order": order,
            # 只阅不借 (S2): viewed, never lent.
            "lendable": options.get("lendable", True),
            "names": {"en": options["en"]} if "en" in options else {},
        }
        category, _created = Category.objects.get_or_create(
            code=code, defaults=defaults
        )
        for position, (key, dim_name, required, _in_number, codes) in enumerate(
            dimensions
        ):
            dimension, _created = SubcodeDimension.objects.get_or_create(
                category=category,
                key=key,
                defaults={
                    "name": dim_name,
                    "required": required,
                    "sort_order": position,
                },
            )
            for sort, (sub_code, sub_name) in enumerate(codes):
                Subcode.objects.get_or_create(
                    dimension=dimension,
                    code=sub_code,
                    defaults={"name": sub_name, "sort_order": sort},
                )
        loaded.append(category)
    return loaded
