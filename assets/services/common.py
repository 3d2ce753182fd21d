"""Shared by every assets service: the card's row lock, and where a card may be held."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from logistics.models import Department, Membership, Room, SchoolClass
from logistics.workflow import WorkflowError, lock

from assets.models import AssetCard

__all__ = ["WorkflowError", "lock_card", "check_holder", "check_department"]

RELATED = ("school", "asset_class", "custodian", "custodian_class", "room")


def lock_card(card: AssetCard) -> AssetCard:
    return lock(card, related=RELATED)


def check_department(school_id: int, department: Department | None) -> None:
    if department is not None and department.school_id != school_id:
        raise WorkflowError(_("That department belongs to another school."))


def check_holder(school_id: int, *, custodian: Any = None, custodian_class: SchoolClass | None = None, room: Room | None = None,
                 required: bool = True) -> None:
    """A card is held by one person or one class, and/or stands in a room, all of this school."""
    if custodian is not None and custodian_class is not None:
        raise WorkflowError(_("A card is held by a person or by a class, not both."))
    if required and custodian is None and custodian_class is None and room is None:
        raise WorkflowError(_("Choose who holds it (a person or a class) or the room where it stands."))
    if custodian is not None and not Membership.objects.active().filter(user=custodian, school_id=school_id).exists():
        raise WorkflowError(_("%(name)s is not a member of this school.") % {"name": custodian.display_name})
    if custodian_class is not None and custodian_class.school_id != school_id:
        raise WorkflowError(_("That class belongs to another school."))
    if room is not None and (room.building.campus.school_id != school_id or not room.is_active):
        raise WorkflowError(_("Choose one of this school's rooms in use."))
