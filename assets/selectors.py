"""Reads of the asset ledger: who sees which cards, the card page's history, dashboard figures.

Visibility (the one place that decides it): people with `assets.view_all_cards` (the logistics
office, principal, vice principal, finance, the district viewer) see every card of the current
school; a class teacher the cards held by the classes they head; everyone else the cards they hold.
Another school's cards are never in the queryset, so they are a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest

from logistics import audit
from logistics.models import Building, Department, Membership, Room, SchoolClass, User
from logistics.options import kept, move_on, option_list, options, watch
from logistics.permissions import can
from logistics.scoping import require_school

from assets.models import ACTIVE_STATUSES, AssetCard, AssetClass, Movement, Status

LIST_RELATED = ("asset_class", "room__building", "custodian", "custodian_class", "department")
# Every list index ends in this order (see AssetCard.Meta.indexes): the keyset pager seeks along it.
LIST_ORDER = ("number", "id")


def cards_visible_to(*, user: Any, school: Any) -> QuerySet[AssetCard]:
    qs = AssetCard.objects.for_school(school)
    if can(user, school, "assets.view_all_cards"):
        return qs
    if not can(user, school, "assets.view_assetcard"):
        return qs.none()
    headed = SchoolClass.objects.for_school(school).filter(head_teacher_id=user.pk).values("pk")
    return qs.filter(Q(custodian_id=user.pk) | Q(custodian_class__in=headed))


def visible_cards(request: HttpRequest) -> QuerySet[AssetCard]:
    require_school(request)
    return cards_visible_to(user=request.user, school=request.school)


def get_card_for(request: HttpRequest, pk: int) -> AssetCard:
    """The card if this person may see it, else 404 (also for another school's card)."""
    try:
        return visible_cards(request).select_related(*LIST_RELATED, "school", "created_by").get(pk=pk)
    except AssetCard.DoesNotExist:
        raise Http404 from None


def movements_of(card: AssetCard) -> list[Movement]:
    return list(
        Movement.objects.filter(card=card)
        .select_related("by", "from_custodian", "from_class", "from_room__building", "to_custodian", "to_class", "to_room__building")
        .order_by("-at", "-id")
    )


def history_of(card: AssetCard) -> list[Any]:
    return list(audit.history_of(card).order_by("-at", "-pk"))


# --- Choices of the forms and filters (one query each) --------------------------------------------

def classes_in_use() -> QuerySet[AssetClass]:
    return AssetClass.objects.filter(is_active=True).order_by("code")


def people_of(school: Any) -> QuerySet[User]:
    members = Membership.objects.for_school(school).active().values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "username")


def classes_of(school: Any) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.for_school(school).order_by("grade", "name")


def departments_of(school: Any) -> QuerySet[Department]:
    return Department.objects.for_school(school).order_by("name")


def buildings_of(school: Any) -> QuerySet[Building]:
    return Building.objects.for_school(school).order_by("code")


# --- The ledger filter's choices, kept per school in the cache (logistics.options) --------------------
# The class table is shared by every school (and small): read each time, it is one query.

@option_list("assets.building", depends_on=[Building])
def _building_options(school_id: int) -> list[tuple[Any, str]]:
    return list(buildings_of(school_id).values_list("pk", "name"))


@option_list("assets.room", depends_on=[Room, Building])
def _room_options(school_id: int) -> list[tuple[Any, str]]:
    return [(room.pk, str(room)) for room in Room.objects.for_school(school_id).filter(is_active=True).select_related("building")]


@option_list("assets.department", depends_on=[Department])
def _department_options(school_id: int) -> list[tuple[Any, str]]:
    return list(departments_of(school_id).values_list("pk", "name"))


@option_list("assets.custodian", depends_on=[Membership, User])
def _custodian_options(school_id: int) -> list[tuple[Any, str]]:
    return [(user.pk, user.display_name) for user in people_of(school_id).only("full_name", "first_name", "last_name", "username")]


@option_list("assets.custodian_class", depends_on=[SchoolClass])
def _class_options(school_id: int) -> list[tuple[Any, str]]:
    return [(c.pk, str(c)) for c in classes_of(school_id)]


def ledger_filter_options(form: Any, school: Any) -> dict[str, list[tuple[Any, Any]]]:
    """The ledger filter's selects as (value, label) pairs, the empty choice first: the school's lists
    from the cache, the statuses and classes from the form."""
    lists: dict[str, list[tuple[Any, Any]]] = {"status": list(form.fields["status"].choices)}
    lists["asset_class"] = [("", form.fields["asset_class"].empty_label),
                            *((pk, f"{code} {name}") for pk, code, name in classes_in_use().values_list("pk", "code", "name"))]
    for name in ("building", "room", "department", "custodian", "custodian_class"):
        lists[name] = [("", form.fields[name].empty_label), *options(f"assets.{name}", school)]
    return lists


# --- Dashboard ------------------------------------------------------------------------------------

# The generation of a school's ledger figures (the home card): moved on when a card is saved or
# deleted (assets.apps), and by hand after a bulk create (the import, the demo).
LEDGER = "assets.ledger"


def ledger_changed(school: Any) -> None:
    move_on(f"{LEDGER}:{getattr(school, 'pk', school)}")


def watch_ledger() -> None:
    watch(LEDGER, [AssetCard], per_school=True)


def status_figures(*, school: Any) -> dict[str, Any]:
    """Cards and their original value by status, for the active ledger: one query over every card
    (25 ms for 100,000 on SQLite), so kept until a card of the school changes."""
    return kept(f"{LEDGER}:{school.pk}", "by-status", lambda: _status_figures(school))


def _status_figures(school: Any) -> dict[str, Any]:
    rows = {
        row["status"]: row
        for row in AssetCard.objects.for_school(school).values("status").annotate(n=Count("pk"), value=Sum("original_value")).order_by()
    }
    by_status = [(Status(s), rows.get(s, {}).get("n", 0), rows.get(s, {}).get("value") or Decimal("0")) for s in ACTIVE_STATUSES]
    return {
        "by_status": by_status,
        "total": sum(n for _s, n, _v in by_status),
        "value": sum((v for _s, _n, v in by_status), start=Decimal("0")),
    }


# --- Consumables ------------------------------------------------------------------------------------

def stock_items_of(school: Any) -> QuerySet:
    """The school's catalogue with the quantity and value on hand in all warehouses, and whether it is low."""
    from django.db.models import BooleanField, DecimalField, ExpressionWrapper, F, Value
    from django.db.models.functions import Coalesce

    from assets.models_stock import StockItem

    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return (StockItem.objects.for_school(school)
            .annotate(on_hand=Coalesce(Sum("stocks__quantity"), zero), value=Coalesce(Sum("stocks__value"), zero))
            .annotate(low=ExpressionWrapper(Q(on_hand__lt=F("min_stock")), output_field=BooleanField())))


def low_stock_of(school: Any) -> QuerySet:
    return stock_items_of(school).filter(is_active=True, min_stock__gt=0, low=True)


def stock_ledger(item: Any, *, year: int, month: int) -> dict[str, Any]:
    """The 出入库 ledger of one item for one month: the balance brought forward, the lines, the totals."""
    import datetime as dt

    from assets.models_stock import StockMove

    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    moves = StockMove.objects.filter(item=item)
    before = moves.filter(on__lt=start).aggregate(q=Sum("quantity"), v=Sum("amount"))
    lines = list(moves.filter(on__gte=start, on__lt=end).select_related("warehouse", "by").order_by("on", "id"))
    opening_q, opening_v = before["q"] or Decimal("0"), before["v"] or Decimal("0")
    in_q = sum((m.quantity for m in lines if m.quantity > 0), Decimal("0"))
    out_q = -sum((m.quantity for m in lines if m.quantity < 0), Decimal("0"))
    running = opening_q
    for m in lines:
        running += m.quantity
        m.running = running  # across warehouses, unlike m.balance (the warehouse's own)
        m.out_quantity = -m.quantity
    return {"start": start, "lines": lines, "opening": opening_q, "opening_value": opening_v, "in": in_q, "out": out_q,
            "closing": opening_q + in_q - out_q,
            "closing_value": opening_v + sum((m.amount for m in lines), Decimal("0"))}


def card_by_number(school: Any, number: str) -> AssetCard | None:
    """The school's card of that number (repairs resolves a typed or scanned number with it)."""
    return AssetCard.objects.for_school(school).filter(number=(number or "").strip()[:40]).first()
