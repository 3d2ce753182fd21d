"""Reminders (Celery beat, every 15 minutes): each goes out once, in-app and by e-mail, to the school's
canteen managers.

- a meal with no sample an hour after it was served;
- morning checks not done by the canteen's opening time;
- health certificates expiring within the canteen's notice days (or lapsed);
- samples past their 48 hours, waiting to be destroyed.

Each reminder is claimed by inserting its key into `ReminderSent` (unique) before it is sent, so two
beats running at once send it once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Callable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import Role
from logistics.notifications import notify
from logistics.selectors import people_with_role

from canteen.models import Canteen, Meal, MorningCheck, ReminderSent, Sample, Staff

SAMPLE_GRACE = dt.timedelta(hours=1)


def _claim(school_id: int, key: str) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(school_id=school_id, key=key[:100])
        return True
    except IntegrityError:
        return False


def _send(canteen: Canteen, key: str, compose: Callable[[], tuple[str, str]], url: str) -> int:
    if not _claim(canteen.school_id, key):
        return 0
    managers = list(people_with_role(canteen.school, Role.CANTEEN_MANAGER))
    notify(managers, school=canteen.school, compose=compose, url=url)
    return 1


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the reminders due at `now`; returns how many were sent."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    canteens = list(Canteen.objects.filter(is_active=True, school__is_active=True).select_related("school"))
    if not canteens:
        return 0
    ids = [c.pk for c in canteens]
    sent = 0
    operating = today.weekday() < 5
    meals: dict[int, list[Meal]] = defaultdict(list)
    for meal in Meal.objects.filter(canteen__in=ids, is_active=True):
        meals[meal.canteen_id].append(meal)
    sampled = set(Sample.objects.current().filter(canteen__in=ids, day=today).values_list("canteen_id", "meal"))
    checked = set(MorningCheck.objects.current().filter(canteen__in=ids, day=today).values_list("staff_id", flat=True))
    staff_by: dict[int, list[Staff]] = defaultdict(list)
    for person in Staff.objects.filter(canteen__in=ids, is_active=True):
        staff_by[person.canteen_id].append(person)
    to_destroy = dict(Sample.objects.current().filter(canteen__in=ids, status=Sample.Status.KEPT, expires_at__lte=now)
                      .values_list("canteen_id").annotate(n=Count("pk")).order_by())
    for canteen in canteens:
        day_url = reverse("canteen:day", args=[canteen.pk, today.isoformat()])
        for meal in meals[canteen.pk] if operating else ():
            served = timezone.make_aware(dt.datetime.combine(today, meal.serves_at))
            if now >= served + SAMPLE_GRACE and (canteen.pk, meal.kind) not in sampled:
                sent += _send(canteen, f"sample:{meal.pk}:{today}", lambda c=canteen, m=meal: (
                    _("%(canteen)s: no sample of %(meal)s yet") % {"canteen": c.name, "meal": m.get_kind_display()},
                    _("An hour after %(meal)s was served no sample is recorded. Keep at least %(min)s g of every dish.")
                    % {"meal": m.get_kind_display(), "min": c.sample_min_grams}), day_url)
        opening = timezone.make_aware(dt.datetime.combine(today, canteen.opens_at))
        missing = [p.name for p in staff_by[canteen.pk] if p.on_duty and p.pk not in checked]
        if operating and now >= opening and missing:
            sent += _send(canteen, f"checks:{canteen.pk}:{today}", lambda c=canteen, names=missing: (
                _("%(canteen)s: morning checks not done") % {"canteen": c.name},
                _("Not checked yet: %(names)s.") % {"names": "、".join(names)}), day_url)
        horizon = today + dt.timedelta(days=canteen.certificate_notice_days)
        for person in staff_by[canteen.pk]:
            if person.certificate_expires and person.certificate_expires <= horizon:
                sent += _send(canteen, f"cert:{person.pk}:{person.certificate_expires}", lambda c=canteen, p=person: (
                    _("Health certificate of %(name)s expires on %(day)s") % {"name": p.name, "day": p.certificate_expires.isoformat()},
                    _("Without a valid health certificate %(name)s cannot be on duty (食品安全法 第四十五条).") % {"name": p.name}),
                    reverse("canteen:staff-list"))
        if to_destroy.get(canteen.pk):
            n = to_destroy[canteen.pk]
            sent += _send(canteen, f"destroy:{canteen.pk}:{today}", lambda c=canteen, n=n: (
                _("%(canteen)s: %(n)s samples may be destroyed") % {"canteen": c.name, "n": n},
                _("They have been kept for %(hours)s hours; record their destruction.") % {"hours": c.sample_hours}),
                reverse("canteen:sample-list") + "?status=kept&expired=1")
    return sent


__all__ = ["reminders_send"]
