from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from logistics import widgets
from logistics.notifications import unread_count
from logistics.scoping import memberships_of


def shell(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs: the navigation for this person, their schools, the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "school", None) is None:
        return {}

    def other_schools() -> list[Any]:
        return [m.school for m in memberships_of(user) if m.school_id != request.school.pk]

    return {
        "nav_items": widgets.nav_for(request),
        "other_schools": other_schools,
        "unread_notifications": lambda: unread_count(user, request.school),
    }
