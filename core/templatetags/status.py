"""``{% status_badge obj %}``: a workflow's status as a coloured badge.

The colour is the model's (``STATUS_COLOURS``, by status; grey for any it
does not name), so every list and page shows a status the same way.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(obj, testid: str = "", large: bool = False) -> str:
    colour = getattr(type(obj), "STATUS_COLOURS", {}).get(obj.status, "secondary")
    return format_html(
        '<span class="badge{} text-bg-{}"{}>{}</span>',
        " fs-6" if large else "",
        colour,
        format_html(' data-testid="{}"', testid) if testid else "",
        obj.get_status_display(),
    )
