"""What list pages draw the same way: a filter's <select> in one pass, and money.

    {% load list_tags %}{% filter_select form.status options %}  {{ card.original_value|yuan }}  {{ budget|yuan:0 }}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_select(field: Any, options: Any) -> str:
    """A plain <select> of a list filter, built in one pass: Django's widget renders each option
    through a template, and a template loop over the options cost a list page more than its rows.
    `options` is a list of (value, label) pairs, or the field's own choices when omitted."""
    value = field.value()
    current = "" if value is None else str(value)
    return format_html(
        '<select class="form-select" name="{}" id="{}">{}</select>',
        field.html_name,
        field.auto_id,
        format_html_join("", '<option value="{}"{}>{}</option>', ((v, " selected" if str(v) == current else "", label) for v, label in options)),
    )


@register.filter
def yuan(value: Any, places: int = 2) -> str:
    """¥12,345.00 (or ¥12,345 with `|yuan:0`): the zh-hans number format groups no thousands."""
    if value is None or value == "":
        return "—"
    return f"¥{value:,.{int(places)}f}"
