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
        # (entry, its count, its address, whether this page is under it): worked out here once, not by
        # the template's filters for every entry on every page.
        "nav_entries": [(item, counts.get(item.key), url, url != "#" and request.path[:30] == url[:30])
                        for item in items for url in (item.url,)],
        "unread_notifications": lambda: unread_count(user, request.school),
    }
