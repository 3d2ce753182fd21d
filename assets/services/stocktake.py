"""Stocktake (盘点): open (freeze the expected list), mark, add what is not on the ledger, close, then
settle: location fixes applied on approval, losses sent to disposal (损失核销). See
assets/models_stocktake.py for why every mark is a one-row update."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from logistics import audit
from logistics.models import Building, Room, School, SchoolClass, User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, record_change, refuse_unless

from assets import rules
from assets.models import AssetCard, Movement, Status
from assets.models_stocktake import Result, Scope, Stocktake, StocktakeLine, StocktakeStatus
from assets.services.common import lock_card

__all__ = ["stocktake_open", "stocktake_mark", "stocktake_mark_number", "stocktake_add_surplus", "stocktake_close",
           "stocktake_apply_fixes", "stocktake_dispose_losses", "figures", "WorkflowError"]

COUNTED = (Result.FOUND, Result.DAMAGED)
# Lent cards are away by design: a count does not expect them in their rooms.
EXPECTED_STATUSES = (Status.IN_USE, Status.IDLE, Status.UNDER_REPAIR, Status.PENDING_DISPOSAL)


def _scope_cards(school: School, scope: str, *, building: Building | None, rooms: list[Room],
                 school_class: SchoolClass | None) -> QuerySet[AssetCard]:
    cards = AssetCard.objects.filter(school=school, status__in=EXPECTED_STATUSES)
    if scope == Scope.SCHOOL:
        return cards
    if scope == Scope.BUILDING:
        if building is None or building.campus.school_id != school.pk:
            raise WorkflowError(_("Choose one of this school's buildings."))
        return cards.filter(room__building=building)
    if scope == Scope.ROOMS:
        if not rooms or any(r.building.campus.school_id != school.pk for r in rooms):
            raise WorkflowError(_("Choose one or more of this school's rooms."))
        return cards.filter(room__in=rooms)
    if scope == Scope.CLASS:
        if school_class is None or school_class.school_id != school.pk:
            raise WorkflowError(_("Choose one of this school's classes."))
        held = Q(custodian_class=school_class)
        return cards.filter(held | Q(room_id=school_class.room_id) if school_class.room_id else held)
    raise WorkflowError(_("Choose what the stocktake covers."))


@transaction.atomic
def stocktake_open(*, school: School, by: User, title: str, scope: str, building: Building | None = None,
                   rooms: Iterable[Room] = (), school_class: SchoolClass | None = None) -> Stocktake:
    """Open a count and freeze its expected list: every card of the scope, with its room as it is now."""
    if not can(by, school, "assets.run_stocktake"):
        raise WorkflowError(_("Only the logistics office opens a stocktake."))
    title = (title or "").strip()
    if not title:
        raise WorkflowError(_("Give the stocktake a title."))
    rooms = list(rooms)
    cards = _scope_cards(school, scope, building=building, rooms=rooms, school_class=school_class)
    stocktake = Stocktake.objects.create(school=school, title=title[:100], scope=scope, opened_by=by,
                                         building=building if scope == Scope.BUILDING else None,
                                         school_class=school_class if scope == Scope.CLASS else None)
    if scope == Scope.ROOMS:
        stocktake.rooms.set(rooms)
    rows = cards.order_by("pk").values_list("pk", "number", "name", "original_value", "room_id").iterator(chunk_size=5000)
    batch: list[StocktakeLine] = []
    for pk, number, name, value, room_id in rows:
        batch.append(StocktakeLine(stocktake=stocktake, card_id=pk, number=number, name=name[:100], original_value=value,
                                   expected_room_id=room_id))
        if len(batch) >= 2000:
            StocktakeLine.objects.bulk_create(batch)
            batch = []
    StocktakeLine.objects.bulk_create(batch)
    audit.record(stocktake, "assets.stocktake.opened", by=by, school=school, to_state=stocktake.status)
    return stocktake


def _check_counter(stocktake: Stocktake, by: User) -> None:
    if not can(by, stocktake.school_id, "assets.count_stocktake"):
        raise WorkflowError(_("You may not count in this stocktake."))
    if stocktake.status != StocktakeStatus.OPEN:
        raise WorkflowError(_("This stocktake is closed."))


def _check_room(school_id: int, room: Room | None) -> None:
    if room is not None and room.building.campus.school_id != school_id:
        raise WorkflowError(_("Choose one of this school's rooms in use."))


def stocktake_mark(*, line: StocktakeLine, by: User, result: str, room: Room | None = None, note: str = "") -> StocktakeLine:
    """Mark one line found or damaged (where it was found: `room`, else where the ledger has it).
    One UPDATE of that line only, and only while the stocktake is open."""
    stocktake = line.stocktake
    _check_counter(stocktake, by)
    refuse_unless(rules.count_line(line, by))  # a class teacher: only their class's part
    if result not in (Result.FOUND, Result.DAMAGED, Result.PENDING):
        raise WorkflowError(_("Mark it found or damaged."))
    _check_room(stocktake.school_id, room)
    room_id = room.pk if room is not None else line.expected_room_id
    now = timezone.now()
    updated = StocktakeLine.objects.filter(pk=line.pk, stocktake__status=StocktakeStatus.OPEN).update(
        result=result, found_room_id=room_id if result != Result.PENDING else None, note=(note or "")[:200],
        marked_by=by if result != Result.PENDING else None, marked_at=now if result != Result.PENDING else None)
    if not updated:
        raise WorkflowError(_("This stocktake is closed."))
    return StocktakeLine.objects.get(pk=line.pk)


@transaction.atomic
def stocktake_mark_number(*, stocktake: Stocktake, by: User, number: str, room: Room | None = None, result: str = Result.FOUND,
                          note: str = "") -> StocktakeLine:
    """A scanned or typed asset number: its line is marked; a card of this school outside the scope
    gets a line of its own (found, somewhere the count did not expect it). Another school's number or
    an unknown one: not found."""
    _check_counter(stocktake, by)
    number = (number or "").strip()
    line = StocktakeLine.objects.filter(stocktake=stocktake, number=number, card__isnull=False).select_related("stocktake").first()
    if line is None:
        card = AssetCard.objects.filter(school_id=stocktake.school_id, number=number).exclude(status=Status.DISPOSED).first()
        if card is None:
            raise WorkflowError(_("No asset %(number)s on this school's ledger.") % {"number": number[:40]})
        line, _created = StocktakeLine.objects.get_or_create(
            stocktake=stocktake, card=card,
            defaults={"number": card.number, "name": card.name, "original_value": card.original_value, "expected_room_id": card.room_id})
        line.stocktake = stocktake
    return stocktake_mark(line=line, by=by, result=result, room=room, note=note)


def stocktake_add_surplus(*, stocktake: Stocktake, by: User, name: str, room: Room | None, note: str = "") -> StocktakeLine:
    """Something found that is not on the ledger (盘盈): a line of its own, to be put on the ledger."""
    _check_counter(stocktake, by)
    name = (name or "").strip()
    if not name:
        raise WorkflowError(_("Say what was found."))
    _check_room(stocktake.school_id, room)
    return StocktakeLine.objects.create(stocktake=stocktake, name=name[:100], result=Result.SURPLUS, found_room=room,
                                        note=(note or "")[:200], marked_by=by, marked_at=timezone.now())


def _check_runner(stocktake: Stocktake, by: User) -> None:
    if not can(by, stocktake.school_id, "assets.run_stocktake"):
        raise WorkflowError(_("Only the logistics office closes and settles a stocktake."))


@transaction.atomic
def stocktake_close(*, stocktake: Stocktake, by: User) -> Stocktake:
    """Close the count: every line nobody marked is missing (盘亏). Writes the 工作纪事 entry."""
    stocktake = lock(stocktake)
    _check_runner(stocktake, by)
    if stocktake.status != StocktakeStatus.OPEN:
        raise WorkflowError(_("This stocktake is closed."))
    stocktake.lines.filter(result=Result.PENDING).update(result=Result.MISSING)
    stocktake.status, stocktake.closed_by, stocktake.closed_at = StocktakeStatus.CLOSED, by, timezone.now()
    stocktake.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(stocktake, "assets.stocktake.closed", by=by, school=stocktake.school_id, from_state=StocktakeStatus.OPEN,
                 to_state=stocktake.status)
    _chronicle(stocktake)
    return stocktake


def _chronicle(stocktake: Stocktake) -> None:
    from logistics.chronicle.services import record_by_rule

    f = figures(stocktake)
    # The composer writes title + quantity + unit ("清查盘点资产1200件"); the rate goes in the summary. The
    # cards' value is not money spent, so no amount.
    record_by_rule(stocktake, school=stocktake.school, domain="assets", kind="meeting_inspection",
                   title=_("Counted the assets"), date=stocktake.opened_at.date(), end_date=stocktake.closed_at.date(),
                   quantity=f["expected"], unit=pgettext("unit", "pieces"),
                   summary=_("“%(title)s”: %(rate)s%% as on the ledger; missing %(missing)d, damaged %(damaged)d, in another room "
                             "%(moved)d, not on the ledger %(surplus)d.") % {**f, "title": stocktake.title},
                   rule="assets.stocktake.closed")


@transaction.atomic
def stocktake_apply_fixes(*, stocktake: Stocktake, by: User) -> int:
    """Approve the location fixes: each card found in another room is moved there on the ledger."""
    stocktake = lock(stocktake)
    _check_runner(stocktake, by)
    if stocktake.status != StocktakeStatus.CLOSED:
        raise WorkflowError(_("Close the stocktake first."))
    if stocktake.fixes_applied:
        raise WorkflowError(_("The location fixes have already been applied."))
    moved = 0
    for line in stocktake.lines.filter(result__in=COUNTED, card__isnull=False).select_related("found_room").order_by("card_id"):
        if not line.wrong_room:
            continue
        card = lock_card(line.card)
        if card.status == Status.DISPOSED or card.room_id == line.found_room_id:
            continue
        before = {"from_custodian": card.custodian, "from_class": card.custodian_class, "from_room": card.room}
        note = _("Stocktake “%(title)s”") % {"title": stocktake.title}
        record_change(card, "relocated", by=by, note=note, room=line.found_room)
        Movement.objects.create(school_id=card.school_id, card=card, kind=Movement.Kind.TRANSFER, at=timezone.now(), by=by,
                                to_custodian=card.custodian, to_class=card.custodian_class, to_room=line.found_room, note=note[:200],
                                **before)
        moved += 1
    stocktake.fixes_applied = True
    stocktake.save(update_fields=["fixes_applied"])
    return moved


@transaction.atomic
def stocktake_dispose_losses(*, stocktake: Stocktake, by: User) -> Any:
    """The missing cards go to the disposal procedure (损失核销), never a silent delete."""
    from assets.services.disposal import disposal_request

    stocktake = lock(stocktake)
    _check_runner(stocktake, by)
    if stocktake.status != StocktakeStatus.CLOSED:
        raise WorkflowError(_("Close the stocktake first."))
    if stocktake.disposal_id:
        raise WorkflowError(_("The losses have already gone to disposal."))
    cards = [line.card for line in stocktake.lines.filter(result=Result.MISSING, card__isnull=False).select_related("card")
             if line.card.status != Status.DISPOSED]
    if not cards:
        raise WorkflowError(_("Nothing is missing."))
    disposal = disposal_request(school=stocktake.school, by=by, cards=cards, way="write_off",
                                reason=_("Missing at stocktake “%(title)s”") % {"title": stocktake.title})
    stocktake.disposal = disposal
    stocktake.save(update_fields=["disposal"])
    return disposal


def figures(stocktake: Stocktake, *, part: Q | None = None) -> dict[str, Any]:
    """Counts by result, value expected, and 账实相符率: the share of expected cards found where the
    ledger has them (damaged ones count as found; the damage is a separate discrepancy). `part`: of
    those lines only (a class teacher's part, `assets.rules.class_part`)."""
    lines = stocktake.lines.all() if part is None else stocktake.lines.filter(part)
    rows = lines.aggregate(
        expected=Count("pk", filter=Q(card__isnull=False) & ~Q(result=Result.SURPLUS)),
        expected_value=Sum("original_value", filter=Q(card__isnull=False)),
        counted=Count("pk", filter=Q(result__in=COUNTED)),
        missing=Count("pk", filter=Q(result=Result.MISSING)),
        pending=Count("pk", filter=Q(result=Result.PENDING)),
        damaged=Count("pk", filter=Q(result=Result.DAMAGED)),
        surplus=Count("pk", filter=Q(result=Result.SURPLUS)),
        moved=Count("pk", filter=Q(result__in=COUNTED, found_room__isnull=False) & ~Q(found_room=F("expected_room"))),
        matched=Count("pk", filter=Q(result__in=COUNTED, card__isnull=False)
                      & (Q(found_room=F("expected_room")) | Q(found_room__isnull=True, expected_room__isnull=True))),
    )
    rows["expected_value"] = rows["expected_value"] or Decimal("0")
    expected = rows["expected"]
    rows["rate"] = f"{(Decimal(rows['matched']) * 100 / expected).quantize(Decimal('0.1')) if expected else Decimal('100.0')}"
    return rows


def progress_by_room(stocktake: Stocktake, *, part: Q | None = None) -> list[dict[str, Any]]:
    lines = stocktake.lines.all() if part is None else stocktake.lines.filter(part)
    return list(lines.filter(card__isnull=False).values("expected_room_id", "expected_room__building__name",
                                                                   "expected_room__code")
                .annotate(total=Count("pk"), counted=Count("pk", filter=~Q(result__in=(Result.PENDING, Result.MISSING))))
                .order_by("expected_room__building__name", "expected_room__code"))
