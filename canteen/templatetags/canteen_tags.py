"""Template helpers of the canteen pages."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def new_uid() -> str:
    """A fresh record id for a hand-written one-tap form (a form sent twice is one record)."""
    return str(uuid.uuid4())


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
