"""Putting a card on the ledger and correcting its particulars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Department, Room, School, SchoolClass, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError, record_change, refuse_unless

from assets import rules
from assets.models import AssetCard, AssetClass, AssetCounter, AssetSettings, Movement, Status
from assets.services.common import check_department, check_holder, lock_card

CENT = Decimal("0.01")
# What an edit may change; custody changes only through the movements (assets.services.custody).
EDITABLE = ("asset_class", "name", "spec", "serial_number", "quantity", "unit", "acquisition", "acquired_on", "booked_on",
            "original_value", "funding", "supplier", "invoice_number", "warranty_until", "department", "remarks")


def value_problem(settings: AssetSettings, asset_class: AssetClass, quantity: int, original_value: Decimal) -> str | None:
    """Why this value cannot be a fixed-asset card, or None. Forms show it next to the value field;
    the services refuse with it."""
    if original_value is None:
        return _("Enter the original value.")
    if original_value < 0:
        return _("The original value cannot be negative.")
    if original_value > settings.max_original_value:
        return _("%(value)s yuan is more than any card of this school can be worth (at most %(max)s yuan): check the figure.") % {
            "value": f"{original_value:,.2f}", "max": f"{settings.max_original_value:,.2f}"}
    if quantity is None or quantity < 1:
        return _("The quantity is at least 1.")
    threshold = settings.threshold_for(asset_class)
    unit_value = (original_value / quantity).quantize(CENT)
    if unit_value >= threshold:
        return None
    # 政府会计准则第3号: a large batch of like items used over a year is a fixed asset below the unit threshold.
    if asset_class.batch_counts and quantity > 1 and original_value >= threshold:
        return None
    return _("%(value)s yuan a piece is below the fixed-asset threshold of %(threshold)s yuan for %(class)s: "
             "record it as a consumable (低值易耗品), not a fixed-asset card.") % {
        "value": f"{unit_value:,.2f}", "threshold": f"{threshold:,.2f}", "class": asset_class.name}


def _next_number(school: School, class_code: str, year: int) -> str:
    """The next number of the school's class and year (inside the caller's transaction)."""
    last = next_in_sequence(AssetCounter, school=school, class_code=class_code, year=year)
    if last is None:
        raise WorkflowError(_("Could not number the card; please try again."))
    return f"{class_code}-{year}-{last:04d}"


def number_taken(school: School, number: str) -> bool:
    return AssetCard.objects.filter(school=school, number=number).exists()


@transaction.atomic
def card_register(
    *,
    school: School,
    by: User,
    asset_class: AssetClass,
    name: str,
    acquired_on: dt.date,
    original_value: Decimal,
    quantity: int = 1,
    unit: str = "台",
    booked_on: dt.date | None = None,
    number: str = "",
    spec: str = "",
    serial_number: str = "",
    acquisition: str = AssetCard.Acquisition.PURCHASE,
    funding: str = AssetCard.Funding.FISCAL,
    supplier: str = "",
    invoice_number: str = "",
    warranty_until: dt.date | None = None,
    department: Department | None = None,
    custodian: User | None = None,
    custodian_class: SchoolClass | None = None,
    room: Room | None = None,
    remarks: str = "",
    settings: AssetSettings | None = None,
    note: str = "",
    status: str | None = None,
) -> AssetCard:
    """Put one card on the ledger. Without `number` the next of the class and booking year is given;
    a given number (an imported ledger's) must be free in the school. Held by someone or standing in
    a room it starts in use, else idle; an imported ledger may say otherwise (`status`: idle, under
    repair, pending disposal)."""
    if not can(by, school, "assets.add_assetcard"):
        raise WorkflowError(_("Only the logistics office puts assets on the ledger."))
    name = (name or "").strip()
    if not name:
        raise WorkflowError(_("Name the asset."))
    if not asset_class.is_active:
        raise WorkflowError(_("Class %(code)s is no longer in use.") % {"code": asset_class.code})
    settings = settings or AssetSettings.for_school(school)
    refuse_unless(value_problem(settings, asset_class, quantity, original_value))
    check_holder(school.pk, custodian=custodian, custodian_class=custodian_class, room=room, required=False)
    check_department(school.pk, department)
    booked_on = booked_on or acquired_on
    number = (number or "").strip()
    if number and number_taken(school, number):
        raise WorkflowError(_("Asset number %(number)s is already on this school's ledger.") % {"number": number})
    number = number or _next_number(school, asset_class.code, booked_on.year)
    card = AssetCard(
        school=school, number=number, asset_class=asset_class, name=name, spec=spec.strip(), serial_number=serial_number.strip(),
        quantity=quantity, unit=unit.strip() or "台", acquisition=acquisition, acquired_on=acquired_on, booked_on=booked_on,
        original_value=original_value.quantize(CENT), funding=funding, supplier=supplier.strip(), invoice_number=invoice_number.strip(),
        warranty_until=warranty_until, department=department, custodian=custodian, custodian_class=custodian_class, room=room,
        remarks=remarks.strip(), created_by=by, useful_life_years=asset_class.useful_life_years if asset_class.depreciable else None,
    )
    if status not in (None, Status.IN_USE, Status.IDLE, Status.UNDER_REPAIR, Status.PENDING_DISPOSAL):
        raise WorkflowError(_("A card is put on the ledger in use, idle, under repair or pending disposal."))
    card.status = status or card._settled()
    card.save()
    Movement.objects.create(school=school, card=card, kind=Movement.Kind.REGISTER, at=timezone.now(), by=by,
                            to_custodian=custodian, to_class=custodian_class, to_room=room, note=note[:200])
    audit.record(card, "assets.assetcard.registered", by=by, school=school, to_state=card.status, note=note)
    return card


@transaction.atomic
def card_update(*, card: AssetCard, by: User, **changes: Any) -> AssetCard:
    """Correct the card's particulars (not its custody or state); the timeline names what changed."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    card = lock_card(card)
    refuse_unless(rules.edit(card, by))
    after = {name: changes.get(name, getattr(card, name)) for name in EDITABLE}
    refuse_unless(value_problem(AssetSettings.for_school(card.school), after["asset_class"], after["quantity"], after["original_value"]))
    check_department(card.school_id, after["department"])
    if after["original_value"] < card.accumulated_depreciation:
        raise WorkflowError(_("The original value cannot be less than the depreciation already booked (%(value)s yuan).") % {
            "value": f"{card.accumulated_depreciation:,.2f}"})
    if after["asset_class"] != card.asset_class and not after["asset_class"].is_active:
        raise WorkflowError(_("Class %(code)s is no longer in use.") % {"code": after["asset_class"].code})
    changed = {name: value for name, value in after.items() if value != getattr(card, name)}
    if not changed:
        return card
    labels = "、".join(str(AssetCard._meta.get_field(name).verbose_name) for name in changed)
    return record_change(card, "edited", by=by, note=_("Changed: %(fields)s") % {"fields": labels}, **changed)
