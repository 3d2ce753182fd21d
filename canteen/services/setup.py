"""Writes of the set-up and of notable events: a supplier dropped, an inspection, a training.

Notable events become 工作纪事 entries of the term report by rule (one per event, idempotent), through
the chronicle's one entry point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.workflow import WorkflowError, lock

from canteen.models import Canteen, Event, Supplier
from canteen.services.records import check_day

CHRONICLE_KIND = {
    Event.Kind.BUREAU_INSPECTION: "meeting_inspection",
    Event.Kind.TRAINING: "training",
    Event.Kind.MONTHLY_MEETING: "meeting_inspection",
}


def _chronicle(source: Any, **entry: Any) -> None:
    """Add the 工作纪事 entry of a notable event (idempotent per source and rule)."""
    from logistics.chronicle.services import record_by_rule

    record_by_rule(source, domain="canteen", **entry)


@transaction.atomic
def event_record(*, school: Any, day: dt.date, kind: str, title: str, by: Any, canteen: Canteen | None = None, summary: str = "",
                 people_count: int | None = None) -> Event:
    check_day(day)
    if kind not in Event.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of event it was.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the event a title.")})
    if canteen is not None and canteen.school_id != getattr(school, "pk", school):
        raise ValidationError({"canteen": _("That canteen is not in this school.")})
    event = Event.objects.create(school=school, canteen=canteen, day=day, kind=kind, title=title.strip()[:100], summary=summary.strip(),
                                 people_count=people_count, created_by=by)
    if kind in CHRONICLE_KIND:
        _chronicle(event, school=school, kind=CHRONICLE_KIND[kind], title=event.title, date=day, summary=event.summary,
                   people_count=people_count, rule=f"canteen.event.{kind}")
    return event


@transaction.atomic
def supplier_drop(*, supplier: Supplier, reason: str, by: Any, day: dt.date | None = None) -> Supplier:
    """Stop buying from a supplier. Its deliveries stay; it leaves the delivery form."""
    if not reason.strip():
        raise ValidationError({"dropped_reason": _("Say why the supplier is dropped.")})
    supplier = lock(supplier)
    if not supplier.is_active:
        raise WorkflowError(_("This supplier was already dropped."))
    day = day or timezone.localdate()
    Supplier.objects.filter(pk=supplier.pk).update(is_active=False, dropped_on=day, dropped_reason=reason.strip()[:200])
    supplier.refresh_from_db()
    audit.record(supplier, "canteen.supplier.dropped", by=by, school=supplier.school_id, note=reason.strip())
    _chronicle(supplier, school=supplier.school, kind="other", title=_("Supplier %(name)s dropped") % {"name": supplier.name},
               date=day, summary=reason.strip(), rule="canteen.supplier.dropped")
    return supplier


@transaction.atomic
def review_sign(*, canteen: Canteen, kind: str, start: dt.date, end: dt.date, summary: str, by: Any,
                people_count: int | None = None) -> Event:
    """Sign the week's review (周排查) or the month's meeting minutes (月调度), once per canteen and period."""
    if kind not in (Event.Kind.WEEKLY_REVIEW, Event.Kind.MONTHLY_MEETING):
        raise ValidationError({"kind": _("Choose what kind of event it was.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Write the review before signing it.")})
    Canteen.objects.select_for_update().filter(pk=canteen.pk).values_list("pk", flat=True).get()  # one signature per period
    if Event.objects.filter(canteen=canteen, kind=kind, day__gte=start, day__lte=end).exists():
        raise WorkflowError(_("This period's review is already signed."))
    day = min(end, timezone.localdate())
    check_day(day)
    title = (_("Weekly food-safety review %(start)s to %(end)s") if kind == Event.Kind.WEEKLY_REVIEW
             else _("Monthly food-safety meeting %(start)s to %(end)s")) % {"start": start.isoformat(), "end": end.isoformat()}
    event = Event.objects.create(school_id=canteen.school_id, canteen=canteen, day=day, kind=kind, title=title[:100], summary=summary.strip(),
                                 people_count=people_count, created_by=by)
    audit.record(event, f"canteen.event.{kind}", by=by, school=canteen.school_id)
    return event


MENU_AHEAD_DAYS = 60


def menu_dish_add(*, canteen: Canteen, day: dt.date, meal: str, name: str, by: Any, group: str = "", grams: Any = None) -> Any:
    """A dish on the weekly menu (带量食谱), up to two months ahead."""
    from canteen.models import FoodGroup, MealKind, MenuDish

    errors: dict[str, str] = {}
    if day > timezone.localdate() + dt.timedelta(days=MENU_AHEAD_DAYS) or day.year < 2000:
        errors["day"] = _("A menu is planned at most two months ahead.")
    if meal not in MealKind.values:
        errors["meal"] = _("This canteen does not serve that meal.")
    if not name.strip():
        errors["name"] = _("Name the dish.")
    if group and group not in FoodGroup.values:
        errors["group"] = _("Choose a food group.")
    if errors:
        raise ValidationError(errors)
    order = MenuDish.objects.filter(canteen=canteen, day=day, meal=meal).count() + 1
    return MenuDish.objects.create(canteen=canteen, day=day, meal=meal, name=name.strip()[:60], group=group, grams=grams, order=order)
