from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template

from logistics.templatetags.list_tags import filter_select
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from repairs.models import Status, Urgency

register = template.Library()

STATUS_CLASSES = {
    Status.SUBMITTED: "text-bg-warning",
    Status.DISPATCHED: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-primary",
    Status.DONE: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.ACCEPTED: "text-bg-secondary",
    Status.CLOSED: "text-bg-light border",
    Status.CANCELLED: "text-bg-light border text-decoration-line-through",
    Status.MERGED: "text-bg-light border",
}
URGENCY_CLASSES = {Urgency.URGENT: "text-bg-danger", Urgency.NORMAL: "text-bg-light border", Urgency.LOW: "text-bg-light border text-body-secondary"}


@lru_cache(maxsize=16)
def _badges(language: str) -> dict[str, str]:
    """The badges as HTML, once per language: a list page shows hundreds of them."""
    badges = {}
    for value, label in Status.choices:
        badges[f"s:{value}"] = format_html('<span class="badge {}" data-status="{}">{}</span>', STATUS_CLASSES.get(value, ""), value, label)
    for value, label in Urgency.choices:
        badges[f"u:{value}"] = format_html('<span class="badge {}">{}</span>', URGENCY_CLASSES.get(value, ""), label)
    return badges


register.simple_tag(filter_select)  # the shared one (logistics/templatetags/list_tags.py)


@register.simple_tag
def status_badge(ticket: Any) -> str:
    return _badges(get_language() or "")[f"s:{ticket.status}"]


@register.simple_tag
def urgency_badge(ticket: Any) -> str:
    return _badges(get_language() or "")[f"u:{ticket.urgency}"]


def _step_labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "repairs.ticket.submitted": _("Reported"),
        "repairs.ticket.dispatched": _("Dispatched"),
        "repairs.ticket.reassigned": _("Reassigned"),
        "repairs.ticket.started": _("Work started"),
        "repairs.ticket.noted": _("Work note"),
        "repairs.ticket.material_added": _("Material used"),
        "repairs.ticket.material_removed": _("Material removed"),
        "repairs.ticket.done": _("Marked done"),
        "repairs.ticket.accepted": _("Accepted"),
        "repairs.ticket.rejected": _("Rejected"),
        "repairs.ticket.closed": _("Closed"),
        "repairs.ticket.cancelled": _("Cancelled"),
        "repairs.ticket.merged": _("Merged as a duplicate"),
        "repairs.ticket.duplicate_merged": _("Duplicate merged in"),
        "repairs.ticket.urgency_changed": _("Urgency changed"),
    }


@register.filter
def step_label(action: str) -> Any:
    return _step_labels().get(action, action)


@register.filter
def stars(rating: Any) -> str:
    try:
        n = int(rating)
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)


@register.filter
def status_label(value: str) -> Any:
    return Status(value).label if value in Status.values else value


@register.filter
def qty(value: Any) -> str:
    """2.00 → 2, 1.50 → 1.5, 10.00 → 10 (normalize() alone would write 1E+1)."""
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return str(value)
