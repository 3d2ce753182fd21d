"""Canteen and food safety (食堂): the set-up of a school's canteens and the daily records an inspector
asks for (DOMAIN.md §1).

Set-up: canteens (self-run or a contracted operator with its licence), the meals each serves, the
sample fridges, the staff with their health certificates, the suppliers.

Records (`Record` subclasses): samples, staff morning checks, incoming goods, pesticide rapid tests,
tableware disinfection, accompanied meals and the daily checklist. Every record:
- carries a client-generated `uid`, unique: a form kept in the browser while the kitchen's Wi-Fi was
  down and sent twice is stored once (the replay is refused);
- carries `recorded_at`, when the person filled it in (which may be before it reached the server);
- is never deleted. A correction is a new version (`replaces` the old one, with who and why); the
  old one stays with `is_current = False`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from logistics.scoping import SchoolScopedQuerySet


class AgeBand(models.TextChoices):
    """The school-age columns of WS/T 554-2017《学生餐营养指南》 (6–17 岁); a kindergarten canteen has none."""

    NONE = "", _("No WS/T 554 band (kindergarten)")
    AGE_6_8 = "6-8", _("6–8 years")
    AGE_9_11 = "9-11", _("9–11 years")
    AGE_12_14 = "12-14", _("12–14 years")
    AGE_15_17 = "15-17", _("15–17 years")


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")
    SNACK = "snack", _("Snack")


MEAL_ORDER = {MealKind.BREAKFAST: 0, MealKind.LUNCH: 1, MealKind.DINNER: 2, MealKind.SNACK: 3}


# --- Set-up ----------------------------------------------------------------------------------------

class Canteen(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="canteens", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=60)
    operator = models.CharField(_("contracted operator"), max_length=100, blank=True,
                                help_text=_("Empty when the school runs the canteen itself."))
    licence_no = models.CharField(_("food business licence no."), max_length=40, blank=True)
    licence_expires = models.DateField(_("licence expires"), null=True, blank=True)
    opens_at = models.TimeField(_("opens at"), default=dt.time(6, 30),
                                help_text=_("Morning checks are due before this time (操作规范: every working day before work)."))
    sample_min_grams = models.PositiveSmallIntegerField(
        _("minimum sample weight (g)"), default=125, validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("National minimum 125 g per dish (学校食品安全与营养健康管理规定 第四十条); some provinces ask 200 g."))
    sample_hours = models.PositiveSmallIntegerField(
        _("sample kept for (hours)"), default=48, validators=[MinValueValidator(48), MaxValueValidator(240)],
        help_text=_("At least 48 hours (学校食品安全与营养健康管理规定 第四十条)."))
    certificate_notice_days = models.PositiveSmallIntegerField(
        _("certificate reminder (days before expiry)"), default=30, validators=[MaxValueValidator(365)],
        help_text=_("Health certificates are renewed every year (食品安全法 第四十五条)."))
    rapid_test_limit = models.DecimalField(
        _("rapid test positive from (% inhibition)"), max_digits=5, decimal_places=2, default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)], help_text=_("GB/T 5009.199: 50 % inhibition or more is positive."))
    is_kindergarten = models.BooleanField(_("kindergarten canteen"), default=False,
                                          help_text=_("Uses the kindergarten checklist (托儿所幼儿园卫生保健工作规范)."))
    menu_band = models.CharField(
        _("menu age band"), max_length=5, choices=AgeBand.choices, default=AgeBand.AGE_12_14, blank=True,
        help_text=_("The WS/T 554-2017 column the weekly menu is checked against; none for a kindergarten (WS/T 554 covers 6–17 years)."))
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("canteen")
        verbose_name_plural = _("canteens")
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="canteen_unique_name")]
        permissions = [("record_canteen", "Can keep the daily canteen records"),
                       ("accompany_meal", "Can record an accompanied meal"),
                       ("export_canteen", "Can export the canteen records")]

    def __str__(self) -> str:
        return self.name


class Meal(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="meals", verbose_name=_("canteen"))
    kind = models.CharField(_("meal"), max_length=12, choices=MealKind.choices)
    serves_at = models.TimeField(_("served at"))
    accompanied = models.BooleanField(_("a leader eats with the students"), default=False,
                                      help_text=_("An accompanied-meal record is due for this meal (学校食品安全与营养健康管理规定)."))
    is_active = models.BooleanField(_("served"), default=True)

    SCHOOL_FIELD = "canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meal")
        verbose_name_plural = _("meals")
        ordering = ["canteen", "serves_at"]
        constraints = [models.UniqueConstraint(fields=["canteen", "kind"], name="canteen_meal_unique_kind")]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Fridge(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="fridges", verbose_name=_("canteen"))
    name = models.CharField(_("name"), max_length=40)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample fridge")
        verbose_name_plural = _("sample fridges")
        ordering = ["canteen", "name"]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="staff", verbose_name=_("canteen"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    post = models.CharField(pgettext_lazy("canteen staff", "post"), max_length=40, blank=True)
    certificate_no = models.CharField(_("health certificate no."), max_length=40, blank=True)
    certificate_issued = models.DateField(_("certificate issued"), null=True, blank=True)
    certificate_expires = models.DateField(_("certificate expires"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="canteen/staff/%Y/", blank=True)
    on_duty = models.BooleanField(_("on the duty roster"), default=True, help_text=_("Their morning check is due every operating day."))
    is_active = models.BooleanField(_("employed"), default=True)

    SCHOOL_FIELD = "canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("canteen staff member")
        verbose_name_plural = _("canteen staff")
        ordering = ["canteen", "name"]

    def __str__(self) -> str:
        return self.name

    def certificate_valid_on(self, day: dt.date) -> bool:
        return bool(self.certificate_no and self.certificate_expires and self.certificate_expires >= day)


class Supplier(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="food_suppliers", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=100)
    licence_no = models.CharField(_("licence no."), max_length=40, blank=True)
    licence_expires = models.DateField(_("licence expires"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    products = models.CharField(_("product kinds"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    dropped_reason = models.CharField(_("why dropped"), max_length=200, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="canteen_supplier_unique_name")]

    def __str__(self) -> str:
        return self.name


class FoodGroup(models.TextChoices):
    """The food groups of WS/T 554-2017《学生餐营养指南》."""

    GRAINS = "grains", _("Cereals and tubers")
    VEGETABLES = "vegetables", _("Vegetables")
    FRUIT = "fruit", _("Fruit")
    MEAT = "meat", _("Livestock and poultry meat")
    FISH = "fish", _("Fish and shrimp")
    EGGS = "eggs", _("Eggs")
    MILK = "milk", _("Milk")
    SOY = "soy", _("Soybeans and nuts")
    OIL = "oil", _("Cooking oil")
    SALT = "salt", _("Salt")


class MenuDish(models.Model):
    """A dish on a day's menu (带量食谱): pre-fills the samples to keep for that meal; with its main
    food group and grams per student, the week's lunches are checked against WS/T 554."""

    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="menu", verbose_name=_("canteen"))
    day = models.DateField(_("date"))
    meal = models.CharField(_("meal"), max_length=12, choices=MealKind.choices)
    name = models.CharField(_("dish"), max_length=60)
    group = models.CharField(_("food group"), max_length=12, choices=FoodGroup.choices, blank=True)
    grams = models.DecimalField(_("grams per student"), max_digits=6, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(2000)])
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    SCHOOL_FIELD = "canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("menu dish")
        verbose_name_plural = _("menu dishes")
        ordering = ["canteen", "day", "meal", "order", "pk"]
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """An item of the school's daily food-safety checklist (《每日食品安全检查记录》)."""

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="canteen_checklist", verbose_name=_("school"))
    group = models.CharField(pgettext_lazy("food group", "group"), max_length=40)
    text = models.CharField(_("item"), max_length=200)
    for_kindergarten = models.BooleanField(_("kindergarten checklist"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily checklist item")
        verbose_name_plural = _("daily checklist items")
        ordering = ["school", "for_kindergarten", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def ensure_defaults(cls, school: Any) -> None:
        if not cls.objects.filter(school=school).exists():
            from canteen.catalogue import install

            install(school)


# --- Records ---------------------------------------------------------------------------------------

class RecordQuerySet(SchoolScopedQuerySet):
    def current(self) -> RecordQuerySet:
        return self.filter(is_current=True)


class Record(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="+", verbose_name=_("canteen"))
    day = models.DateField(_("date"))
    uid = models.UUIDField(_("record id"), default=uuid.uuid4, unique=True, editable=False,
                           help_text=_("Made by the phone that filled the form in: a form sent twice is stored once."))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
                                    verbose_name=_("corrects"))
    is_current = models.BooleanField(_("current version"), default=True)
    correction_reason = models.CharField(_("why corrected"), max_length=200, blank=True)

    SCHOOL_FIELD = "canteen__school"
    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-day", "-recorded_at", "-id"]


class Sample(Record):
    class Status(models.TextChoices):
        KEPT = "kept", _("Kept")
        DESTROYED = "destroyed", _("Destroyed")

    meal = models.CharField(_("meal"), max_length=12, choices=MealKind.choices)
    dish = models.CharField(_("dish"), max_length=60)
    grams = models.PositiveIntegerField(_("weight (g)"))
    fridge = models.ForeignKey(Fridge, on_delete=models.PROTECT, null=True, blank=True, related_name="samples", verbose_name=_("fridge"))
    expires_at = models.DateTimeField(_("keep until"))
    status = FSMField(_("status"), max_length=12, choices=Status.choices, default=Status.KEPT)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("destroyed by"))

    class Meta(Record.Meta):
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        indexes = [models.Index(fields=["canteen", "day"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.dish}"

    @transition(field=status, source=Status.KEPT, target=Status.DESTROYED, custom={"verb": "destroyed"})
    def destroy(self, *, destroyer: Any, at: dt.datetime) -> None:
        self.destroyed_by, self.destroyed_at = destroyer, at


class Symptom(models.IntegerChoices):
    # The codes of the paper forms [P]; 1, 4, 6 and 10 bar food contact [R 操作规范].
    FEVER = 1, _("Fever")
    NAUSEA = 2, _("Nausea")
    VOMITING = 3, _("Vomiting")
    DIARRHOEA = 4, _("Diarrhoea")
    STOMACH_ACHE = 5, _("Stomach ache")
    WOUND = 6, _("Skin wound or infection")
    BURN = 7, _("Burn")
    ECZEMA = 8, _("Eczema")
    JAUNDICE = 9, _("Jaundice")
    SORE_THROAT = 10, _("Sore throat")
    COUGH = 11, _("Cough")
    OTHER = 12, _("Other")


# 操作规范: 发热、腹泻、皮肤伤口或感染、咽部炎症 keep a person away from food until cured.
BARRED_SYMPTOMS = frozenset({Symptom.FEVER, Symptom.DIARRHOEA, Symptom.WOUND, Symptom.SORE_THROAT, Symptom.VOMITING, Symptom.JAUNDICE})
FEVER_FROM = 37.3


class MorningCheck(Record):
    class Decision(models.TextChoices):
        ON_DUTY = "on_duty", _("On duty")
        OFF_DUTY = "off_duty", _("Moved off duty")

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="checks", verbose_name=_("staff member"))
    temperature = models.DecimalField(_("temperature (℃)"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    hygiene_ok = models.BooleanField(_("clothes, nails and no jewellery in order"), default=True)
    certificate_valid = models.BooleanField(_("health certificate valid"), default=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.ON_DUTY)
    action = models.CharField(_("action taken"), max_length=200, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("morning check")
        verbose_name_plural = _("morning checks")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.staff}"

    def symptom_labels(self) -> list[str]:
        labels = dict(Symptom.choices)
        return [str(labels.get(code, code)) for code in self.symptoms or []]


class Delivery(Record):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("supplier"))
    status = models.CharField(_("result"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    rejection_reason = models.CharField(_("why rejected"), max_length=200, blank=True)
    second_acceptor = models.CharField(_("second person accepting"), max_length=40, blank=True,
                                       help_text=_("Bulk staples (rice, flour, oil, meat, eggs, milk) are accepted by two people."))
    retain_until = models.DateField(_("keep the record until"),
                                    help_text=_("Six months past the shelf life, or two years where there is none (食品安全法 第五十条)."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("delivery check")
        verbose_name_plural = _("delivery checks")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.supplier}"


class DeliveryItem(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="items", verbose_name=_("delivery"))
    name = models.CharField(_("food"), max_length=60)
    spec = models.CharField(_("specification"), max_length=40, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=10, default="kg")
    production_date = models.DateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    is_staple = models.BooleanField(_("bulk staple"), default=False)

    SCHOOL_FIELD = "delivery__canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivered item")
        verbose_name_plural = _("delivered items")
        ordering = ["delivery", "pk"]

    def __str__(self) -> str:
        return self.name


class DeliveryPhoto(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="photos", verbose_name=_("delivery"))
    image = models.ImageField(_("certificate photo"), upload_to="canteen/certificates/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="canteen/certificates/%Y/%m/thumbs/")

    SCHOOL_FIELD = "delivery__canteen__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate photo")
        verbose_name_plural = _("certificate photos")
        ordering = ["delivery", "pk"]


class RapidTest(Record):
    sample_name = models.CharField(_("vegetable tested"), max_length=60)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="rapid_tests", verbose_name=_("supplier"))
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    inhibition = models.DecimalField(_("inhibition (%)"), max_digits=5, decimal_places=2,
                                     validators=[MinValueValidator(0), MaxValueValidator(100)])
    positive = models.BooleanField(_("positive"), default=False)
    retest_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="retests", verbose_name=_("retest of"))
    action = models.CharField(_("action taken"), max_length=200, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("pesticide rapid test")
        verbose_name_plural = _("pesticide rapid tests")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.sample_name}"


class Method(models.TextChoices):
    BOILING = "boiling", _("Boiling or steam")
    INFRARED = "infrared", _("Infrared cabinet")
    DISHWASHER = "dishwasher", _("Dishwasher")
    CHLORINE = "chlorine", _("Chlorine soak")


# 操作规范: the parameters each method needs (minimum temperature ℃, minimum concentration mg/L, minimum seconds).
METHOD_LIMITS: dict[str, dict[str, int]] = {
    Method.BOILING: {"temperature": 100, "seconds": 600},
    Method.INFRARED: {"temperature": 120, "seconds": 600},
    Method.DISHWASHER: {"temperature": 85, "seconds": 40},
    Method.CHLORINE: {"concentration": 250, "seconds": 300},
}


class Disinfection(Record):
    meal = models.CharField(_("meal"), max_length=12, choices=MealKind.choices)
    items = models.CharField(_("tableware"), max_length=100, default="餐具")
    quantity = models.PositiveIntegerField(_("pieces"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    temperature = models.DecimalField(_("temperature (℃)"), max_digits=5, decimal_places=1, null=True, blank=True)
    concentration = models.PositiveIntegerField(_("concentration (mg/L)"), null=True, blank=True)
    seconds = models.PositiveIntegerField(_("duration (seconds)"))
    out_of_range = models.BooleanField(_("out of range"), default=False)
    checker = models.CharField(_("checked by"), max_length=40, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("disinfection")
        verbose_name_plural = _("disinfections")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.get_method_display()}"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class AccompaniedMeal(Record):
    class Role(models.TextChoices):
        LEADER = "leader", _("School leader")
        TEACHER = "teacher", _("Teacher")
        PARENT = "parent", _("Parent")

    class Feedback(models.TextChoices):
        NONE = "none", _("No opinion to answer")
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    meal = models.CharField(_("meal"), max_length=12, choices=MealKind.choices)
    person = models.CharField(_("who ate"), max_length=40)
    role = models.CharField(_("as"), max_length=10, choices=Role.choices, default=Role.LEADER)
    taste = models.CharField(_("colour, smell and taste"), max_length=10, choices=Rating.choices, default=Rating.GOOD)
    warmth = models.CharField(_("temperature"), max_length=10, choices=Rating.choices, default=Rating.GOOD)
    portion = models.CharField(_("portion"), max_length=10, choices=Rating.choices, default=Rating.GOOD)
    hygiene = models.CharField(_("hygiene and order"), max_length=10, choices=Rating.choices, default=Rating.GOOD)
    opinion = models.TextField(_("opinions and problems"), blank=True)
    feedback = FSMField(_("feedback"), max_length=10, choices=Feedback.choices, default=Feedback.NONE)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))

    class Meta(Record.Meta):
        verbose_name = _("accompanied meal")
        verbose_name_plural = _("accompanied meals")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.person}"

    @transition(field=feedback, source=Feedback.OPEN, target=Feedback.ANSWERED, custom={"verb": "answered"})
    def give_answer(self, *, answer: str, answerer: Any, at: dt.datetime) -> None:
        self.answer, self.answered_by, self.answered_at = answer, answerer, at


class DailyCheck(Record):
    """The day's checklist (日管控): every item's answer; "no problem found" is a record too."""

    answers = models.JSONField(_("answers"), default=dict, help_text=_("item id → true (in order) or false (a problem)"))
    problems = models.TextField(_("problems found and fixes"), blank=True)
    all_ok = models.BooleanField(_("no problem found"), default=True)

    class Meta(Record.Meta):
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.canteen}"


class Additive(Record):
    """The food-additive register (操作规范: a dedicated register, whenever one is used)."""

    name = models.CharField(_("additive"), max_length=60)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    dish = models.CharField(_("dish"), max_length=60)
    grams = models.DecimalField(_("amount (g)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta(Record.Meta):
        verbose_name = _("additive use")
        verbose_name_plural = _("additive register")
        indexes = [models.Index(fields=["canteen", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.name} {self.dish}"


RECORD_MODELS = (MorningCheck, Sample, Disinfection, AccompaniedMeal, Delivery, RapidTest, DailyCheck, Additive)


# --- Notable events and reminders -------------------------------------------------------------------

class Event(models.Model):
    """Something the term report tells as an event: an inspection, a training, a food incident."""

    class Kind(models.TextChoices):
        BUREAU_INSPECTION = "bureau_inspection", _("Inspection by the market-supervision bureau")
        TRAINING = "training", _("Food-safety training")
        INCIDENT = "incident", _("Food-safety incident")
        WEEKLY_REVIEW = "weekly_review", _("Weekly review (周排查)")
        MONTHLY_MEETING = "monthly_meeting", _("Monthly meeting (月调度)")

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="canteen_events", verbose_name=_("school"))
    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("canteen"))
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    people_count = models.PositiveIntegerField(_("people"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("canteen event")
        verbose_name_plural = _("canteen events")
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """One reminder sent: its key ("sample:<canteen>:<day>:<meal>") makes each reminder go out once."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    key = models.CharField(_("reminder"), max_length=100, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
