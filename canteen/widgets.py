"""The canteen's card on the home pages, its navigation entries and the district column."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from logistics import widgets
from logistics.options import kept, options
from logistics.widgets import NavItem

from canteen.models import Canteen
from canteen.selectors import DAY_PAGE, KINDS, certificates_expiring, completion, day_phase, day_view, is_operating_day, samples_to_destroy

widgets.register_nav(NavItem("canteen", _("Canteen"), "canteen:home", "egg-fried", order=30, permissions=("canteen.view_canteen",)))
widgets.register_nav(NavItem("canteen-records", _("Canteen records"), "canteen:sample-list", "journal-check", order=31,
                             permissions=("canteen.view_canteen",)))
widgets.register_nav(NavItem("canteen-setup", _("Canteen set-up"), "canteen:setup", "sliders", order=32, permissions=("canteen.change_canteen",)))

CARD_CANTEENS = 3  # a school with more canteens sees the first three here and all of them on the canteen page


@widgets.widget("canteen-today", _("Canteen today"), "canteen/widgets/today.html", permissions=("canteen.view_canteen",), order=7)
def today(request: HttpRequest) -> dict[str, Any] | None:
    """What is due now and missing in each canteen today, each linked to the day view; the chores.
    The days are kept like the day pages (until a record or one of the day's moments)."""
    setups = sorted((s for s in options("canteen.setup", request.school).values() if s.canteen and s.canteen.is_active),
                    key=lambda s: s.canteen.name)[:CARD_CANTEENS]
    if not setups:
        return None
    day = timezone.localdate()
    phases = ",".join(day_phase(s.canteen, s, day) for s in setups)
    views = kept(f"{DAY_PAGE}:{request.school.pk}", f"card:{day}:{phases}:{get_language()}",
                 lambda: [day_view(s.canteen, day, setup=s) for s in setups])
    return {
        "day": day, "views": views,
        "certificates": certificates_expiring(request.school, within_days=setups[0].canteen.certificate_notice_days).count(),
        "to_destroy": samples_to_destroy(request.school).count(),
    }


def district_completion(schools: list[Any], *, days: int = 30, today: dt.date | None = None) -> dict[int, float | None]:
    """Share of the records due that were kept, per school, over the last `days` operating days (to
    yesterday): 8 queries however many schools."""
    today = today or timezone.localdate()
    start, end = today - dt.timedelta(days=days), today - dt.timedelta(days=1)
    canteens = list(Canteen.objects.filter(school__in=schools, is_active=True).only("pk", "school_id"))
    done, expected = completion(canteens, start, end)
    operating = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    operating = [d for d in operating if is_operating_day(d)]
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for canteen in canteens:
        for day in operating:
            for key, _label in KINDS:
                want = expected.get((canteen.pk, key), 0)
                totals[canteen.school_id][0] += min(done.get((canteen.pk, day, key), 0), want)
                totals[canteen.school_id][1] += want
    return {s.pk: (round(100 * totals[s.pk][0] / totals[s.pk][1], 1) if totals[s.pk][1] else None) for s in schools}


@widgets.district_column("canteen-completion", _("Canteen records kept (30 days, %)"), order=35)
def district_column(schools: list[Any]) -> dict[int, float | None]:
    return district_completion(schools)
