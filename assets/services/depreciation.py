"""Depreciation (折旧): straight line, monthly, no residual value (政府会计准则第3号 and 财会〔2018〕20号).

For a card of `original_value` over `years` (fixed at booking; the class's if the card has none),
after k months the accumulated depreciation is round(original_value × k / (years × 12), fen): each
month books the difference, so the last month takes the rounding rest and a card is depreciated to
exactly its original value, never beyond. Counting starts in the month of acquisition (当月计提) or
the next month (次月), by the school's setting. Classes that are not depreciated (land, cultural
relics, books and archives, animals and plants) are left alone.

`depreciate_month` is idempotent and catches up: it sets every card to where it should stand at the
end of the month booked, so running a month twice, or after a card was imported with years behind it,
gives the same figures. It runs in the database, one UPDATE per group of cards sharing their years:
a number of queries bounded by the class table, whatever the size of the ledger.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from logistics.models import School, User

from assets.models import ACTIVE_STATUSES, AssetCard, AssetClass, AssetSettings, DepreciationRun

CENT = Decimal("0.01")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Months from `first`'s month to `last`'s month, both counted (0 if `last` is earlier)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def expected(original: Decimal, years: int, start: dt.date, period: dt.date) -> tuple[Decimal, int]:
    """(accumulated depreciation, months) at the end of `period` for a card depreciating from `start`'s month."""
    total = years * 12
    months = min(months_between(start, period), total)
    return (original * months / total).quantize(CENT, rounding=ROUND_HALF_UP), months


def start_month(acquired_on: dt.date, *, same_month: bool) -> dt.date:
    first = month_start(acquired_on)
    if same_month:
        return first
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def depreciable_cards(school: School) -> QuerySet[AssetCard]:
    return (AssetCard.objects.filter(school=school, status__in=ACTIVE_STATUSES, asset_class__depreciable=True)
            .annotate(years=Coalesce("useful_life_years", "asset_class__useful_life_years"))
            .filter(years__gt=0))


def depreciate_month(*, school: School, period: dt.date, by: User | None = None) -> DepreciationRun:
    """Book `period`'s month for every depreciable card of `school` (see the module's note).

    In the database, not in Python: one UPDATE per group of cards sharing their years (the class's,
    or a card's own), computing each card's months and accumulated depreciation from its acquisition
    date, so 100,000 cards cost a few dozen queries and no rows travel. `expected()` is the same
    rule in Python (the tests hold the two together)."""
    from django.db import connection
    from django.db.models import DecimalField, F, IntegerField, Value
    from django.db.models.functions import ExtractMonth, ExtractYear, Greatest, Least, Round

    period = month_start(period)
    same_month = AssetSettings.for_school(school).depreciate_acquisition_month
    after = dt.date(period.year + period.month // 12, period.month % 12 + 1, 1)
    cards = depreciable_cards(school).filter(acquired_on__lt=after if same_month else period)
    elapsed = ((period.year - ExtractYear("acquired_on")) * 12 + (period.month - ExtractMonth("acquired_on"))
               + (1 if same_month else 0))
    before = cards.aggregate(total=Sum("accumulated_depreciation"), n=Count("pk"))
    groups = [("class", years, pk) for pk, years in
              AssetClass.objects.filter(depreciable=True, useful_life_years__gt=0).values_list("pk", "useful_life_years")]
    own = (AssetCard.objects.filter(school=school, useful_life_years__gt=0).values_list("useful_life_years", flat=True)
           .distinct().order_by())
    with transaction.atomic():
        for kind, years, key in [*groups, *[("own", y, y) for y in own]]:
            total = years * 12
            # SQLite keeps whole-yuan values as integers: divide by a real there, by a numeric elsewhere.
            divisor = Value(float(total)) if connection.vendor == "sqlite" else Value(Decimal(total))
            months = Least(Greatest(elapsed, Value(0)), Value(total), output_field=IntegerField())
            rows = cards.filter(asset_class_id=key, useful_life_years__isnull=True) if kind == "class" else cards.filter(useful_life_years=key)
            rows.update(
                accumulated_depreciation=Round(F("original_value") * months / divisor, 2, output_field=DecimalField(max_digits=14, decimal_places=2)),
                months_depreciated=months, depreciated_through=period)
    after_total = cards.aggregate(total=Sum("accumulated_depreciation"))["total"] or Decimal("0")
    booked = (Decimal(after_total) - Decimal(before["total"] or 0)).quantize(CENT)
    run, _created = DepreciationRun.objects.update_or_create(school=school, period=period, defaults={"cards": before["n"], "by": by})
    if booked:
        DepreciationRun.objects.filter(pk=run.pk).update(amount=run.amount + booked)
        run.refresh_from_db()
    return run


def depreciate_all(period: dt.date) -> int:
    """The monthly beat: book `period` for every school. Returns how many schools were run."""
    schools = list(School.objects.all())
    for school in schools:
        depreciate_month(school=school, period=period)
    return len(schools)


def ledger_totals(school: School, by: str) -> list[dict[str, Any]]:
    """Original value, accumulated depreciation and net value of the active ledger grouped `by`
    "asset_class" or "department" (sums in the database, Decimal to the fen), with the whole."""
    field = {"asset_class": ("asset_class__code", "asset_class__name"), "department": ("department__name",)}[by]
    rows = list(AssetCard.objects.filter(school=school, status__in=ACTIVE_STATUSES).values(*field)
                .annotate(original=Sum("original_value"), accumulated=Sum("accumulated_depreciation")).order_by(*field))
    for row in rows:
        row["original"] = (row["original"] or Decimal("0")).quantize(CENT)
        row["accumulated"] = (row["accumulated"] or Decimal("0")).quantize(CENT)
        row["net"] = row["original"] - row["accumulated"]
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    return {k: sum((r[k] for r in rows), Decimal("0")) for k in ("original", "accumulated", "net")}


__all__ = ["depreciate_month", "depreciate_all", "ledger_totals", "totals", "expected", "Q"]
