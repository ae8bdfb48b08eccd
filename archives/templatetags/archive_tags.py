"""Template helpers: Bootstrap classes on form widgets, status colours."""

from django import forms
from django import template

register = template.Library()

STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "info",
    "returned": "warning",
    "archived": "success",
    "in_viewing": "primary",
    "on_loan": "primary",
    "appraised": "dark",
    "destroyed": "dark",
    "lost": "danger",
    "damaged": "danger",
}


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
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
