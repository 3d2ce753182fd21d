"""The class teacher's monthly class asset check: confirm each of the class's cards; a damaged one
opens a repair ticket for that asset (through repairs.services), a missing one is a loss report on
the card's history for the office to follow up (by disposal if it stays lost)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import SchoolClass, User
from logistics.permissions import can
from logistics.workflow import WorkflowError

from assets.models import ACTIVE_STATUSES, AssetCard
from assets.models_check import CheckResult, ClassCheck, ClassCheckLine

# A class's damaged asset is reported under the first of these repair categories the school has.
CATEGORY_HINTS = ("多媒体", "电教", "设备", "电器", "家具", "木工")


def class_cards(school_class: SchoolClass) -> Any:
    return (AssetCard.objects.filter(school_id=school_class.school_id, custodian_class=school_class, status__in=ACTIVE_STATUSES)
            .select_related("room__building", "asset_class").order_by("number", "id"))


def may_check(user: Any, school_class: SchoolClass) -> bool:
    return school_class.head_teacher_id == user.pk or can(user, school_class.school_id, "assets.move_card")


def _category(school_id: int) -> Any:
    from repairs.models import Category  # the report form's own choice list; read only

    categories = list(Category.objects.filter(school_id=school_id, is_active=True).order_by("order", "pk"))
    if not categories:
        raise WorkflowError(_("The school has no repair categories yet: ask the logistics office."))
    for hint in CATEGORY_HINTS:
        for category in categories:
            if hint in category.name:
                return category
    return categories[0]


@transaction.atomic
def class_check_submit(*, school_class: SchoolClass, by: User, results: dict[int, tuple[str, str]],
                       month: dt.date | None = None) -> ClassCheck:
    """`results`: card id → (result, note); a card left out is in place. Once a month per class."""
    from repairs.services import ticket_submit

    if not may_check(by, school_class):
        raise WorkflowError(_("Only the class teacher checks the class's assets."))
    month = (month or timezone.localdate()).replace(day=1)
    cards = list(class_cards(school_class))
    known = {c.pk for c in cards}
    if set(results) - known:
        raise WorkflowError(_("One of the cards is not the class's."))
    if any(result not in CheckResult.values for result, _note in results.values()):
        raise WorkflowError(_("Mark each asset in place, damaged or missing."))
    try:
        with transaction.atomic():
            check = ClassCheck.objects.create(school_id=school_class.school_id, school_class=school_class, month=month, by=by)
    except IntegrityError:
        raise WorkflowError(_("%(cls)s's assets have already been checked this month.") % {"cls": school_class.name}) from None
    lines = []
    for card in cards:
        result, note = results.get(card.pk, (CheckResult.OK, ""))
        note = (note or "").strip()[:200]
        line = ClassCheckLine(class_check=check, card=card, result=result, note=note)
        if result == CheckResult.DAMAGED:
            room = card.room or school_class.room
            if room is None:
                raise WorkflowError(_("%(number)s has no room: the repair cannot say where it is.") % {"number": card.number})
            line.ticket = ticket_submit(
                school=card.school, reporter=by, room=room, category=_category(card.school_id), asset=card,
                description=_("Class asset check: %(name)s (%(number)s) is damaged. %(note)s") % {
                    "name": card.name, "number": card.number, "note": note},
            )
        elif result == CheckResult.MISSING:
            audit.record(card, "assets.assetcard.reported_missing", by=by, school=card.school_id, from_state=card.status,
                         to_state=card.status, note=note or _("Missing at the class asset check of %(month)s") % {"month": f"{month:%Y-%m}"})
        lines.append(line)
    ClassCheckLine.objects.bulk_create(lines)
    return check
