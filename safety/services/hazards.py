"""Hazards (隐患): reported, assigned, rectified, verified and closed (销号), or withdrawn.

待整改 → 整改中 → 待验收 → 已销号; 待验收 → 整改中 when the verifier sends it back; any open state →
已撤销 with a reason (a hazard is never deleted). A 重大 hazard moves on only with its five 到位
recorded (措施、资金、期限、责任人、应急预案); closing needs a verifier other than the person who
rectified it, with evidence (a note or a photo).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Building, Room, School, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, record_change, refuse_unless, transition

from safety import chronicle
from safety import notify as n
from safety import photos as photo_lib
from safety import rules
from safety.models import FIVE_IN_PLACE, UNFIXED_STATUSES, Grade, Hazard, HazardCategory, HazardCounter, HazardPhoto, HazardStatus

RELATED = ("school", "building", "room", "responsible", "fixed_by")


def lock_hazard(hazard: Hazard) -> Hazard:
    return lock(hazard, related=RELATED)


def _next_number(school: School, year: int) -> str:
    """The next YH<year>-<n> of the school (inside the caller's transaction)."""
    last = next_in_sequence(HazardCounter, school=school, year=year)
    if last is None:
        raise WorkflowError(_("Could not number the hazard; please try again."))
    return f"YH{year}-{last:04d}"


def _check_deadline(deadline: dt.date | None) -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise WorkflowError(_("The deadline %(day)s is in the past; choose today or a later day.") % {"day": deadline.isoformat()})


def _check_person(school_id: int, person: User | None) -> None:
    if person is not None and not can(person, school_id, "safety.view_hazard"):
        raise WorkflowError(_("%(name)s is not a member of this school.") % {"name": person.display_name})


def _save_photos(hazard: Hazard, processed: Sequence[photo_lib.ProcessedPhoto], *, by: User, kind: str) -> None:
    for p in processed:
        photo = HazardPhoto(hazard=hazard, kind=kind, uploaded_by=by)
        photo.image.save(p.image.name, p.image, save=False)
        photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
        photo.save()


def create_hazard(
    *, school: School, by: User, building: Building, room: Room | None = None, category: str, grade: str = Grade.GENERAL,
    description: str, temporary_measures: str = "", responsible: User | None = None, deadline: dt.date | None = None,
    processed: Sequence[photo_lib.ProcessedPhoto] = (), source_answer: Any = None, found_on: dt.date | None = None,
) -> Hazard:
    """Record a hazard inside the caller's transaction (a report, or a failed item of a round)."""
    number = _next_number(school, (found_on or timezone.localdate()).year)
    hazard = Hazard.objects.create(
        school=school, number=number, found_on=found_on or timezone.localdate(), found_by=by, source_answer=source_answer,
        building=building, room=room, category=category, grade=grade, description=description,
        temporary_measures=temporary_measures, responsible=responsible, deadline=deadline,
        person_in_place=responsible is not None, deadline_in_place=deadline is not None,
    )
    _save_photos(hazard, processed, by=by, kind=HazardPhoto.Kind.FOUND)
    audit.record(hazard, "safety.hazard.reported", by=by, school=school, to_state=HazardStatus.OPEN, note=description[:200])
    return hazard


def hazard_report(
    *, school: School, by: User, building: Building | None = None, room: Room | None = None, category: str, grade: str = Grade.GENERAL,
    description: str, temporary_measures: str = "", responsible: User | None = None, deadline: dt.date | None = None,
    photos: Sequence[Any] = (),
) -> Hazard:
    """Anyone of the school reports a hazard directly; the office names the person and the deadline
    if the reporter did not."""
    if not can(by, school, "safety.add_hazard"):
        raise WorkflowError(_("You may not report hazards in this school."))
    if room is not None:
        building = room.building
    if building is None:
        raise WorkflowError(_("Choose where the hazard is."))
    if building.campus.school_id != school.pk:
        raise WorkflowError(_("That place belongs to another school."))
    if category not in HazardCategory.values:
        raise WorkflowError(_("Choose a category."))
    if grade not in Grade.values:
        raise WorkflowError(_("Choose a grade."))
    description = (description or "").strip()
    if not description:
        raise WorkflowError(_("Describe the hazard."))
    _check_deadline(deadline)
    _check_person(school.pk, responsible)
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        hazard = create_hazard(school=school, by=by, building=building, room=room, category=category, grade=grade,
                               description=description, temporary_measures=(temporary_measures or "").strip(), responsible=responsible,
                               deadline=deadline, processed=processed)
        n.tell(hazard, [*n.office_of(school), responsible], by=by, what=lambda: _("newly reported"))
        return hazard


@transaction.atomic
def hazard_assign(
    *, hazard: Hazard, by: User, responsible: User | None, deadline: dt.date | None, grade: str | None = None, room: Room | None = None,
    temporary_measures: str | None = None,
) -> Hazard:
    hazard = lock_hazard(hazard)
    refuse_unless(rules.assign(hazard, by))
    if responsible is None or deadline is None:
        raise WorkflowError(_("Name the person responsible and the deadline."))
    if deadline != hazard.deadline:
        _check_deadline(deadline)
    _check_person(hazard.school_id, responsible)
    changes: dict[str, Any] = {"responsible": responsible, "deadline": deadline, "person_in_place": True, "deadline_in_place": True}
    if grade is not None:
        if grade not in Grade.values:
            raise WorkflowError(_("Choose a grade."))
        changes["grade"] = grade
    if room is not None:
        if room.building.campus.school_id != hazard.school_id:
            raise WorkflowError(_("That place belongs to another school."))
        changes.update(room=room, building=room.building)
    if temporary_measures is not None:
        changes["temporary_measures"] = temporary_measures.strip()
    note = _("%(who)s, by %(day)s") % {"who": responsible.display_name, "day": deadline.isoformat()}
    hazard = record_change(hazard, "assigned", by=by, note=note, data={"responsible": responsible.pk, "deadline": deadline.isoformat()},
                           **changes)
    n.tell(hazard, [responsible], by=by, what=lambda: _("yours to rectify by %(day)s") % {"day": deadline.isoformat()})
    return hazard


@transaction.atomic
def hazard_record_five(*, hazard: Hazard, by: User, **in_place: bool) -> Hazard:
    """Record which of the five 到位 of a 重大 hazard are in place (the keys of FIVE_IN_PLACE)."""
    hazard = lock_hazard(hazard)
    refuse_unless(rules.five(hazard, by))
    names = {name for name, _label in FIVE_IN_PLACE}
    changes = {name: bool(value) for name, value in in_place.items() if name in names}
    return record_change(hazard, "five_recorded", by=by, data=changes, **changes)


@transaction.atomic
def hazard_start(*, hazard: Hazard, by: User) -> Hazard:
    hazard = lock_hazard(hazard)
    refuse_unless(rules.start(hazard, by))
    return transition(hazard, "start", by=by)


@transaction.atomic
def hazard_rectify(*, hazard: Hazard, by: User, measures: str, photos: Sequence[Any] = ()) -> Hazard:
    """The fix is done: what was done (the 整改措施) and, if any, photos after the fix."""
    measures = (measures or "").strip()
    hazard = lock_hazard(hazard)
    refuse_unless(rules.rectify(hazard, by))
    if not measures:
        raise WorkflowError(_("Say what was done to remove the hazard."))
    processed = photo_lib.process_all(photos)
    hazard = transition(hazard, "rectify", by=by, fixer=by, measures=measures, on=timezone.localdate(), note=measures[:200])
    _save_photos(hazard, processed, by=by, kind=HazardPhoto.Kind.FIXED)
    n.tell(hazard, n.office_of(hazard.school_id), by=by, what=lambda: _("rectified, please verify"))
    return hazard


@transaction.atomic
def hazard_close(*, hazard: Hazard, by: User, verification: str, photos: Sequence[Any] = ()) -> Hazard:
    """销号: someone other than the fixer checked the fix, with a note or a photo as evidence."""
    verification = (verification or "").strip()
    hazard = lock_hazard(hazard)
    refuse_unless(rules.close(hazard, by))
    if not verification and not photos:
        raise WorkflowError(_("Give the evidence of the check: a note or a photo."))
    processed = photo_lib.process_all(photos)
    hazard = transition(hazard, "close", by=by, verifier=by, verification=verification, on=timezone.localdate(), note=verification[:200])
    _save_photos(hazard, processed, by=by, kind=HazardPhoto.Kind.VERIFIED)
    if hazard.is_major:
        chronicle.major_hazard_closed(hazard)
    n.tell(hazard, [hazard.found_by, hazard.responsible, hazard.fixed_by], by=by, what=lambda: _("verified and closed"))
    return hazard


@transaction.atomic
def hazard_send_back(*, hazard: Hazard, by: User, reason: str) -> Hazard:
    reason = (reason or "").strip()
    hazard = lock_hazard(hazard)
    refuse_unless(rules.send_back(hazard, by))
    if not reason:
        raise WorkflowError(_("Say why the fix is not accepted."))
    hazard = transition(hazard, "send_back", by=by, note=reason)
    n.tell(hazard, [hazard.responsible, hazard.fixed_by], by=by, what=lambda: _("sent back: %(reason)s") % {"reason": reason})
    return hazard


@transaction.atomic
def hazard_withdraw(*, hazard: Hazard, by: User, reason: str) -> Hazard:
    """A wrong hazard (a duplicate, a mistake) leaves the ledger's open figures but keeps its record."""
    reason = (reason or "").strip()
    hazard = lock_hazard(hazard)
    refuse_unless(rules.withdraw(hazard, by))
    if not reason:
        raise WorkflowError(_("Give the reason for withdrawing."))
    return transition(hazard, "withdraw", by=by, reason=reason, note=reason)


@transaction.atomic
def hazard_report_to_bureau(*, hazard: Hazard, by: User, report: str) -> Hazard:
    """已上报: the school cannot remove the hazard itself and has reported it in writing to the bureau."""
    report = (report or "").strip()
    hazard = lock_hazard(hazard)
    refuse_unless(rules.bureau(hazard, by))
    if not report:
        raise WorkflowError(_("Give the reference or a summary of the written report."))
    return record_change(hazard, "reported_to_bureau", by=by, note=report, reported_to_bureau_on=timezone.localdate(), bureau_report=report)


@transaction.atomic
def hazard_open_repair(*, hazard: Hazard, by: User, category: Any, description: str = "") -> Hazard:
    """Open a repair ticket for the fix through repairs.services and keep its id on the hazard."""
    from repairs.services import ticket_submit

    hazard = lock_hazard(hazard)
    refuse_unless(rules.repair(hazard, by))
    text = (description or "").strip() or hazard.description
    ticket = ticket_submit(
        school=hazard.school, reporter=by, room=hazard.room, category=category,
        description=_("[Hazard %(number)s] %(text)s") % {"number": hazard.number, "text": text},
        token=f"safety-hazard-{hazard.pk}",
    )
    return record_change(hazard, "repair_opened", by=by, note=ticket.number, data={"ticket": ticket.pk},
                         repair_ticket_id=ticket.pk, repair_ticket_number=ticket.number)


def hazard_repair_accepted(*, ticket: Any, by: User | None) -> Hazard | None:
    """The repair ticket opened for a hazard was accepted by its reporter: the hazard is rectified
    (待验收), the repairer recorded as the fixer, so the safety office (someone else) verifies it.

    Called inside the acceptance's transaction (repairs.signals.ticket_accepted). A 重大 hazard
    without its five 到位 stays where it is, with a note on its timeline, and the office is told."""
    found = Hazard.objects.filter(school_id=ticket.school_id, repair_ticket_id=ticket.pk, status__in=UNFIXED_STATUSES).first()
    if found is None:
        return None
    hazard = lock_hazard(found)
    if hazard.status not in UNFIXED_STATUSES:
        return hazard
    work = (getattr(ticket, "work_summary", "") or "").strip() or ticket.description
    measures = _("Repair ticket %(ticket)s accepted: %(work)s") % {"ticket": ticket.number, "work": work}
    if refused := rules.five_recorded(hazard):
        hazard = record_change(hazard, "repair_accepted", by=by, note=f"{measures[:150]} — {refused}"[:200], data={"ticket": ticket.pk})
        n.tell(hazard, n.office_of(hazard.school_id), by=by, what=lambda: _("repair accepted; record the five “in place”"))
        return hazard
    if hazard.status == HazardStatus.OPEN:
        hazard = transition(hazard, "start", by=by, note=_("Repair ticket %(ticket)s") % {"ticket": ticket.number})
    fixer = ticket.assignee if getattr(ticket, "assignee_id", None) else (by or hazard.found_by)
    hazard = transition(hazard, "rectify", by=by, fixer=fixer, measures=measures, on=timezone.localdate(), note=measures[:200],
                        data={"ticket": ticket.pk})
    n.tell(hazard, n.office_of(hazard.school_id), by=by, what=lambda: _("rectified, please verify"))
    return hazard
