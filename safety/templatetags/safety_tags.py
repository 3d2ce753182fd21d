from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safety.models import Grade, HazardCategory, HazardStatus, RoundStatus

register = template.Library()

STATUS_CLASSES = {
    HazardStatus.OPEN: "text-bg-warning",
    HazardStatus.FIXING: "text-bg-primary",
    HazardStatus.TO_VERIFY: "text-bg-info",
    HazardStatus.CLOSED: "text-bg-success",
    HazardStatus.WITHDRAWN: "text-bg-light border text-decoration-line-through",
}

STEP_LABELS = {
    "safety.hazard.reported": _("Hazard reported"),
    "safety.hazard.assigned": _("Assigned"),
    "safety.hazard.five_recorded": _("Five “in place” recorded"),
    "safety.hazard.started": _("Rectification started"),
    "safety.hazard.rectified": _("Rectified"),
    "safety.hazard.closed": _("Verified and closed"),
    "safety.hazard.sent_back": _("Sent back"),
    "safety.hazard.withdrawn": _("Withdrawn"),
    "safety.hazard.repair_opened": _("Repair ticket opened"),
    "safety.hazard.reported_to_bureau": _("Reported to the education bureau"),
    "safety.hazard.repair_accepted": _("Repair accepted"),
    "safety.hazard.from_drill": _("Found in a drill"),
    "safety.drill.planned": _("Drill planned"),
    "safety.drill.held": _("Drill recorded"),
    "safety.drill.cancelled": _("Drill cancelled"),
    "safety.drill.photos_added": _("Photos added"),
    "safety.training.recorded": _("Training recorded"),
    "safety.training.corrected": _("Training corrected"),
}


def _label(choices: Any, value: str) -> Any:
    """A choice's label through the enum (Model.get_FOO_display hashes the whole choices list on
    every call: on a page of 50 rows that was a fifth of the ledger's time)."""
    try:
        return choices(value).label
    except ValueError:
        return value


@functools.cache
def _badges(language: str) -> dict[str, str]:
    """The hazard and grade badges as HTML, once per language: a ledger page shows a hundred."""
    badges = {}
    for value, label in HazardStatus.choices:
        badges[f"s:{value}"] = format_html('<span class="badge {}" data-status="{}">{}</span>', STATUS_CLASSES.get(value, ""), value, label)
    for value, label in Grade.choices:
        major = value == Grade.MAJOR
        badges[f"g:{value}"] = format_html('<span class="badge {}" data-grade="{}">{}</span>',
                                           "text-bg-danger" if major else "text-bg-light border", value, label)
    for value, label in RoundStatus.choices:
        badges[f"r:{value}"] = format_html('<span class="badge {}">{}</span>',
                                           "text-bg-success" if value == RoundStatus.FINISHED else "text-bg-primary", label)
    return badges


@register.simple_tag
def round_badge(round: Any) -> str:
    return _badges(get_language() or "")[f"r:{round.status}"]


@register.simple_tag
def hazard_badge(hazard: Any) -> str:
    return _badges(get_language() or "")[f"s:{hazard.status}"]


@register.simple_tag
def grade_badge(hazard: Any) -> str:
    return _badges(get_language() or "")[f"g:{hazard.grade}"]


@register.filter
def category_label(value: str) -> Any:
    return _label(HazardCategory, value)


@register.filter
def round_status_label(value: str) -> Any:
    return _label(RoundStatus, value)


@register.filter
def step_label(action: str) -> Any:
    return STEP_LABELS.get(action, action)


@register.filter
def hazard_status_label(value: str) -> Any:
    return HazardStatus(value).label if value in HazardStatus.values else value
