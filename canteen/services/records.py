"""Every write of a daily record. One function per record kind, keyword-only.

Each refuses bad input with a `ValidationError` keyed by the form field, naming the rule
("留样不少于125克"), so the form shows it next to the field and keeps everything else typed. A state
step that is not possible now (destroying a sample already destroyed) is a `WorkflowError`.

A record sent again with a `uid` already stored is a `Replay` (a `WorkflowError`): the phone kept the
form while offline and sent it twice; the first copy stands. The unique index on `uid` settles two
copies arriving at the same moment.

A correction is the same function called with `replaces=<the current version>` and a reason: the old
row stays (`is_current=False`), the new one points to it.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from decimal import Decimal
from typing import Any, Iterable, Sequence, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.workflow import WorkflowError, lock, refuse_unless, transition

from canteen.models import (
    BARRED_SYMPTOMS,
    Additive,
    FEVER_FROM,
    METHOD_LIMITS,
    AccompaniedMeal,
    Canteen,
    ChecklistItem,
    DailyCheck,
    Delivery,
    DeliveryItem,
    DeliveryPhoto,
    Disinfection,
    Fridge,
    Meal,
    MorningCheck,
    RapidTest,
    Record,
    Sample,
    Staff,
    Supplier,
    Symptom,
)

R = TypeVar("R", bound=Record)

EARLIEST = dt.date(2000, 1, 1)
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("42.0"))  # a reading outside it is a mistyped one
# 食品安全法 第五十条: keep six months past the shelf life, two years where there is none.
RETAIN_MONTHS, RETAIN_YEARS_WITHOUT_SHELF_LIFE = 6, 2


class Replay(WorkflowError):
    """The same record (same uid) sent a second time."""


# --- Shared steps -----------------------------------------------------------------------------------

def check_day(day: dt.date, *, field: str = "day") -> None:
    """A record is of today or an earlier day of this century; never of a day still to come."""
    if day > timezone.localdate():
        raise ValidationError({field: _("A record cannot be dated in the future.")})
    if day < EARLIEST:
        raise ValidationError({field: _("The date is too far in the past.")})


def _uid(value: Any) -> uuidlib.UUID:
    if value in (None, ""):
        return uuidlib.uuid4()
    try:
        return value if isinstance(value, uuidlib.UUID) else uuidlib.UUID(str(value))
    except ValueError:
        raise ValidationError({"uid": _("The record id is not valid.")}) from None


def _base(model: type[R], *, canteen: Canteen, day: dt.date, by: Any, uid: Any, recorded_at: dt.datetime | None,
          replaces: R | None, reason: str) -> dict[str, Any]:
    """Checks common to every record; locks and retires the version a correction replaces."""
    check_day(day)
    key = _uid(uid)
    if model.objects.filter(uid=key).exists():
        raise Replay(_("This record was already received."))
    now = timezone.now()
    if recorded_at is None or recorded_at > now:
        recorded_at = now
    fields: dict[str, Any] = {"canteen": canteen, "day": day, "uid": key, "recorded_at": recorded_at, "created_by": by}
    if replaces is not None:
        if not reason.strip():
            raise ValidationError({"correction_reason": _("Say why the record is corrected.")})
        old = lock(replaces)
        if not old.is_current:
            raise WorkflowError(_("This record was already corrected; correct the latest version."))
        if old.canteen_id != canteen.pk:
            raise WorkflowError(_("A correction stays in the same canteen."))
        type(old).objects.filter(pk=old.pk).update(is_current=False)
        audit.record(old, f"canteen.{model._meta.model_name}.corrected", by=by, school=canteen.school_id, note=reason.strip())
        fields.update(replaces=old, correction_reason=reason.strip()[:200])
    return fields


def _create(model: type[R], **fields: Any) -> R:
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if model.objects.filter(uid=fields["uid"]).exists():
            raise Replay(_("This record was already received.")) from None
        raise


def _meal_of(canteen: Canteen, meal: str, field: str = "meal") -> None:
    if not Meal.objects.filter(canteen=canteen, kind=meal, is_active=True).exists():
        raise ValidationError({field: _("This canteen does not serve that meal.")})


# --- 留样 samples -----------------------------------------------------------------------------------

@transaction.atomic
def sample_record(*, canteen: Canteen, day: dt.date, meal: str, dish: str, grams: int, by: Any, fridge: Fridge | None = None,
                  taken_at: dt.datetime | None = None, uid: Any = None, recorded_at: dt.datetime | None = None,
                  replaces: Sample | None = None, reason: str = "") -> Sample:
    errors: dict[str, str] = {}
    if grams < canteen.sample_min_grams:
        # 学校食品安全与营养健康管理规定 第四十条: every dish of every meal, at least 125 g (a school may ask more).
        errors["grams"] = _("A sample must weigh at least %(min)s g.") % {"min": canteen.sample_min_grams}
    if not dish.strip():
        errors["dish"] = _("Name the dish.")
    if fridge is not None and fridge.canteen_id != canteen.pk:
        errors["fridge"] = _("That fridge is not in this canteen.")
    if errors:
        raise ValidationError(errors)
    _meal_of(canteen, meal)
    fields = _base(Sample, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    taken = taken_at or fields["recorded_at"]
    return _create(Sample, **fields, meal=meal, dish=dish.strip(), grams=grams, fridge=fridge,
                   expires_at=taken + dt.timedelta(hours=canteen.sample_hours))


@transaction.atomic
def sample_destroy(*, sample: Sample, by: Any, at: dt.datetime | None = None) -> Sample:
    sample = lock(sample)
    at = at or timezone.now()
    refuse_unless(None if sample.is_current else _("This sample record was corrected; destroy the current version."))
    if at < sample.expires_at:
        when = timezone.localtime(sample.expires_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError({"destroyed_at": _("The sample must be kept until %(when)s; it cannot be destroyed before.") % {"when": when}})
    return transition(sample, "destroy", by=by, refused=WorkflowError(_("This sample was already destroyed.")), destroyer=by, at=at)


# --- 晨检 morning checks -----------------------------------------------------------------------------

@transaction.atomic
def morning_check_record(*, canteen: Canteen, staff: Staff, day: dt.date, temperature: Decimal, by: Any,
                         symptoms: Iterable[int] = (), hygiene_ok: bool = True, decision: str = MorningCheck.Decision.ON_DUTY,
                         action: str = "", uid: Any = None, recorded_at: dt.datetime | None = None,
                         replaces: MorningCheck | None = None, reason: str = "") -> MorningCheck:
    low, high = TEMPERATURE_RANGE
    if staff.canteen_id != canteen.pk:
        raise ValidationError({"staff": _("That person does not work in this canteen.")})
    if not low <= Decimal(temperature) <= high:
        raise ValidationError({"temperature": _("A body temperature is between %(low)s and %(high)s ℃.") % {"low": low, "high": high}})
    codes = sorted({int(c) for c in symptoms})
    if any(c not in Symptom.values for c in codes):
        raise ValidationError({"symptoms": _("Unknown symptom.")})
    certificate_valid = staff.certificate_valid_on(day)
    barred = Decimal(temperature) >= Decimal(str(FEVER_FROM)) or any(c in BARRED_SYMPTOMS for c in codes)
    if barred:
        if Decimal(temperature) >= Decimal(str(FEVER_FROM)) and Symptom.FEVER not in codes:
            codes = sorted({*codes, Symptom.FEVER})
        # 操作规范: 发热、腹泻、皮肤伤口或感染、咽部炎症 leave food contact until cured: moved off duty for the day.
        decision = MorningCheck.Decision.OFF_DUTY
        action = action or _("Moved off food contact for the day; back after recovery.")
    elif decision == MorningCheck.Decision.ON_DUTY and not certificate_valid:
        # 食品安全法 第四十五条: no valid health certificate, no food work.
        raise ValidationError({"decision": _("%(name)s has no valid health certificate and cannot be on duty.") % {"name": staff.name}})
    fields = _base(MorningCheck, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    if MorningCheck.objects.current().filter(staff=staff, day=day).exists():
        raise ValidationError({"staff": _("%(name)s was already checked that day; correct that record instead.") % {"name": staff.name}})
    return _create(MorningCheck, **fields, staff=staff, temperature=temperature, symptoms=codes, hygiene_ok=hygiene_ok,
                   certificate_valid=certificate_valid, decision=decision, action=action[:200])


# --- 进货查验 incoming goods ---------------------------------------------------------------------------

def retain_until(received: dt.date, items: Sequence[dict[str, Any]]) -> dt.date:
    """食品安全法 第五十条: six months past the latest shelf-life end, or two years where none is known."""
    ends = [i["production_date"] + dt.timedelta(days=i["shelf_life_days"]) for i in items
            if i.get("production_date") and i.get("shelf_life_days") is not None]
    two_years = _add_months(received, 12 * RETAIN_YEARS_WITHOUT_SHELF_LIFE)
    if not ends or len(ends) < len(items):
        return max([two_years, *(_add_months(e, RETAIN_MONTHS) for e in ends)])
    return max(_add_months(e, RETAIN_MONTHS) for e in ends)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if year > 9999:
        return dt.date.max
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def delivery_record(*, canteen: Canteen, supplier: Supplier, day: dt.date, items: Sequence[dict[str, Any]], by: Any,
                    status: str = Delivery.Status.ACCEPTED, rejection_reason: str = "", second_acceptor: str = "", note: str = "",
                    photos: Sequence[Any] = (), uid: Any = None, recorded_at: dt.datetime | None = None,
                    replaces: Delivery | None = None, reason: str = "") -> Delivery:
    """A delivery with its items and certificate photos (re-encoded before the transaction starts)."""
    from canteen.photos import problem_with, process_all

    errors: dict[str, str] = {}
    if supplier.school_id != canteen.school_id or not supplier.is_active:
        errors["supplier"] = _("That supplier is not one of this school's suppliers in use.")
    if not items:
        errors["name"] = _("Enter at least one item.")
    for item in items:
        if item.get("production_date") and item["production_date"] > day:
            errors["production_date"] = _("The production date is after the delivery date.")
    if status == Delivery.Status.REJECTED and not rejection_reason.strip():
        errors["rejection_reason"] = _("Say why the delivery was rejected.")
    if status == Delivery.Status.ACCEPTED and any(i.get("is_staple") for i in items) and not second_acceptor.strip():
        errors["second_acceptor"] = _("Bulk staples are accepted by two people: name the second one.")
    for photo in photos:
        if problem := problem_with(photo):
            errors["photos"] = problem
    if errors:
        raise ValidationError(errors)
    processed = process_all(list(photos)) if photos else []
    with transaction.atomic():
        fields = _base(Delivery, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
        delivery = _create(Delivery, **fields, supplier=supplier, status=status, rejection_reason=rejection_reason.strip()[:200],
                           second_acceptor=second_acceptor.strip()[:40], note=note[:200], retain_until=retain_until(day, items))
        DeliveryItem.objects.bulk_create([DeliveryItem(delivery=delivery, **{k: v for k, v in item.items() if k in ITEM_FIELDS})
                                          for item in items])
        for p in processed:
            DeliveryPhoto.objects.create(delivery=delivery, image=p.image, thumbnail=p.thumbnail)
        if replaces is not None and not processed:
            # The certificates stay with the corrected record: the photos are copied by reference.
            for old in DeliveryPhoto.objects.filter(delivery=replaces):
                DeliveryPhoto.objects.create(delivery=delivery, image=old.image.name, thumbnail=old.thumbnail.name)
    return delivery


ITEM_FIELDS = ("name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life_days", "is_staple")


# --- 农残快检 pesticide rapid tests -------------------------------------------------------------------

@transaction.atomic
def rapid_test_record(*, canteen: Canteen, day: dt.date, sample_name: str, inhibition: Decimal, by: Any,
                      supplier: Supplier | None = None, batch: str = "", action: str = "", retest_of: RapidTest | None = None,
                      uid: Any = None, recorded_at: dt.datetime | None = None, replaces: RapidTest | None = None,
                      reason: str = "") -> RapidTest:
    if not Decimal(0) <= Decimal(inhibition) <= Decimal(100):
        raise ValidationError({"inhibition": _("The inhibition rate is between 0 and 100 %.")})
    if supplier is not None and supplier.school_id != canteen.school_id:
        raise ValidationError({"supplier": _("That supplier is not one of this school's suppliers in use.")})
    if retest_of is not None and retest_of.canteen_id != canteen.pk:
        raise ValidationError({"retest_of": _("A retest is of a test in the same canteen.")})
    # GB/T 5009.199: 50 % inhibition or more is positive; the batch is not used, and retested.
    positive = Decimal(inhibition) >= canteen.rapid_test_limit
    if positive and not action.strip():
        action = _("Positive: the batch is refused and not used; retest.")
    fields = _base(RapidTest, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    return _create(RapidTest, **fields, sample_name=sample_name.strip()[:60], supplier=supplier, batch=batch[:40], inhibition=inhibition,
                   positive=positive, retest_of=retest_of, action=action[:200])


# --- 餐具消毒 disinfection ---------------------------------------------------------------------------

def out_of_range(method: str, *, temperature: Decimal | None, concentration: int | None, seconds: int) -> bool:
    limits = METHOD_LIMITS[method]
    if "temperature" in limits and (temperature is None or temperature < limits["temperature"]):
        return True
    if "concentration" in limits and (concentration is None or concentration < limits["concentration"]):
        return True
    return seconds < limits["seconds"]


@transaction.atomic
def disinfection_record(*, canteen: Canteen, day: dt.date, meal: str, method: str, seconds: int, by: Any,
                        temperature: Decimal | None = None, concentration: int | None = None, items: str = "", quantity: int | None = None,
                        checker: str = "", uid: Any = None, recorded_at: dt.datetime | None = None,
                        replaces: Disinfection | None = None, reason: str = "") -> Disinfection:
    if method not in METHOD_LIMITS:
        raise ValidationError({"method": _("Choose a disinfection method.")})
    limits = METHOD_LIMITS[method]
    if "temperature" in limits and temperature is None:
        raise ValidationError({"temperature": _("This method needs the temperature.")})
    if "concentration" in limits and concentration is None:
        raise ValidationError({"concentration": _("This method needs the concentration.")})
    if temperature is not None and not Decimal(0) <= Decimal(temperature) <= Decimal(300):
        raise ValidationError({"temperature": _("The temperature is between 0 and 300 ℃.")})
    if concentration is not None and concentration > 10000:
        raise ValidationError({"concentration": _("The concentration is at most 10000 mg/L.")})
    if seconds <= 0 or seconds > 24 * 3600:
        raise ValidationError({"seconds": _("The duration is between 1 second and 24 hours.")})
    _meal_of(canteen, meal)
    fields = _base(Disinfection, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    return _create(Disinfection, **fields, meal=meal, method=method, seconds=seconds, temperature=temperature, concentration=concentration,
                   items=(items or "餐具")[:100], quantity=quantity, checker=checker[:40],
                   out_of_range=out_of_range(method, temperature=temperature, concentration=concentration, seconds=seconds))


# --- 陪餐 accompanied meals ---------------------------------------------------------------------------

@transaction.atomic
def accompanied_meal_record(*, canteen: Canteen, day: dt.date, meal: str, person: str, by: Any,
                            role: str = AccompaniedMeal.Role.LEADER, taste: str = "good", warmth: str = "good", portion: str = "good",
                            hygiene: str = "good", opinion: str = "", uid: Any = None, recorded_at: dt.datetime | None = None,
                            replaces: AccompaniedMeal | None = None, reason: str = "") -> AccompaniedMeal:
    if not person.strip():
        raise ValidationError({"person": _("Name who ate with the students.")})
    _meal_of(canteen, meal)
    fields = _base(AccompaniedMeal, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    # 2019规定: a parent's opinion is answered; it stays open on the day view until it is.
    feedback = AccompaniedMeal.Feedback.OPEN if role == AccompaniedMeal.Role.PARENT and opinion.strip() else AccompaniedMeal.Feedback.NONE
    return _create(AccompaniedMeal, **fields, meal=meal, person=person.strip()[:40], role=role, taste=taste, warmth=warmth,
                   portion=portion, hygiene=hygiene, opinion=opinion.strip(), feedback=feedback)


@transaction.atomic
def accompanied_meal_answer(*, meal: AccompaniedMeal, answer: str, by: Any) -> AccompaniedMeal:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer given to the parent.")})
    return transition(meal, "give_answer", by=by, refused=WorkflowError(_("This opinion was already answered.")),
                      answer=answer.strip(), answerer=by, at=timezone.now())


# --- 日管控 the daily checklist ----------------------------------------------------------------------

def checklist_for(canteen: Canteen) -> list[ChecklistItem]:
    ChecklistItem.ensure_defaults(canteen.school)
    qs = ChecklistItem.objects.for_school(canteen.school_id).filter(is_active=True)
    if not canteen.is_kindergarten:
        qs = qs.filter(for_kindergarten=False)
    return list(qs.order_by("for_kindergarten", "order", "pk"))


@transaction.atomic
def daily_check_record(*, canteen: Canteen, day: dt.date, answers: dict[int, bool], by: Any, problems: str = "",
                       uid: Any = None, recorded_at: dt.datetime | None = None, replaces: DailyCheck | None = None,
                       reason: str = "") -> DailyCheck:
    items = checklist_for(canteen)
    wanted = {i.pk for i in items}
    answers = {int(k): bool(v) for k, v in answers.items() if int(k) in wanted}
    if set(answers) != wanted:
        raise ValidationError({"answers": _("Answer every item of the checklist.")})
    all_ok = all(answers.values())
    if not all_ok and not problems.strip():
        raise ValidationError({"problems": _("Describe the problems found and how they were fixed.")})
    fields = _base(DailyCheck, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    if DailyCheck.objects.current().filter(canteen=canteen, day=day).exists():
        raise ValidationError({"day": _("The checklist of that day is already recorded; correct it instead.")})
    return _create(DailyCheck, **fields, answers={str(k): v for k, v in answers.items()}, problems=problems.strip(), all_ok=all_ok)


# --- 食品添加剂 the additive register ------------------------------------------------------------------

@transaction.atomic
def additive_record(*, canteen: Canteen, day: dt.date, name: str, dish: str, grams: Decimal, by: Any, batch: str = "",
                    uid: Any = None, recorded_at: dt.datetime | None = None, replaces: Additive | None = None, reason: str = "") -> Additive:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the additive.")
    if not dish.strip():
        errors["dish"] = _("Name the dish.")
    if not Decimal(0) < Decimal(grams) <= Decimal(100000):
        errors["grams"] = _("The amount is more than 0 and at most 100 kg.")
    if errors:
        raise ValidationError(errors)
    fields = _base(Additive, canteen=canteen, day=day, by=by, uid=uid, recorded_at=recorded_at, replaces=replaces, reason=reason)
    return _create(Additive, **fields, name=name.strip()[:60], dish=dish.strip()[:60], grams=grams, batch=batch[:40])


def current_version(record: models.Model) -> models.Model:
    """The latest version of a corrected record (itself when it is current)."""
    while not record.is_current:
        record = type(record).objects.get(replaces=record)
    return record
