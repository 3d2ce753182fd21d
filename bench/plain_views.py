"""The second baseline of `python -m bench repairs`: the ticket list as a Django developer writes it
first — a `ListView` with `paginate_by` (Django's `Paginator`: COUNT(*) and OFFSET) over the same
tickets of the school, the same columns, in the same shell (`base.html`: navigation, unread count).

Mounted only by the benchmark (`bench.plain_urls`, the product's URLs plus this one), never in the
product's own URL conf.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.template import engines
from django.template.response import TemplateResponse
from django.views.generic import ListView

from repairs.models import Ticket

# Plain markup: a table of text, `get_*_display` for the choices, no badges, no filter form.
TEMPLATE = """{% extends "base.html" %}{% load i18n %}
{% block title %}Tickets{% endblock %}
{% block content %}
<h1>Tickets</h1>
<p>{{ paginator.count }} tickets</p>
<table class="table">
<thead><tr><th>Number</th><th>Reported at</th><th>Place and fault</th><th>Reporter</th><th>Repairer</th><th>Urgency</th><th>Status</th></tr></thead>
<tbody>
{% for t in object_list %}<tr>
<td><a href="{{ t.get_absolute_url }}">{{ t.number }}</a></td>
<td>{{ t.submitted_at|date:"Y-m-d H:i" }}</td>
<td>{{ t.building.name }} {{ t.room.code }} · {{ t.category.name }} · {{ t.description|truncatechars:40 }}</td>
<td>{{ t.reporter.display_name }}</td>
<td>{{ t.handler_label|default:"—" }}</td>
<td>{{ t.get_urgency_display }}</td>
<td>{{ t.get_status_display }}</td>
</tr>{% endfor %}
</tbody>
</table>
<nav>{% if page_obj.has_previous %}<a href="?page={{ page_obj.previous_page_number }}">previous</a>{% endif %}
page {{ page_obj.number }} of {{ paginator.num_pages }}
{% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">next</a>{% endif %}</nav>
{% endblock %}
"""


@cache
def _template() -> Any:
    # Compiled once, as the cached template loader does for a file in production.
    return engines["django"].from_string(TEMPLATE)


class PlainTicketList(LoginRequiredMixin, ListView):
    paginate_by = 50  # the ticket list's page size (logistics.lists.PER_PAGE)

    def get_queryset(self) -> QuerySet[Ticket]:
        return (
            Ticket.objects.filter(school=self.request.school)
            .select_related("room", "building", "category", "reporter", "assignee")
            .order_by("-submitted_at", "-id")
        )

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> TemplateResponse:
        return TemplateResponse(self.request, _template(), context, **response_kwargs)
