"""Template helpers of the procurement pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from procurement.models import Status

register = template.Library()
_LABELS: dict[str | None, dict[str, str]] = {}


@register.filter
def status_label(value: str) -> str:
    """A request's status in the page's language, from a table made once per language (the model's
    get_status_display builds its dict of choices again on every row)."""
    language = get_language()
    if language not in _LABELS:
        _LABELS[language] = {k: str(v) for k, v in Status.choices}
    return _LABELS[language].get(value, value)
