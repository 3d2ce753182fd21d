"""Custody of a card: issue, transfer, take back, lend and get back; sending to repair and back;
proposing a disposal. Each is a transition of the card (saved and audited by
`logistics.workflow.transition`) and, for custody, a `Movement` with who, when, from and to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Department, Room, SchoolClass, User
from logistics.workflow import WorkflowError, record_change, refuse_unless, transition

from assets import rules
from assets.models import AssetCard, Movement
from assets.services.cards import CENT, _next_number
from assets.services.common import check_department, check_holder, lock_card


def _where(card: AssetCard) -> dict[str, Any]:
    return {"from_custodian": card.custodian, "from_class": card.custodian_class, "from_room": card.room}


def _moved(card: AssetCard, kind: str, *, by: User, before: dict[str, Any], note: str = "", **extra: Any) -> Movement:
    return Movement.objects.create(
        school_id=card.school_id, card=card, kind=kind, at=timezone.now(), by=by, note=note[:200],
        to_custodian=card.custodian, to_class=card.custodian_class, to_room=card.room, **before, **extra,
    )


def _place(custodian_class: SchoolClass | None, room: Room | None) -> Room | None:
    """Issued to a class without a room named, the card stands in the class's home room."""
    if room is None and custodian_class is not None:
        return custodian_class.room
    return room


def _hand_over(step: str, kind: str, *, card: AssetCard, by: User, custodian: User | None, custodian_class: SchoolClass | None,
               room: Room | None, department: Department | None, note: str, quantity: int | None = None) -> AssetCard:
    card = lock_card(card)
    refuse_unless(getattr(rules, step)(card, by))
    if quantity is not None and quantity != card.quantity:
        check_holder(card.school_id, custodian=custodian, custodian_class=custodian_class, room=_place(custodian_class, room))
        card = _split(card, quantity, by=by)  # part of a batch moves: it becomes a card of its own
    room = _place(custodian_class, room)
    check_holder(card.school_id, custodian=custodian, custodian_class=custodian_class, room=room)
    check_department(card.school_id, department)
    if (custodian, custodian_class, room) == (card.custodian, card.custodian_class, card.room):
        raise WorkflowError(_("%(number)s is already there.") % {"number": card.number})
    before = _where(card)
    card = transition(card, step, by=by, note=note, custodian=custodian, custodian_class=custodian_class, room=room,
                      department=department)
    _moved(card, kind, by=by, before=before, note=note)
    return card


def _split(card: AssetCard, quantity: int, *, by: User) -> AssetCard:
    """Take `quantity` items of a locked batch card onto a card of their own (numbered from the class
    and the booking year) with their share of the value; the rest of the value, to the fen, stays on
    the batch, so the two cards add up to what the batch was. Parts of a batch booked as a fixed
    asset stay fixed assets: the threshold is not asked again."""
    if not 1 <= quantity < card.quantity:
        raise WorkflowError(_("Split 1 to %(n)d of the %(total)d items.") % {"n": card.quantity - 1, "total": card.quantity})
    share = (card.original_value * quantity / card.quantity).quantize(CENT)
    part = AssetCard.objects.get(pk=card.pk)
    part.pk = part.id = None
    part._state.adding = True
    part.number = _next_number(card.school, card.asset_class.code, card.booked_on.year)
    # Accumulated depreciation goes with the value, in the same proportion, so both cards stay within theirs.
    worn = (card.accumulated_depreciation * quantity / card.quantity).quantize(CENT)
    part.quantity, part.original_value, part.created_by, part.accumulated_depreciation = quantity, share, by, worn
    part.remarks = _("Split from %(number)s") % {"number": card.number}
    part.save()
    before = _where(card)
    record_change(card, "split", by=by, note=_("%(n)d %(unit)s to %(number)s") % {"n": quantity, "unit": card.unit, "number": part.number},
                  quantity=card.quantity - quantity, original_value=card.original_value - share,
                  accumulated_depreciation=card.accumulated_depreciation - worn)
    Movement.objects.create(school_id=card.school_id, card=part, kind=Movement.Kind.SPLIT, at=timezone.now(), by=by,
                            to_custodian=part.custodian, to_class=part.custodian_class, to_room=part.room,
                            note=_("from %(number)s") % {"number": card.number}, **before)
    audit.record(part, "assets.assetcard.registered", by=by, school=card.school_id, to_state=part.status,
                 note=_("Split from %(number)s") % {"number": card.number})
    return lock_card(part)


@transaction.atomic
def card_issue(*, card: AssetCard, by: User, custodian: User | None = None, custodian_class: SchoolClass | None = None,
               room: Room | None = None, department: Department | None = None, note: str = "", quantity: int | None = None) -> AssetCard:
    """An idle card goes to a person, a class or a room; `quantity` of a batch: that many split off and go."""
    return _hand_over("issue", Movement.Kind.ISSUE, card=card, by=by, custodian=custodian, custodian_class=custodian_class,
                      room=room, department=department, note=note, quantity=quantity)


@transaction.atomic
def card_transfer(*, card: AssetCard, by: User, custodian: User | None = None, custodian_class: SchoolClass | None = None,
               room: Room | None = None, department: Department | None = None, note: str = "", quantity: int | None = None) -> AssetCard:
    """A card in use changes hands or place; `quantity` of a batch: that many split off and move."""
    return _hand_over("transfer", Movement.Kind.TRANSFER, card=card, by=by, custodian=custodian, custodian_class=custodian_class,
                      room=room, department=department, note=note, quantity=quantity)


@transaction.atomic
def card_take_back(*, card: AssetCard, by: User, room: Room | None = None, note: str = "") -> AssetCard:
    """The holder hands the card back to the office; it stands idle (in the store `room` if named)."""
    card = lock_card(card)
    refuse_unless(rules.take_back(card, by))
    check_holder(card.school_id, room=room, required=False)
    before = _where(card)
    card = transition(card, "take_back", by=by, note=note, room=room)
    _moved(card, Movement.Kind.RETURN, by=by, before=before, note=note)
    return card


@transaction.atomic
def card_lend(*, card: AssetCard, by: User, to: str, due: dt.date, note: str = "") -> AssetCard:
    """Lend to someone (a person, another school, an event) until `due`; the holder stays on the card."""
    card = lock_card(card)
    refuse_unless(rules.lend(card, by))
    to = (to or "").strip()
    if not to:
        raise WorkflowError(_("Say who borrows it."))
    if due is None or due < timezone.localdate():
        raise WorkflowError(_("The date it is due back cannot be in the past."))
    before = _where(card)
    card = transition(card, "lend", by=by, note=_("to %(who)s, back by %(due)s") % {"who": to, "due": due.isoformat()}, to=to, due=due)
    _moved(card, Movement.Kind.LEND, by=by, before=before, note=note, lent_to=to, due_on=due)
    return card


@transaction.atomic
def card_get_back(*, card: AssetCard, by: User, note: str = "") -> AssetCard:
    card = lock_card(card)
    refuse_unless(rules.get_back(card, by))
    before, borrower = _where(card), card.lent_to
    card = transition(card, "get_back", by=by, note=note)
    _moved(card, Movement.Kind.GET_BACK, by=by, before=before, note=note, lent_to=borrower)
    return card


def _state_step(step: str, *, card: AssetCard, by: User, note: str = "") -> AssetCard:
    card = lock_card(card)
    refuse_unless(getattr(rules, step)(card, by))
    return transition(card, step, by=by, note=note)


@transaction.atomic
def card_send_to_repair(*, card: AssetCard, by: User, note: str = "") -> AssetCard:
    return _state_step("send_to_repair", card=card, by=by, note=note)


@transaction.atomic
def card_back_from_repair(*, card: AssetCard, by: User, note: str = "") -> AssetCard:
    return _state_step("back_from_repair", card=card, by=by, note=note)


@transaction.atomic
def card_propose_disposal(*, card: AssetCard, by: User, reason: str) -> AssetCard:
    """Mark a card for the disposal procedure (报废/处置), which approves and carries it out."""
    if not (reason or "").strip():
        raise WorkflowError(_("Give the reason (beyond its useful life, beyond repair, lost…)."))
    return _state_step("propose_disposal", card=card, by=by, note=reason.strip())
