"""`{% book_links %}`: links to the printable monthly book (this month and the last) of each of the
school's canteens, for pages whose view does not know the canteens (the export page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("canteen/book_links.html", takes_context=True)
def book_links(context: Any) -> dict[str, Any]:
    from canteen.selectors import canteens_of

    request = context.get("request")
    if request is None or getattr(request, "school", None) is None:
        return {"canteens": []}
    this_month = timezone.localdate().replace(day=1)
    return {"canteens": list(canteens_of(request).order_by("name")), "this_month": this_month,
            "last_month": (this_month - dt.timedelta(days=1)).replace(day=1)}
