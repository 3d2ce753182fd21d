from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from logistics.templatetags.list_tags import yuan

from assets.models import Status

register = template.Library()

STATUS_CLASSES = {
    Status.IN_USE: "text-bg-success",
    Status.IDLE: "text-bg-light border",
    Status.LENT: "text-bg-info",
    Status.UNDER_REPAIR: "text-bg-warning",
    Status.PENDING_DISPOSAL: "text-bg-danger",
    Status.DISPOSED: "text-bg-secondary",
}


@lru_cache(maxsize=16)
def _badges(language: str) -> dict[str, str]:
    """The badges as HTML, once per language: the ledger shows hundreds of them."""
    return {value: format_html('<span class="badge {}" data-status="{}">{}</span>', STATUS_CLASSES.get(value, ""), value, label)
            for value, label in Status.choices}


@register.simple_tag
def card_status(card: Any) -> str:
    return _badges(get_language() or "")[card.status]


def _step_labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "assets.assetcard.registered": _("Put on the ledger"),
        "assets.assetcard.edited": _("Card edited"),
        "assets.assetcard.issued": _("Issued for use"),
        "assets.assetcard.transferred": _("Transferred"),
        "assets.assetcard.returned": _("Returned to the office"),
        "assets.assetcard.lent": _("Lent"),
        "assets.assetcard.got_back": _("Got back from loan"),
        "assets.assetcard.sent_to_repair": _("Sent to repair"),
        "assets.assetcard.repaired": _("Back from repair"),
        "assets.assetcard.disposal_proposed": _("Proposed for disposal"),
        "assets.assetcard.split": _("Part of the batch split off"),
        "assets.assetcard.photo_added": _("Photo added"),
        "assets.assetcard.photo_removed": _("Photo removed"),
    }


@register.filter
def asset_step(action: str) -> Any:
    return _step_labels().get(action, action)


@register.filter
def asset_status(value: str) -> Any:
    try:
        return Status(value).label
    except ValueError:
        return value


register.filter("yuan", yuan)  # the shared one (logistics/templatetags/list_tags.py)


@register.filter(name="qty")
def qty_filter(value: Any) -> str:
    from assets.models_stock import qty

    return qty(value)
