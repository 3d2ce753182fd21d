from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safety.models import UNFIXED_STATUSES, Grade, HazardCategory, HazardStatus, RoundStatus

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


# --- The two long lists' rows, written in one pass --------------------------------------------------
# A ledger page of 50 rows through the template engine resolved some 900 variables and formatted 150
# dates; written here, the rows cost less than a plain ListView's. One markup serves both widths: the
# columns a phone has no room for are hidden by CSS (d-none d-md-table-cell), the status badge is drawn
# once, in a column every width shows.

def _detail_prefix(url_name: str) -> str:
    """"/safety/hazards/" from reverse(…, args=[0]): each row's link is this plus its id."""
    from django.urls import reverse

    return reverse(url_name, args=[0])[: -len("0/")]


@register.simple_tag
def hazard_rows(page: Any) -> str:
    import datetime as dt

    from django.utils import timezone
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    badges = _badges(get_language() or "")
    prefix = _detail_prefix("safety:hazard-detail")
    today = timezone.localdate()
    categories = dict(HazardCategory.choices)
    late = '<span class="badge text-bg-danger" data-overdue>{}</span>'.format(escape(gettext("Past the deadline")))
    bureau = '<span class="badge text-bg-dark">{}</span>'.format(escape(gettext("Reported to the bureau")))
    unfixed = set(UNFIXED_STATUSES)
    rows = []
    for h in page:
        deadline: dt.date | None = h.deadline
        flags = (" " + bureau if h.reported_to_bureau_on else "") + (" " + late if deadline and h.status in unfixed and deadline < today else "")
        responsible = h.responsible.display_name if h.responsible_id else "—"
        rows.append(
            f'<tr><td class="text-nowrap"><a class="fw-semibold" href="{prefix}{h.pk}/">{escape(h.number)}</a>'
            f'<div class="small text-body-secondary">{h.found_on:%m-%d}</div></td>'
            f'<td><div>{escape(h.place_label)} {badges["g:" + h.grade]}</div>'
            f'<div class="small text-body-secondary text-truncate">{escape(categories.get(h.category, h.category))} · '
            f'{escape(h.description[:40])}</div></td>'
            f'<td class="d-none d-md-table-cell small">{escape(responsible)}</td>'
            f'<td class="d-none d-md-table-cell small text-nowrap">{f"{deadline:%Y-%m-%d}" if deadline else "—"}</td>'
            f'<td>{badges["s:" + h.status]}{flags}</td></tr>'
        )
    return mark_safe("".join(rows))


@register.simple_tag
def round_rows(page: Any) -> str:
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    badges = _badges(get_language() or "")
    prefix = _detail_prefix("safety:round-walk")
    campus = escape(_("Whole campus"))  # Round.place_label without a building, translated once
    rows = []
    for r in page:
        place, who = escape(r.building.name) if r.building_id else campus, escape(r.inspector.display_name)
        rows.append(
            f'<tr><td class="text-nowrap">{r.day:%Y-%m-%d}</td>'
            f'<td><a href="{prefix}{r.pk}/">{escape(r.template.name)}</a><div class="small text-body-secondary">{place} · {who}</div></td>'
            f'<td>{badges["r:" + r.status]}</td></tr>'
        )
    return mark_safe("".join(rows))
