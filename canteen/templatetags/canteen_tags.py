"""Template helpers of the canteen pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.simple_tag
def form_opener(day_url: str, kind: str, label: Any, open: bool = False) -> SafeString:
    """A record form behind a button of the day page: offline.js fetches the form into the <details>
    when it opens; without script, the link opens the form's own page. A tag, not an include: the day
    page draws seven of them and answers about as fast as the login page (bench/canteen.py)."""
    url = f"{day_url}{kind}/"
    return format_html(
        '<details data-form="{}" data-src="{}"{}><summary class="btn btn-outline-secondary btn-lg w-100 mb-2">{}</summary>'
        '<div data-form-body><a class="btn btn-link" href="{}" data-form-link>{}</a></div></details>',
        kind, url, " open" if open else "", label, url, gettext("Open the form"))
