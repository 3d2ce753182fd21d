"""The assets app's cards on the home pages, its navigation entry and its district columns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from logistics import widgets
from logistics.permissions import can
from logistics.widgets import NavItem

from assets.models import ACTIVE_STATUSES, AssetCard
from assets.selectors import cards_visible_to, status_figures

widgets.register_nav(NavItem("assets", _("Assets"), "assets:card-list", "archive", order=30, permissions=("assets.view_assetcard",)))
widgets.register_nav(NavItem("stock", _("Consumables"), "assets:stock-list", "box-seam", order=31, permissions=("assets.view_stockitem",)))


@widgets.widget("assets-by-status", _("Assets by status"), "assets/widgets/by_status.html", permissions=("assets.view_all_cards",),
                order=15)
def by_status(request: HttpRequest) -> dict[str, Any]:
    return status_figures(school=request.school)


@widgets.widget("assets-mine", _("Assets in my care"), "assets/widgets/mine.html", permissions=("assets.view_assetcard",), order=16)
def mine(request: HttpRequest) -> dict[str, Any] | None:
    """A class teacher's class assets, a staff member's own: hidden for those who see the whole ledger."""
    if can(request.user, request.school, "assets.view_all_cards"):
        return None
    figures = cards_visible_to(user=request.user, school=request.school).filter(status__in=ACTIVE_STATUSES).aggregate(
        n=Count("pk"), lent=Count("pk", filter=Q(status=AssetCard.Status.LENT)))
    if not figures["n"]:
        return None
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from assets.models_check import ClassCheck
    from logistics.models import SchoolClass

    # The classes this person heads, each with whether this month's class asset check is done: the
    # card says what is left to do, not only where the page is.
    month = timezone.localdate().replace(day=1)
    done = ClassCheck.objects.filter(school_class=OuterRef("pk"), month=month)
    figures["classes"] = list(SchoolClass.objects.for_school(request.school).filter(head_teacher_id=request.user.pk)
                              .annotate(checked=Exists(done)).order_by("name").values("name", "checked"))
    figures["unchecked"] = [c["name"] for c in figures["classes"] if not c["checked"]]
    return figures


@widgets.widget("assets-class-stocktake", _("Stocktake of my class"), "assets/widgets/stocktake.html",
                permissions=("assets.count_stocktake",), order=19)
def class_stocktake(request: HttpRequest) -> dict[str, Any] | None:
    """A class teacher's way in to the open stocktakes that hold their class's assets, with their
    part's progress (at most three stocktakes, one query each)."""
    from django.db.models import Exists, OuterRef

    from assets import rules
    from assets.models_stocktake import Stocktake, StocktakeLine, StocktakeStatus
    from assets.services.stocktake import figures

    if rules.sees_all_stocktakes(request.user, request.school.pk):
        return None
    part = rules.class_part(request.user, request.school.pk)
    mine = StocktakeLine.objects.filter(stocktake=OuterRef("pk")).filter(part)
    counts = list(Stocktake.objects.for_school(request.school).filter(Exists(mine), status=StocktakeStatus.OPEN).order_by("-opened_at")[:3])
    for s in counts:
        f = figures(s, part=part)
        s.total, s.counted = f["expected"], f["counted"]
    return {"stocktakes": counts} if counts else None


# --- The district viewer's table: one query for both columns, however many schools ---------------

def _per_school(schools: list[Any]) -> dict[int, dict[str, Any]]:
    rows = (AssetCard.objects.filter(school__in=schools, status__in=ACTIVE_STATUSES).values("school_id")
            .annotate(n=Count("pk"), value=Sum("original_value")).order_by())
    return {row.pop("school_id"): row for row in rows}


@widgets.district_column("assets-cards", _("Asset cards"), order=30)
def district_cards(schools: list[Any]) -> dict[int, int]:
    rows = _per_school(schools)
    return {s.pk: rows.get(s.pk, {}).get("n", 0) for s in schools}


@widgets.district_column("assets-value", _("Original value (10,000 yuan)"), order=31)
def district_value(schools: list[Any]) -> dict[int, str]:
    """In 万元, as education bureaus total school assets: a narrow column on a phone."""
    rows = _per_school(schools)
    return {s.pk: f"{(rows.get(s.pk, {}).get('value') or Decimal('0')) / 10000:,.2f}" for s in schools}


@widgets.widget("assets-low-stock", _("Low stock"), "assets/widgets/low_stock.html", permissions=("assets.manage_stock",), order=17)
def low_stock(request: HttpRequest) -> dict[str, Any] | None:
    """Consumables below their minimum (all warehouses together): what to restock, the lowest first."""
    from assets.selectors import low_stock_of

    items = list(low_stock_of(request.school).order_by("name", "id")[:6])
    return {"items": items} if items else None


WARRANTY_DAYS = 60  # how far ahead the office is told a warranty ends: time to call the supplier


@widgets.widget("assets-attention", _("Assets needing attention"), "assets/widgets/attention.html", permissions=("assets.move_card",),
                order=18)
def attention(request: HttpRequest) -> dict[str, Any] | None:
    """Loans past their date (to chase), warranties ending within 60 days (to claim while free):
    two queries, the first few of each."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    cards = AssetCard.objects.for_school(request.school)
    overdue = list(cards.filter(status=AssetCard.Status.LENT, lent_due__lt=today).order_by("lent_due", "id")[:5])
    warranty = list(cards.filter(status__in=ACTIVE_STATUSES, warranty_until__gte=today,
                                 warranty_until__lte=today + dt.timedelta(days=WARRANTY_DAYS)).order_by("warranty_until", "id")[:5])
    return {"overdue": overdue, "warranty": warranty, "today": today} if overdue or warranty else None


@widgets.widget("assets-stocktake", _("Stocktake in progress"), "assets/widgets/stocktake.html", permissions=("assets.view_stocktake",),
                order=19)
def stocktake_progress(request: HttpRequest) -> dict[str, Any] | None:
    from assets.models_stocktake import Result, Stocktake, StocktakeStatus

    open_counts = list(Stocktake.objects.for_school(request.school).filter(status=StocktakeStatus.OPEN)
                       .annotate(total=Count("lines", filter=Q(lines__card__isnull=False)),
                                 counted=Count("lines", filter=Q(lines__result__in=(Result.FOUND, Result.DAMAGED))))
                       .order_by("-opened_at")[:3])
    return {"stocktakes": open_counts} if open_counts else None
