"""Template helpers: Bootstrap classes on form widgets, catalogue rows."""

from django import forms
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def bootstrap(bound_field):
    """Render a field's widget with the Bootstrap class that suits it."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


@register.simple_tag
def catalogue_rows(records):
    """The catalogue's table rows, written in Python.

    The same cells as a template loop would write, at a fraction of its cost
    for 100 rows: labels, colours and the link pattern are found once per
    page instead of once per row.
    """
    from archives.models import ArchiveRecord

    labels = {value: str(label) for value, label in ArchiveRecord.Status.choices}
    electronic = gettext("Electronic")
    marker = 2_147_483_647
    link = reverse("archives:record-detail", args=[marker])
    rows = []
    for record in records:
        box = record.box
        place = (
            f"{box.shelf.storeroom.code}-{box.shelf.code}-{box.code}"
            if box
            else electronic
        )
        rows.append(
            format_html(
                '<tr><td class="archive-number"><a href="{}">{}</a></td>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                '<td><span class="badge text-bg-{}">{}</span></td></tr>',
                link.replace(str(marker), str(record.pk)),
                record.number or "",
                record.title,
                record.customer.name if record.customer_id else "—",
                _day(record.date_formed),
                record.source_department,
                place,
                _day(record.disposal_due_on),
                ArchiveRecord.STATUS_COLOURS.get(record.status, "secondary"),
                labels.get(record.status, record.status),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each row is format_html
