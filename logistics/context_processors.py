from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from logistics import widgets
from logistics.notifications import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs: the navigation for this person and the unread count.

    The school part of the navigation reads what `CurrentSchoolMiddleware` loaded (the current
    membership and `request.school_count`): no query per school, however many a person has.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "school", None) is None:
        return {}
    items = widgets.nav_for(request)
    counts = widgets.nav_counts(request, items)
    return {
        "nav_entries": [(item, counts.get(item.key)) for item in items],
        "unread_notifications": lambda: unread_count(user, request.school),
    }
