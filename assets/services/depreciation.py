"""Depreciation (折旧): straight line, monthly, no residual value (政府会计准则第3号 and 财会〔2018〕20号).

For a card of `original_value` over `years` (fixed at booking; the class's if the card has none),
after k months the accumulated depreciation is round(original_value × k / (years × 12), fen): each
month books the difference, so the last month takes the rounding rest and a card is depreciated to
exactly its original value, never beyond. Counting starts in the month of acquisition (当月计提) or
the next month (次月), by the school's setting. Classes that are not depreciated (land, cultural
relics, books and archives, animals and plants) are left alone.

`depreciate_month` is idempotent and catches up: it sets every card to where it should stand at the
end of the month booked, so running a month twice, or after a card was imported with years behind it,
gives the same figures. It reads and writes the cards in chunks: a bounded number of queries per
2,000 cards, whatever the size of the ledger.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from logistics.models import School, User

from assets.models import ACTIVE_STATUSES, AssetCard, AssetSettings, DepreciationRun

CENT = Decimal("0.01")
CHUNK = 2000


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Months from `first`'s month to `last`'s month, both counted (0 if `last` is earlier)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def expected(original: Decimal, years: int, start: dt.date, period: dt.date) -> tuple[Decimal, int]:
    """(accumulated depreciation, months) at the end of `period` for a card depreciating from `start`'s month."""
    total = years * 12
    months = min(months_between(start, period), total)
    return (original * months / total).quantize(CENT), months


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
    """Book `period`'s month for every depreciable card of `school` (see the module's note)."""
    period = month_start(period)
    same_month = AssetSettings.for_school(school).depreciate_acquisition_month
    cards = depreciable_cards(school).filter(acquired_on__lt=dt.date(period.year + period.month // 12, period.month % 12 + 1, 1))
    booked, counted, last_pk = Decimal("0"), 0, 0
    while True:
        rows = list(cards.filter(pk__gt=last_pk).order_by("pk")
                    .values_list("pk", "original_value", "years", "acquired_on", "accumulated_depreciation", "months_depreciated")[:CHUNK])
        if not rows:
            break
        last_pk = rows[-1][0]
        changed: list[AssetCard] = []
        for pk, original, years, acquired_on, accumulated, months in rows:
            target, target_months = expected(original, years, start_month(acquired_on, same_month=same_month), period)
            if target_months == 0:
                continue
            counted += 1
            if (target, target_months) != (accumulated, months):
                booked += target - accumulated
                changed.append(AssetCard(pk=pk, accumulated_depreciation=target, months_depreciated=target_months,
                                         depreciated_through=period))
        if changed:
            with transaction.atomic():
                AssetCard.objects.bulk_update(changed, ["accumulated_depreciation", "months_depreciated", "depreciated_through"],
                                              batch_size=500)
    run, _created = DepreciationRun.objects.update_or_create(school=school, period=period, defaults={"cards": counted, "by": by})
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
