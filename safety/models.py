"""Campus safety (安全): inspection templates and the rounds walked with them, hazards (隐患) found on
a round or reported by anyone, and their rectification to 销号.

Templates are per school and editable in the admin; the shipped ones (safety/catalogue.py) are
created for a school the first time it opens the safety pages, like repairs' categories. A round
stores each answer the moment it is given, so a round interrupted half-way resumes where it stopped.
Hazards are never deleted: a wrong one is withdrawn with a reason.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from logistics.scoping import SchoolScopedQuerySet


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    TERM = "term", _("Each term")
    ON_DEMAND = "on_demand", _("On demand")


class Coverage(models.TextChoices):
    CAMPUS = "campus", _("The whole campus, one round")
    EACH_BUILDING = "building", _("Each building, one round each")


class InspectionTemplateQuerySet(SchoolScopedQuerySet):
    def active(self) -> InspectionTemplateQuerySet:
        return self.filter(is_active=True)


class InspectionTemplate(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="inspection_templates", verbose_name=_("school"))
    key = models.SlugField(_("shipped template"), max_length=40, blank=True, editable=False,
                           help_text=_("Which shipped template this row was made from; empty for the school's own."))
    name = models.CharField(_("name"), max_length=60)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY)
    coverage = models.CharField(_("places"), max_length=10, choices=Coverage.choices, default=Coverage.CAMPUS)
    rule = models.CharField(_("rule"), max_length=200, blank=True, help_text=_("The regulation behind it, shown on the round."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = InspectionTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")
        ordering = ["school", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="safety_template_unique_name")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_defaults(cls, school: models.Model) -> None:
        """Give a school the shipped templates it does not have yet (one query when it has them all)."""
        from safety.catalogue import SHIPPED, install

        rows = list(cls.objects.filter(school=school).values_list("key", "name"))
        keys, names = {k for k, _n in rows}, {n for _k, n in rows}
        # A shipped template is there by its key, or skipped for a school's own of the same name.
        if any(key not in keys and name not in names for key, name, *_rest in SHIPPED):
            install(school)  # the first visit, or templates shipped since the school's last


class TemplateSection(models.Model):
    template = models.ForeignKey(InspectionTemplate, on_delete=models.CASCADE, related_name="sections", verbose_name=_("template"))
    title = models.CharField(_("section"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    SCHOOL_FIELD = "template__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class HazardCategory(models.TextChoices):
    BUILDING = "building", _("School buildings")
    FIRE = "fire", _("Fire safety")
    ELECTRICAL = "electrical", _("Electrical")
    FOOD = "food", _("Food")
    SPORTS = "sports", _("Sports equipment")
    SURROUNDINGS = "surroundings", _("Surroundings")
    TRAFFIC = "traffic", _("Traffic")
    LAB = "lab", _("Laboratory")
    SECURITY = "security", _("Security")
    OTHER = "other", _("Other")


class TemplateItem(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    text = models.CharField(_("item"), max_length=200)
    evidence_on_fail = models.BooleanField(
        _("photo or note required on fail"), default=True, help_text=_("A fail without a photo or a note is refused.")
    )
    hazard_category = models.CharField(_("hazard category"), max_length=20, choices=HazardCategory.choices, default=HazardCategory.FIRE,
                                       help_text=_("The category of the hazard a fail of this item creates."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "section__template__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.text


# --- Rounds ----------------------------------------------------------------------------------------

class RoundStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Under way")
    FINISHED = "finished", _("Finished and signed")


class RoundQuerySet(SchoolScopedQuerySet):
    def finished(self) -> RoundQuerySet:
        return self.filter(status=RoundStatus.FINISHED)


class Round(models.Model):
    """One walk of a template over a place (a building, or the whole campus when empty)."""

    Status = RoundStatus

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="safety_rounds", verbose_name=_("school"))
    template = models.ForeignKey(InspectionTemplate, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("template"))
    building = models.ForeignKey("logistics.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="safety_rounds",
                                 verbose_name=_("place inspected"))
    day = models.DateField(_("date"), default=timezone.localdate)
    status = FSMField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.IN_PROGRESS)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_rounds", verbose_name=_("inspector"))
    companion = models.CharField(_("walked with"), max_length=50, blank=True, help_text=_("The second person of a two-person patrol."))
    started_at = models.DateTimeField(_("start time"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    signature = models.CharField(_("signed"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCHOOL_FIELD = "school"
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-day", "-started_at", "-id"]
        permissions = [("walk_round", _("Can walk inspection rounds"))]
        indexes = [
            models.Index(fields=["school", "-day", "-started_at", "-id"], name="safety_round_list"),
            models.Index(fields=["school", "template", "day"], name="safety_round_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:round-walk", args=[self.pk])

    @property
    def place_label(self) -> str:
        return self.building.name if self.building_id else str(_("Whole campus"))

    @transition(field=status, source=RoundStatus.IN_PROGRESS, target=RoundStatus.FINISHED, custom={"verb": "finished"})
    def finish(self, *, signature: str, companion: str, at: dt.datetime) -> None:
        self.signature, self.finished_at = signature, at
        if companion:
            self.companion = companion


class Answer(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


def answer_photo_path(instance: RoundAnswer, filename: str) -> str:
    return f"safety/{instance.round.school_id}/{timezone.now():%Y/%m}/{filename}"


class RoundAnswer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers", verbose_name=_("round"))
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    answer = models.CharField(pgettext_lazy("safety round", "answer"), max_length=4, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room"),
                             help_text=_("Where the fault is, when the round covers more than one room."))
    photo = models.FileField(_("photo"), upload_to=answer_photo_path, max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=answer_photo_path, max_length=200, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("safety round", "answered by"))
    answered_at = models.DateTimeField(pgettext_lazy("safety round", "answered at"), default=timezone.now)

    SCHOOL_FIELD = "round__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety round", "answer")
        verbose_name_plural = _("answers")
        ordering = ["round", "item__section__order", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "item"], name="safety_answer_one_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"


# --- Hazards ---------------------------------------------------------------------------------------

class Grade(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("Awaiting rectification")
    FIXING = "fixing", _("Being rectified")
    TO_VERIFY = "to_verify", _("Awaiting verification")
    CLOSED = "closed", _("Closed (verified)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


UNFIXED_STATUSES = (HazardStatus.OPEN, HazardStatus.FIXING)
OPEN_HAZARD_STATUSES = (HazardStatus.OPEN, HazardStatus.FIXING, HazardStatus.TO_VERIFY)
# The five 到位 of a 重大 hazard (措施、资金、期限、责任人、应急预案): field and label.
FIVE_IN_PLACE = (
    ("measures_in_place", _("measures")),
    ("funds_in_place", _("funds")),
    ("deadline_in_place", _("deadline")),
    ("person_in_place", _("person responsible")),
    ("plan_in_place", _("emergency plan")),
)


class HazardQuerySet(SchoolScopedQuerySet):
    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_HAZARD_STATUSES)

    def overdue(self, *, today: dt.date | None = None) -> HazardQuerySet:
        """Not rectified yet and past the deadline."""
        return self.filter(status__in=UNFIXED_STATUSES, deadline__lt=today or timezone.localdate())


class HazardCounter(models.Model):
    """The last number given per school and year (YH<year>-<n>), locked by UPDATE to number hazards."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="safety_hazard_counter_unique")]


class Hazard(models.Model):
    Status = HazardStatus
    Grade = Grade
    Category = HazardCategory

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("school"))
    number = models.CharField(_("number"), max_length=20)
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="found_hazards", verbose_name=_("found by"))
    source_answer = models.OneToOneField(RoundAnswer, on_delete=models.PROTECT, null=True, blank=True, related_name="hazard",
                                         verbose_name=_("found on round"))
    building = models.ForeignKey("logistics.Building", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("building"))
    room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("room"))
    category = models.CharField(_("category"), max_length=20, choices=HazardCategory.choices, default=HazardCategory.OTHER)
    grade = models.CharField(_("hazard grade"), max_length=10, choices=Grade.choices, default=Grade.GENERAL)
    description = models.TextField(_("description"), max_length=2000)
    temporary_measures = models.CharField(_("temporary measures"), max_length=500, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="responsible_hazards", verbose_name=_("person responsible"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = FSMField(_("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.OPEN)

    measures_in_place = models.BooleanField(_("measures in place"), default=False)
    funds_in_place = models.BooleanField(_("funds in place"), default=False)
    deadline_in_place = models.BooleanField(_("deadline in place"), default=False)
    person_in_place = models.BooleanField(_("person responsible in place"), default=False)
    plan_in_place = models.BooleanField(_("emergency plan in place"), default=False)

    measures = models.TextField(_("rectification measures"), blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("rectified by"))
    fixed_on = models.DateField(_("rectified on"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("verified by"))
    verification = models.TextField(_("verification"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    # 《中小学幼儿园安全管理办法》: a hazard the school cannot remove itself is reported in writing to the bureau.
    reported_to_bureau_on = models.DateField(_("reported to the education bureau on"), null=True, blank=True)
    bureau_report = models.CharField(_("report to the bureau"), max_length=500, blank=True,
                                     help_text=_("The written report's reference or a summary of it."))
    repair_ticket_id = models.PositiveBigIntegerField(_("repair ticket"), null=True, blank=True,
                                                      help_text=_("The repair ticket opened for the fix (through repairs.services)."))
    repair_ticket_number = models.CharField(_("repair ticket number"), max_length=20, blank=True)
    drill = models.ForeignKey("safety.Drill", on_delete=models.PROTECT, null=True, blank=True, related_name="hazards",
                              verbose_name=_("found in drill"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    SCHOOL_FIELD = "school"
    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-id"]
        permissions = [
            ("view_all_hazards", _("Can see every hazard of the school")),
            ("manage_hazard", _("Can assign, rectify and withdraw hazards")),
            ("verify_hazard", _("Can verify and close hazards")),
            ("export_hazard", _("Can export the hazard ledger")),
        ]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="safety_hazard_unique_number")]
        indexes = [
            models.Index(fields=["school", "-found_on", "-id"], name="safety_hazard_list"),
            models.Index(fields=["school", "status", "-found_on", "-id"], name="safety_hazard_status"),
            models.Index(fields=["school", "status", "deadline"], name="safety_hazard_due"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard-detail", args=[self.pk])

    @property
    def place_label(self) -> str:
        if self.room_id:
            return f"{self.building.name} {self.room.code} {self.room.name if self.room.name != self.room.code else ''}".strip()
        return self.building.name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HAZARD_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status in UNFIXED_STATUSES and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR

    @property
    def five_missing(self) -> list[str]:
        """The 到位 not recorded yet (labels), for a 重大 hazard."""
        return [str(label) for name, label in FIVE_IN_PLACE if not getattr(self, name)]

    # --- Transitions (django-fsm). Services check the rules under a row lock, then call these. -----
    @transition(field=status, source=HazardStatus.OPEN, target=HazardStatus.FIXING, custom={"verb": "started"})
    def start(self) -> None:
        pass

    @transition(field=status, source=HazardStatus.FIXING, target=HazardStatus.TO_VERIFY, custom={"verb": "rectified"})
    def rectify(self, *, measures: str, fixer: models.Model, on: dt.date) -> None:
        self.measures, self.fixed_by, self.fixed_on = measures, fixer, on

    @transition(field=status, source=HazardStatus.TO_VERIFY, target=HazardStatus.CLOSED, custom={"verb": "closed"})
    def close(self, *, verifier: models.Model, verification: str, on: dt.date) -> None:
        self.verified_by, self.verification, self.closed_on = verifier, verification, on

    @transition(field=status, source=HazardStatus.TO_VERIFY, target=HazardStatus.FIXING, custom={"verb": "sent_back"})
    def send_back(self) -> None:
        self.fixed_on = None

    @transition(field=status, source=list(OPEN_HAZARD_STATUSES), target=HazardStatus.WITHDRAWN, custom={"verb": "withdrawn"})
    def withdraw(self, *, reason: str) -> None:
        self.withdraw_reason = reason


def hazard_photo_path(instance: HazardPhoto, filename: str) -> str:
    return f"safety/{instance.hazard.school_id}/{timezone.now():%Y/%m}/{filename}"


class HazardPhoto(models.Model):
    """A re-encoded photo (no EXIF) with its thumbnail; served through a permission-checked view."""

    class Kind(models.TextChoices):
        FOUND = "found", _("as found")
        FIXED = "fixed", _("after the fix")
        VERIFIED = "verified", _("at verification")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos", verbose_name=_("hazard"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FOUND)
    image = models.FileField(_("photo"), upload_to=hazard_photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=hazard_photo_path, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    SCHOOL_FIELD = "hazard__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["hazard", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard} #{self.pk}"


# --- Settings --------------------------------------------------------------------------------------

class SafetySettings(models.Model):
    """Per-school cadences and thresholds [S]; made with the defaults the first time they are read."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="safety_settings", verbose_name=_("school"))
    drill_every_months = models.PositiveSmallIntegerField(
        _("an evacuation drill every (months)"), default=1,
        help_text=_("Primary and secondary schools at least monthly, kindergartens at least quarterly (教基一厅〔2014〕2号)."))
    evacuation_target_seconds = models.PositiveIntegerField(
        _("evacuation target (seconds)"), default=120, help_text=_("Up to four floors clear in about two minutes."))
    low_score = models.DecimalField(_("a contractor score below this opens a follow-up"), max_digits=5, decimal_places=1, default=70)

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school: models.Model) -> SafetySettings:
        found = cls.objects.filter(school_id=school.pk).first()
        if found is None:
            months = 3 if getattr(school, "kind", "") == "kindergarten" else 1
            found, _created = cls.objects.get_or_create(school_id=school.pk, defaults={"drill_every_months": months})
        return found


# --- Drills (演练) -----------------------------------------------------------------------------------

class DrillKind(models.TextChoices):
    FIRE = "fire", _("Fire evacuation")
    EARTHQUAKE = "earthquake", _("Earthquake evacuation")
    INTRUDER = "intruder", _("Anti-terror / intruder")
    BUS = "bus", _("School bus")
    FLOOD = "flood", _("Flood and typhoon")
    OTHER = "other", _("Other")


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Drill(models.Model):
    """An emergency drill: planned for a day, then recorded as held (or cancelled with a reason)."""

    Kind = DrillKind
    Status = DrillStatus

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="drills", verbose_name=_("school"))
    kind = models.CharField(_("kind of drill"), max_length=12, choices=DrillKind.choices, default=DrillKind.FIRE)
    title = models.CharField(_("title"), max_length=100, blank=True)
    day = models.DateField(_("date"))
    status = FSMField(_("status"), max_length=12, choices=DrillStatus.choices, default=DrillStatus.PLANNED)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    evacuation_seconds = models.PositiveIntegerField(_("evacuation time (seconds)"), null=True, blank=True,
                                                     help_text=_("From the alarm until everyone is at the assembly point."))
    problems = models.TextField(_("problems the drill found"), max_length=2000, blank=True)
    improvements = models.TextField(_("improvements"), max_length=2000, blank=True)
    summary = models.TextField(_("drill summary"), max_length=4000, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-day", "-id"]
        permissions = [("manage_drill", _("Can plan and record drills, trainings and contractor evaluations"))]
        indexes = [models.Index(fields=["school", "-day", "-id"], name="safety_drill_list")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:drill-detail", args=[self.pk])

    @transition(field=status, source=[DrillStatus.PLANNED, DrillStatus.HELD], target=DrillStatus.HELD, custom={"verb": "held"})
    def hold(self, **record: object) -> None:
        for name, value in record.items():
            setattr(self, name, value)

    @transition(field=status, source=DrillStatus.PLANNED, target=DrillStatus.CANCELLED, custom={"verb": "cancelled"})
    def cancel(self, *, reason: str) -> None:
        self.cancel_reason = reason


def drill_photo_path(instance: DrillPhoto, filename: str) -> str:
    return f"safety/{instance.drill.school_id}/drills/{timezone.now():%Y/%m}/{filename}"


class DrillPhoto(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="photos", verbose_name=_("drill"))
    image = models.FileField(_("photo"), upload_to=drill_photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=drill_photo_path, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    SCHOOL_FIELD = "drill__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["drill", "uploaded_at", "pk"]


# --- Training (安全培训/教育) ---------------------------------------------------------------------------

class TrainingKind(models.TextChoices):
    TERM_START = "term_start", _("Start of term")
    HOLIDAY = "holiday", _("Before the holidays")
    NEW_STAFF = "new_staff", _("New staff, before starting")
    FIRE = "fire", _("Fire safety")
    FOOD = "food", _("Food safety")
    OTHER = "other", _("Other")


def training_file_path(instance: Training, filename: str) -> str:
    return f"safety/{instance.school_id}/training/{timezone.now():%Y/%m}/{filename}"


class Training(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="safety_trainings", verbose_name=_("school"))
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind of training"), max_length=12, choices=TrainingKind.choices, default=TrainingKind.OTHER)
    topic = models.CharField(_("topic"), max_length=120)
    audience = models.CharField(_("audience"), max_length=120, help_text=_("Who it was for: all staff, new staff, guards, canteen staff…"))
    attendees_count = models.PositiveIntegerField(_("attendees"))
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="safety_trainings",
                                       verbose_name=_("staff who attended"), help_text=_("So the report can say who was trained."))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("trainer"), max_length=60)
    materials = models.FileField(_("materials"), upload_to=training_file_path, max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["school", "-day", "-id"], name="safety_training_list")]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("safety:training-detail", args=[self.pk])


# --- Outsourced services and their evaluations -----------------------------------------------------

class ServiceKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security guards")
    PROPERTY = "property", _("Property management")
    CANTEEN = "canteen", _("Canteen operator")
    FIRE_EQUIPMENT = "fire_equipment", _("Fire equipment maintenance")
    OTHER = "other", _("Other")


class Contractor(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="safety_contractors", verbose_name=_("school"))
    name = models.CharField(_("company"), max_length=100)
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    contact = models.CharField(_("contact person"), max_length=60, blank=True)
    is_active = models.BooleanField(_("under contract"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["school", "service", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name", "service"], name="safety_contractor_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_service_display()}）"


class Criterion(models.Model):
    """One line of a service's monthly score sheet, per school, with its weight."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="safety_criteria", verbose_name=_("school"))
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    text = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["school", "service", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Evaluation(models.Model):
    """A month's score sheet of one contractor: scores 0–100 per criterion, the weighted total."""

    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("contractor"))
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    month = models.DateField(_("month"), help_text=_("The first day of the month assessed."))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    conclusion = models.TextField(_("conclusion"), max_length=2000, blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up = models.TextField(_("follow-up"), max_length=2000, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluated by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contractor evaluation")
        verbose_name_plural = _("contractor evaluations")
        ordering = ["-month", "contractor", "-id"]
        constraints = [models.UniqueConstraint(fields=["contractor", "month", "evaluated_by"], name="safety_evaluation_once_a_month")]
        indexes = [models.Index(fields=["school", "-month"], name="safety_evaluation_list")]

    def __str__(self) -> str:
        return f"{self.contractor.name} {self.month:%Y-%m}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluation"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="safety_score_once")]
