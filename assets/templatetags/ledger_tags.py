"""The ledger's rows in one pass: fifty rows of six cells through the template engine cost the page
more than its queries (every `{{ c.room.building.name }}` is a lookup chain resolved per row), and
the ledger must answer as fast as a plain ListView over the same cards (python -m bench assets)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from logistics.templatetags.list_tags import yuan

from assets.models import Status
from assets.templatetags.assets_tags import card_status

register = template.Library()

ROW = ('<tr data-card="{}"><td><a href="{}" class="fw-semibold">{}</a>{}'
       '<div class="small text-body-secondary text-nowrap">{}</div>'
       '<div class="d-md-none small">{} {}{}{}</div></td>'
       '<td class="d-none d-md-table-cell small">{}</td>'
       '<td class="d-none d-md-table-cell text-end text-nowrap">{}</td>'
       '<td class="d-none d-lg-table-cell small">{}</td>'
       '<td class="d-none d-lg-table-cell small">{}{}</td>'
       '<td class="d-none d-md-table-cell">{}{}</td></tr>')
_PK = 987654321  # a card id no school reaches, replaced by each row's: one reverse() per page, not per row


@register.simple_tag
def ledger_rows(cards: Iterable[Any], today: dt.date) -> SafeString:
    """The <tr> of each card of a ledger page (cards with LIST_RELATED selected)."""
    url = reverse("assets:card-detail", args=[_PK])
    overdue = format_html(' <span class="badge text-bg-danger">{}</span>', _("Overdue"))
    rows = []
    for c in cards:
        room = c.room
        place = f"{room.building.name} {room.code}" if room is not None else ""
        holder = c.holder_label
        status = card_status(c)
        value = yuan(c.original_value)
        rows.append(format_html(
            ROW, c.number, url.replace(str(_PK), str(c.pk)), c.name,
            format_html(' <span class="small">×{}{}</span>', c.quantity, c.unit) if c.quantity > 1 else "",
            c.number, status, value, f" · {place}" if place else "", f" · {holder}" if holder else "",
            c.asset_class.name, value, place or "—", holder or "—",
            format_html('<div class="text-body-secondary">{}</div>', c.department.name) if c.department_id else "",
            status, overdue if c.status == Status.LENT and c.lent_due and c.lent_due < today else "",
        ))
    return mark_safe("".join(rows))  # each row escaped by format_html
