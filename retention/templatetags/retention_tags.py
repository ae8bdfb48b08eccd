from django import template

from retention import findings

register = template.Library()


@register.filter
def summary_rows(summary: dict):
    return findings.summary_rows(summary or {})


@register.filter
def finding_text(code: str, params: dict) -> str:
    return findings.render(code, params)
