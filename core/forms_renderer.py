"""Django's form renderer, with the commonest widgets written in Python.

Rendering a ``<select>`` through Django's widget templates renders one
template per option; on a page of filters that is most of the page's time.
Inputs, selects and options here produce the very HTML of Django's own
templates (``django/forms/widgets/{input,select,select_option,attrs}.html``)
by string formatting; every other widget still goes through its template.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "search",
        "tel",
        "password",
        "hidden",
        "color",
    )
}
SELECT = "django/forms/widgets/select.html"


def attrs_html(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{widget["type"]}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{attrs_html(widget['attrs'])}>"
    )


def option_html(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def select_html(widget: dict) -> str:
    name = conditional_escape(widget["name"])
    lines = [f'<select name="{name}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'  <optgroup label="{conditional_escape(group_name)}">')
        lines.extend(f"  {option_html(option)}" for option in options)
        if group_name:
            lines.append("  </optgroup>")
    lines.append("</select>")
    return "\n".join(lines)


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUTS:
                return mark_safe(input_html(widget))  # noqa: S308 - escaped above
            if template_name == SELECT:
                return mark_safe(select_html(widget))  # noqa: S308 - escaped above
        return super().render(template_name, context, request)
