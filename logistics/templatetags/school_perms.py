"""`{% can "repairs.dispatch_ticket" as may_dispatch %}`: the current school's answer, for buttons."""

from __future__ import annotations

from typing import Any

from django import template

from logistics.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: Any, perm: str) -> bool:
    request = context.get("request")
    if request is None:
        return False
    return _can(request.user, getattr(request, "school", None), perm)
