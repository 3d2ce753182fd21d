"""Writes of the set-up screens (canteens, meals, fridges, staff, suppliers, the daily checklist, the
duty roster), outside the admin.

Every save is audited (who changed which fields). Nothing here deletes: records point at these rows
(a sample at its fridge, a check at its staff member, a delivery at its supplier), so a row leaves
use by `is_active = False` and stays readable in the history. A supplier switched off goes through
`supplier_drop` (its reason, its 工作纪事 entry).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from logistics import audit
from logistics.workflow import lock

from canteen.models import AgeBand, Canteen, ChecklistItem, Fridge, Meal, Staff, Supplier
from canteen.selectors import day_pages_changed


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28) + dt.timedelta(days=1)


def setup_problems(obj: Any, *, today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with a set-up row about to be saved: {field: message}, empty when it is fine."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    school_id = obj.school_id if hasattr(obj, "school_id") else None

    def licence(no_field: str, expires_field: str) -> None:
        number, expires = getattr(obj, no_field), getattr(obj, expires_field)
        if expires and not number:
            errors[no_field] = _("Give the licence number with its expiry date.")
        if number and not expires:
            errors[expires_field] = _("Give the date the licence expires.")
        if expires and expires < today and obj.is_active:
            errors[expires_field] = _("This licence expired on %(day)s: record the renewed licence (or take the row out of use).") % {
                "day": date_format(expires, "Y-m-d")}

    if isinstance(obj, Canteen):
        licence("licence_no", "licence_expires")
        if obj.operator and not obj.licence_no:
            errors.setdefault("licence_no", _("A contracted operator works under its own food business licence: give its number."))
        if Canteen.objects.filter(school_id=school_id, name=obj.name).exclude(pk=obj.pk).exists():
            errors["name"] = _("This school already has a canteen of that name.")
    elif isinstance(obj, Supplier):
        licence("licence_no", "licence_expires")
        if Supplier.objects.filter(school_id=school_id, name=obj.name).exclude(pk=obj.pk).exists():
            errors["name"] = _("This school already has a supplier of that name.")
    elif isinstance(obj, Staff):
        issued, expires = obj.certificate_issued, obj.certificate_expires
        if (issued or expires) and not obj.certificate_no:
            errors["certificate_no"] = _("Give the health certificate number with its dates.")
        if issued and issued > today:
            errors["certificate_issued"] = _("The certificate cannot be issued after today.")
        if issued and expires:
            if expires <= issued:
                errors["certificate_expires"] = _("The certificate expires before it was issued.")
            elif expires > _one_year_after(issued):
                # 食品安全法 第四十五条: food handlers are examined and certified every year.
                errors["certificate_expires"] = _("A health certificate is valid for one year at most (食品安全法 第四十五条).")
    elif isinstance(obj, Meal):
        if Meal.objects.filter(canteen_id=obj.canteen_id, kind=obj.kind).exclude(pk=obj.pk).exists():
            errors["kind"] = _("This canteen already serves that meal.")
    return errors


SCHOOL_OF = {Canteen: "school", Supplier: "school", ChecklistItem: "school", Meal: "canteen", Fridge: "canteen", Staff: "canteen"}


@transaction.atomic
def setup_save(*, model: type[models.Model], values: dict[str, Any], school: Any, by: Any,
               instance: models.Model | None = None) -> models.Model:
    """Create (`instance` None) or change a set-up row of `school` from the form's `values`.

    A per-canteen row's canteen must be one of the school's; a staff photo is re-encoded (no EXIF);
    a kindergarten canteen has no WS/T 554 band. Raises ValidationError {field: message}.
    """
    from canteen.photos import problem_with, process

    school_id = getattr(school, "pk", school)
    values = dict(values)
    photo = values.pop("photo", None)
    creating = instance is None or instance.pk is None
    obj = model() if creating else lock(instance)
    before = {} if creating else {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    if SCHOOL_OF[model] == "school":
        obj.school_id = school_id
    elif values.get("canteen") is not None and values["canteen"].school_id != school_id:
        raise ValidationError({"canteen": _("That canteen is not in this school.")})
    was_active = before.get("is_active", True)
    drop_reason = (values.pop("dropped_reason", "") or "").strip()
    for name, value in values.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    if isinstance(obj, Canteen) and obj.is_kindergarten:
        obj.menu_band = AgeBand.NONE  # WS/T 554 covers pupils of 6 to 17
    dropping = isinstance(obj, Supplier) and was_active and not obj.is_active and not creating
    if dropping:
        obj.is_active = True  # supplier_drop below switches it off with its reason and its chronicle entry
    errors = setup_problems(obj)
    if dropping and not drop_reason:
        errors["dropped_reason"] = _("Say why the supplier is dropped.")
    if isinstance(photo, UploadedFile) and (problem := problem_with(photo)):
        errors["photo"] = problem
    if errors:
        raise ValidationError(errors)
    if isinstance(obj, Supplier) and obj.is_active and not was_active:
        obj.dropped_on, obj.dropped_reason = None, ""
    if isinstance(photo, UploadedFile):
        processed = process(photo)
        obj.photo.save(processed.image.name, processed.image, save=False)
    elif photo is False:  # the form's "clear" box
        obj.photo = ""
    obj.save()
    changed = sorted(name for name, value in before.items() if getattr(obj, name) != value)
    verb = "created" if creating else ("deactivated" if was_active and not getattr(obj, "is_active", True)
                                       else "reactivated" if not was_active and getattr(obj, "is_active", True) else "changed")
    audit.record(obj, f"canteen.{model._meta.model_name}.{verb}", by=by, school=school_id, data={"fields": changed} if changed else None)
    if dropping:
        from canteen.services.setup import supplier_drop

        obj = supplier_drop(supplier=obj, reason=drop_reason, by=by)
    return obj


@transaction.atomic
def roster_set(*, school: Any, on_duty: set[int], by: Any) -> int:
    """Put exactly the staff members `on_duty` (ids, of the school's employed staff) on the duty roster;
    the others off. Returns how many changed; each change is audited."""
    staff = list(Staff.objects.for_school(school).filter(is_active=True).select_for_update().order_by("pk"))
    unknown = set(on_duty) - {s.pk for s in staff}
    if unknown:
        raise ValidationError({"on_duty": _("Choose staff members of this school.")})
    changed = 0
    for person in staff:
        wanted = person.pk in on_duty
        if person.on_duty != wanted:
            Staff.objects.filter(pk=person.pk).update(on_duty=wanted)
            audit.record(person, "canteen.staff.roster", by=by, school=school, from_state="on" if person.on_duty else "off",
                         to_state="on" if wanted else "off")
            changed += 1
    if changed:
        day_pages_changed(school)  # update() sends no signal
    return changed
