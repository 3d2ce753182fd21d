"""Rounds: started (or resumed) for a template and a place, answered item by item, finished and signed.

Every answer is saved the moment it is given, so a round interrupted half-way (a phone locked, the
network gone) resumes where it stopped. Each failed item becomes a hazard when the round is signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Building, Room, School, User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, refuse_unless, transition

from safety import notify as n
from safety import photos as photo_lib
from safety import rules
from safety.models import Answer, Coverage, Grade, InspectionTemplate, Round, RoundAnswer, RoundStatus, TemplateItem
from safety.services.hazards import create_hazard


def round_start(*, school: School, template: InspectionTemplate, by: User, building: Building | None = None,
                day: dt.date | None = None) -> Round:
    """Start a round, or resume this person's unfinished round of the same template, place and day."""
    if not can(by, school, "safety.walk_round"):
        raise WorkflowError(_("Only the safety office walks inspection rounds."))
    if template.school_id != school.pk or not template.is_active:
        raise WorkflowError(_("Choose one of this school's inspection templates."))
    if building is not None and building.campus.school_id != school.pk:
        raise WorkflowError(_("That place belongs to another school."))
    if template.coverage == Coverage.EACH_BUILDING and building is None:
        raise WorkflowError(_("“%(name)s” is walked building by building: choose the building.") % {"name": template.name})
    day = day or timezone.localdate()
    with transaction.atomic():
        # The template's row lock queues two taps on "start" so they resume one round, not make two.
        lock(template)
        existing = Round.objects.filter(school=school, template=template, building=building, day=day, status=RoundStatus.IN_PROGRESS).first()
        if existing is not None:
            return existing
        round = Round.objects.create(school=school, template=template, building=building, day=day, inspector=by)
        audit.record(round, "safety.round.started", by=by, school=school, to_state=RoundStatus.IN_PROGRESS)
        return round


def round_answer(*, round: Round, item: TemplateItem, by: User, answer: str, note: str = "", photo: Any = None,
                 room: Room | None = None) -> RoundAnswer:
    """Save one item's answer (a later answer of the same item replaces it). A fail of an item that
    needs evidence is refused without a photo or a note, and nothing is saved."""
    if answer not in Answer.values:
        raise WorkflowError(_("Answer pass, fail or not applicable."))
    if item.section.template_id != round.template_id:
        raise WorkflowError(_("That item is not on this round's checklist."))
    note = (note or "").strip()
    if room is not None and (room.building.campus.school_id != round.school_id or (round.building_id and room.building_id != round.building_id)):
        raise WorkflowError(_("That room is not in the place of this round."))
    if photo is not None and (problem := photo_lib.problem_with(photo)):
        raise WorkflowError(problem)
    with transaction.atomic():
        round = lock(round)
        refuse_unless(rules.walk(round, by))
        existing = RoundAnswer.objects.filter(round=round, item=item).first()
        has_photo = photo is not None or bool(existing and existing.photo and answer == Answer.FAIL)
        if answer == Answer.FAIL and item.evidence_on_fail and not note and not has_photo:
            raise WorkflowError(_("“%(item)s” failed: add a photo or a note saying what is wrong.") % {"item": item.text})
        processed = photo_lib.process(photo) if photo is not None else None
        row = existing or RoundAnswer(round=round, item=item)
        row.answer, row.note, row.answered_by, row.answered_at = answer, note, by, timezone.now()
        row.room = room if answer == Answer.FAIL else None
        if processed is not None:
            row.photo.save(processed.image.name, processed.image, save=False)
            row.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
        elif answer != Answer.FAIL:
            row.photo, row.thumbnail = "", ""
        row.save()
        return row


def unanswered(round: Round) -> list[TemplateItem]:
    answered = RoundAnswer.objects.filter(round=round).values("item_id")
    return list(TemplateItem.objects.filter(section__template=round.template_id, is_active=True).exclude(pk__in=answered)
                .order_by("section__order", "order", "pk"))


@transaction.atomic
def round_finish(*, round: Round, by: User, signature: str, companion: str = "") -> Round:
    """Sign the round: every item answered; each fail becomes a hazard (found on this round)."""
    round = lock(round, related=("school", "template", "building"))
    refuse_unless(rules.walk(round, by))
    signature = (signature or "").strip()
    if not signature:
        raise WorkflowError(_("Sign the round with your name."))
    if missing := unanswered(round):
        raise WorkflowError(_("%(n)d items are not answered yet, first: “%(item)s”.") % {"n": len(missing), "item": missing[0].text})
    found = []
    fails = RoundAnswer.objects.filter(round=round, answer=Answer.FAIL, hazard__isnull=True).select_related("item", "room__building")
    for a in fails:
        processed = []
        if a.photo:
            with a.photo.open("rb") as image, a.thumbnail.open("rb") as thumb:
                stem = a.photo.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                processed = [photo_lib.ProcessedPhoto(ContentFile(image.read(), f"{stem}.jpg"), ContentFile(thumb.read(), f"{stem}_t.jpg"), 0, 0)]
        found.append(create_hazard(
            school=round.school, by=by, building=a.room.building if a.room else round.building or _campus_building(round), room=a.room,
            category=a.item.hazard_category,
            grade=Grade.GENERAL, description=f"{a.item.text}：{a.note}" if a.note else a.item.text, processed=processed,
            source_answer=a, found_on=round.day,
        ))
    for hazard in found:
        n.tell(hazard, n.office_of(round.school), by=by, what=lambda: _("found on the round “%(name)s”") % {"name": round.template.name})
    return transition(round, "finish", by=by, signature=signature, companion=(companion or "").strip(), at=timezone.now(),
                      note=signature)


def _campus_building(round: Round) -> Building:
    """A campus-wide round's hazard needs a building: the school's first one (the office corrects it)."""
    building = Building.objects.for_school(round.school).order_by("campus", "code").first()
    if building is None:
        raise WorkflowError(_("The school has no buildings yet; add them before recording hazards."))
    return building
