"""Drills (演练), training sessions (安全培训) and contractor evaluations (外包服务考核).

A drill is planned for a day, then recorded as held (participants, evacuation time, problems,
improvements, photos, summary) or cancelled with a reason; a problem it found becomes a hazard of
the ledger. A training session is recorded once held. A contractor's month is scored per criterion
(0–100, weighted by the school's criteria); a total under the school's `low_score` needs a follow-up.
Each step is audited; anything refused raises `WorkflowError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Building, Membership, Room, School, User
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, record_change, transition

from safety import chronicle
from safety import notify as n
from safety import photos as photo_lib
from safety.models import (
    Contractor,
    Criterion,
    Drill,
    DrillKind,
    DrillPhoto,
    DrillStatus,
    Evaluation,
    EvaluationScore,
    Grade,
    Hazard,
    SafetySettings,
    Training,
    TrainingKind,
)

EARLIEST = dt.date(2000, 1, 1)
MAX_PARTICIPANTS = 100_000
MAX_EVACUATION_SECONDS = 3600
MAX_DURATION_MINUTES = 24 * 60


def _manager(by: User, school: Any) -> None:
    if not can(by, school, "safety.manage_drill"):
        raise WorkflowError(_("Only the safety office plans and records drills, trainings and evaluations."))


def _check_day(day: dt.date | None, *, past_only: bool = False) -> dt.date:
    if day is None:
        raise WorkflowError(_("Give the date."))
    today = timezone.localdate()
    if day < EARLIEST or day > today + dt.timedelta(days=366):
        raise WorkflowError(_("The date %(day)s is out of range.") % {"day": day.isoformat()})
    if past_only and day > today:
        raise WorkflowError(_("%(day)s has not come yet: record it on the day or after.") % {"day": day.isoformat()})
    return day


def _save_photos(drill: Drill, processed: Sequence[photo_lib.ProcessedPhoto], *, by: User) -> None:
    for p in processed:
        photo = DrillPhoto(drill=drill, uploaded_by=by)
        photo.image.save(p.image.name, p.image, save=False)
        photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
        photo.save()


# --- Drills ---------------------------------------------------------------------------------------

def drill_plan(*, school: School, by: User, kind: str, day: dt.date, title: str = "") -> Drill:
    """Put a drill on the calendar (it counts as scheduled for the cadence until its day passes)."""
    _manager(by, school)
    if kind not in DrillKind.values:
        raise WorkflowError(_("Choose the kind of drill."))
    day = _check_day(day)
    with transaction.atomic():
        drill = Drill.objects.create(school=school, kind=kind, day=day, title=(title or "").strip()[:100], planned_by=by)
        audit.record(drill, "safety.drill.planned", by=by, school=school, to_state=DrillStatus.PLANNED, note=str(drill))
    return drill


def drill_record(
    *, drill: Drill, by: User, day: dt.date | None = None, participants: int | None, evacuation_seconds: int | None,
    duration_minutes: int | None = None, problems: str = "", improvements: str = "", summary: str = "", photos: Sequence[Any] = (),
) -> Drill:
    """The drill was held: its record. Recording again corrects it (each time audited)."""
    _manager(by, drill.school_id)
    day = _check_day(day or drill.day, past_only=True)
    if participants is None or not 1 <= int(participants) <= MAX_PARTICIPANTS:
        raise WorkflowError(_("Give the number of participants (1 to %(max)d).") % {"max": MAX_PARTICIPANTS})
    if evacuation_seconds is not None and not 1 <= int(evacuation_seconds) <= MAX_EVACUATION_SECONDS:
        raise WorkflowError(_("The evacuation time must be between 1 second and one hour."))
    if duration_minutes is not None and not 1 <= int(duration_minutes) <= MAX_DURATION_MINUTES:
        raise WorkflowError(_("The duration must be between 1 minute and one day."))
    summary = (summary or "").strip()
    if not summary:
        raise WorkflowError(_("Write a short summary of the drill."))
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        drill = lock(drill, related=("school",))
        drill = transition(
            drill, "hold", by=by, note=summary[:200], data={"participants": int(participants), "evacuation_seconds": evacuation_seconds},
            day=day, participants=int(participants), evacuation_seconds=evacuation_seconds, duration_minutes=duration_minutes,
            problems=(problems or "").strip(), improvements=(improvements or "").strip(), summary=summary, recorded_by=by,
        )
        _save_photos(drill, processed, by=by)
        chronicle.drill_held(drill)
    return drill


def drill_cancel(*, drill: Drill, by: User, reason: str) -> Drill:
    _manager(by, drill.school_id)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for cancelling."))
    with transaction.atomic():
        drill = lock(drill)
        return transition(drill, "cancel", by=by, reason=reason, note=reason)


def drill_add_photos(*, drill: Drill, by: User, photos: Sequence[Any]) -> Drill:
    _manager(by, drill.school_id)
    if not photos:
        raise WorkflowError(_("Choose a photo."))
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        drill = lock(drill)
        _save_photos(drill, processed, by=by)
        return record_change(drill, "photos_added", by=by, data={"photos": len(processed)})


def drill_raise_hazard(
    *, drill: Drill, by: User, building: Building | None = None, room: Room | None = None, category: str, description: str,
    grade: str = Grade.GENERAL,
) -> Hazard:
    """A problem the drill found goes to the hazard ledger (待整改), linked to the drill."""
    from safety.services.hazards import hazard_report

    _manager(by, drill.school_id)
    if drill.status != DrillStatus.HELD:
        raise WorkflowError(_("Record the drill as held first."))
    with transaction.atomic():
        hazard = hazard_report(school=drill.school, by=by, building=building, room=room, category=category, grade=grade,
                               description=description)
        hazard = lock(hazard)
        return record_change(hazard, "from_drill", by=by, note=str(drill), drill=drill)


# --- Training ---------------------------------------------------------------------------------------

def training_record(
    *, school: School, by: User, day: dt.date, kind: str, topic: str, audience: str, attendees_count: int | None, hours: Decimal | None,
    trainer: str, attendees: Sequence[User] = (), materials: Any = None, notes: str = "", training: Training | None = None,
) -> Training:
    """Record (or correct) a training session held on `day`."""
    _manager(by, school)
    day = _check_day(day, past_only=True)
    if kind not in TrainingKind.values:
        raise WorkflowError(_("Choose the kind of training."))
    topic, audience, trainer = (topic or "").strip(), (audience or "").strip(), (trainer or "").strip()
    if not topic or not audience or not trainer:
        raise WorkflowError(_("Give the topic, the audience and the trainer."))
    attendees = list(attendees)
    if any(not can(person, school, "safety.view_hazard") for person in attendees):
        raise WorkflowError(_("Every attendee named must be a member of this school."))
    count = int(attendees_count) if attendees_count is not None else len(attendees)
    if not 1 <= count <= MAX_PARTICIPANTS or count < len(attendees):
        raise WorkflowError(_("The number of attendees must be at least 1 and at least the staff named."))
    if hours is None or not Decimal("0.1") <= Decimal(hours) <= Decimal("99"):
        raise WorkflowError(_("Give the hours (0.1 to 99)."))
    fields = {"day": day, "kind": kind, "topic": topic[:120], "audience": audience[:120], "attendees_count": count, "hours": hours,
              "trainer": trainer[:60], "notes": (notes or "").strip()}
    with transaction.atomic():
        if training is None:
            training = Training(school=school, recorded_by=by, **fields)
            if materials:
                training.materials.save(materials.name, materials, save=False)
            training.save()
            audit.record(training, "safety.training.recorded", by=by, school=school, note=topic[:200])
        else:
            training = lock(training)
            for name, value in fields.items():
                setattr(training, name, value)
            if materials:
                training.materials.save(materials.name, materials, save=False)
            training.save()
            audit.record(training, "safety.training.corrected", by=by, school=school, note=topic[:200])
        if attendees:
            training.attendees.set(attendees)
        chronicle.training_held(training)
    return training


def staff_start_record(*, school: School, user: User, started_on: dt.date, by: User) -> Membership:
    """Record (or correct) the day a member of staff started at the school, on their membership (a fact
    about the person, kept in the core), so the training coverage can tell whether they were trained
    before starting."""
    _manager(by, school)
    started_on = _check_day(started_on)
    if not can(user, school, "safety.view_hazard"):
        raise WorkflowError(_("%(person)s is not a member of this school.") % {"person": user.display_name})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(school=school, user=user)
        before = membership.started_on
        if before != started_on:
            membership.started_on = started_on
            membership.save(update_fields=["started_on"])
            verb = "recorded" if before is None else "corrected"
            audit.record(membership, f"logistics.membership.start_{verb}", by=by, school=school,
                         note=f"{before} → {started_on}" if before else f"{started_on}")
    return membership


# --- Contractor evaluations -------------------------------------------------------------------------

def weighted_score(scores: Mapping[Criterion, int]) -> Decimal:
    total_weight = sum(c.weight for c in scores)
    if not total_weight:
        raise WorkflowError(_("The score sheet has no weighted criteria; add them in the admin."))
    total = sum(Decimal(c.weight) * Decimal(s) for c, s in scores.items()) / Decimal(total_weight)
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evaluation_record(
    *, contractor: Contractor, by: User, month: dt.date, scores: Mapping[int, int | None], conclusion: str = "",
) -> Evaluation:
    """The month's score sheet of a contractor: every criterion of its service scored 0–100. The
    office fills it; staff may too (`safety.add_evaluation`), once each per contractor and month."""
    if not can(by, contractor.school_id, "safety.add_evaluation"):
        raise WorkflowError(_("You may not score this school's contractors."))
    month = _check_day(month).replace(day=1)
    if month > timezone.localdate():
        raise WorkflowError(_("That month has not begun yet."))
    criteria = list(Criterion.objects.filter(school_id=contractor.school_id, service=contractor.service, is_active=True))
    if not criteria:
        raise WorkflowError(_("The score sheet has no weighted criteria; add them in the admin."))
    given: dict[Criterion, int] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 0 <= int(value) <= 100:
            raise WorkflowError(_("Score “%(criterion)s” from 0 to 100.") % {"criterion": criterion.text})
        given[criterion] = int(value)
    total = weighted_score(given)
    low = SafetySettings.for_school(contractor.school).low_score
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                contractor=contractor, school_id=contractor.school_id, month=month, score=total, conclusion=(conclusion or "").strip(),
                follow_up_needed=total < low, evaluated_by=by,
            )
            EvaluationScore.objects.bulk_create([EvaluationScore(evaluation=evaluation, criterion=c, score=s) for c, s in given.items()])
            audit.record(evaluation, "safety.evaluation.recorded", by=by, school=contractor.school_id, note=f"{total}")
    except IntegrityError:
        raise WorkflowError(_("You have already scored %(contractor)s for %(month)s.") % {
            "contractor": contractor.name, "month": f"{month:%Y-%m}"}) from None
    if evaluation.follow_up_needed:
        n.tell_office(contractor.school, by=by, subject=_("%(contractor)s scored %(score)s for %(month)s: follow it up") % {
            "contractor": contractor.name, "score": total, "month": f"{month:%Y-%m}"}, url=reverse("safety:evaluation-list"))
    return evaluation


def evaluation_follow_up(*, evaluation: Evaluation, by: User, follow_up: str) -> Evaluation:
    """What was done about a low score (a talk with the company, a deduction, a warning letter…)."""
    _manager(by, evaluation.school_id)
    follow_up = (follow_up or "").strip()
    if not follow_up:
        raise WorkflowError(_("Say what was done about the low score."))
    with transaction.atomic():
        evaluation = lock(evaluation)
        if not evaluation.follow_up_needed:
            raise WorkflowError(_("This evaluation needs no follow-up."))
        evaluation.follow_up = follow_up
        evaluation.save(update_fields=["follow_up"])
        audit.record(evaluation, "safety.evaluation.followed_up", by=by, school=evaluation.school_id, note=follow_up[:200])
        return evaluation


# --- The beat: a reminder when this period's drill is neither held nor planned -----------------------

REMIND_DAYS = 10  # days before the period ends


def drill_reminders_send(*, today: dt.date | None = None) -> int:
    """Tell each school's safety office, once a day in the last REMIND_DAYS days of a month (or
    quarter), that no drill is held or planned in it. Returns the schools told."""
    from logistics.models import School
    from safety.selectors import drill_cadence

    today = today or timezone.localdate()
    told = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        cadence = drill_cadence(school, today=today)
        if cadence.warning != "due" or (cadence.current.end - today).days >= REMIND_DAYS:
            continue
        n.tell_office(school, by=None, url=reverse("safety:drill-plan"),
                      subject=_("No drill held or planned this period: one is required by %(end)s.") % {"end": cadence.current.end.isoformat()})
        told += 1
    return told
