"""The shared core: schools and their places, terms, people, memberships and roles.

Every domain record of every app belongs to a school, directly (a `school` foreign key) or through
its location (a room belongs to a building, a building to a campus, a campus to a school). Each
model names that path in `SCHOOL_FIELD`, and `logistics.scoping` filters every queryset through it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet

CHINESE_NUMERALS = "〇一二三四五六七八九"


class Role(models.TextChoices):
    """The roles of DESIGN.md. Each is a Django group of the same name (created by a migration)."""

    STAFF = "staff", _("Staff")
    CLASS_TEACHER = "class_teacher", _("Class teacher")
    REPAIRER = "repairer", _("Repairer")
    LOGISTICS_ADMIN = "logistics_admin", _("Logistics admin")
    CANTEEN_MANAGER = "canteen_manager", _("Canteen manager")
    SAFETY_OFFICER = "safety_officer", _("Safety officer")
    FINANCE = "finance", _("Finance")
    VICE_PRINCIPAL = "vice_principal", _("Vice principal")
    PRINCIPAL = "principal", _("Principal")
    DISTRICT_VIEWER = "district_viewer", _("District viewer")


LEADERS = frozenset({Role.LOGISTICS_ADMIN, Role.VICE_PRINCIPAL, Role.PRINCIPAL})


class School(models.Model):
    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior middle school")
        SENIOR = "senior", _("Senior middle school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        VOCATIONAL = "vocational", _("Vocational school")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("Short code used in URLs and commands, e.g. demo."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JUNIOR)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    office_name = models.CharField(
        _("logistics office name"), max_length=50, default="后勤处", help_text=_("Signs the term report, e.g. 后勤处 or 总务处.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    SCHOOL_FIELD = "pk"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Campus(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="campuses", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="campus_unique_name")]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    campus = models.ForeignKey(Campus, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("campus"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("floors above ground"), default=1)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    SCHOOL_FIELD = "campus__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["campus", "code"]
        constraints = [models.UniqueConstraint(fields=["campus", "code"], name="building_unique_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("building-detail", args=[self.pk])


class Room(models.Model):
    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        OFFICE = "office", _("Office")
        LAB = "lab", _("Laboratory")
        FUNCTION = "function", _("Function room")
        DORMITORY = "dormitory", _("Dormitory")
        CANTEEN = "canteen", _("Canteen")
        WAREHOUSE = "warehouse", _("Warehouse")
        TOILET = "toilet", _("Toilet")
        CORRIDOR = "corridor", _("Corridor / stairs")
        OUTDOOR = "outdoor", _("Outdoor")
        OTHER = "other", _("Other")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("building"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Door number, e.g. A203."))
    name = models.CharField(_("name"), max_length=100)
    floor = models.SmallIntegerField(_("floor"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "building__campus__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building", "floor", "code"]
        constraints = [models.UniqueConstraint(fields=["building", "code"], name="room_unique_code")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.code} {self.name}" if self.name != self.code else f"{self.building.name} {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("room-detail", args=[self.pk])


class Department(models.Model):
    """A 处室 or 年级组 of a school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="departments", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=50)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A 班级: grade is the year of schooling (1 = 一年级/初一 depending on the school kind)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes", verbose_name=_("school"))
    grade = models.PositiveSmallIntegerField(_("grade"))
    name = models.CharField(_("name"), max_length=50, help_text=_("As written on the door, e.g. 初一(3)班."))
    head_teacher = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="head_of_classes", verbose_name=_("head teacher")
    )
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="classes", verbose_name=_("home room"))

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "grade", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="class_unique_name")]

    def __str__(self) -> str:
        return self.name


class TermQuerySet(SchoolScopedQuerySet):
    def current(self, *, on: dt.date | None = None) -> Term | None:
        """The term that contains `on` (today), else the latest that has started."""
        on = on or timezone.localdate()
        return self.filter(start__lte=on, end__gte=on).first() or self.filter(start__lte=on).order_by("-start").first()


class Term(models.Model):
    class Semester(models.IntegerChoices):
        FIRST = 1, _("first term")
        SECOND = 2, _("second term")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="terms", verbose_name=_("school"))
    year = models.PositiveSmallIntegerField(_("school year starts in"), help_text=_("2025 for the 2025—2026 school year."))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    SCHOOL_FIELD = "school"
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["school", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "semester"], name="term_unique_per_school"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def code(self) -> str:
        """The code used on the command line and in URLs: 2025-2026-2."""
        return f"{self.year}-{self.year + 1}-{self.semester}"

    @property
    def label(self) -> str:
        """As schools write it: 2025—2026学年第二学期 (the same in every language: it is a name)."""
        return f"{self.year}—{self.year + 1}学年第{'一' if self.semester == 1 else '二'}学期"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The last day must come after the first day.")})
        if self.start and self.end and self.school_id:
            overlapping = Term.objects.filter(school_id=self.school_id, start__lte=self.end, end__gte=self.start).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("This term overlaps %(term)s.") % {"term": overlapping.first()})

    def previous(self) -> Term | None:
        return Term.objects.filter(school_id=self.school_id, start__lt=self.start).order_by("-start").first()

    @classmethod
    def parse_code(cls, code: str) -> tuple[int, int] | None:
        parts = code.strip().split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            return None
        year, next_year, semester = map(int, parts)
        if next_year != year + 1 or semester not in (1, 2):
            return None
        return year, semester


def chinese_date(d: dt.date, *, day: bool = False) -> str:
    """二〇二六年七月 (or 二〇二六年七月十日): the date as an official document writes it."""

    def small(n: int) -> str:
        if n < 10:
            return CHINESE_NUMERALS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十" + (CHINESE_NUMERALS[ones] if ones else "")

    text = "".join(CHINESE_NUMERALS[int(c)] for c in str(d.year)) + f"年{small(d.month)}月"
    return text + f"{small(d.day)}日" if day else text


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username: str) -> User:
        return self.get(**{self.model.USERNAME_FIELD: username})


phone_validator = RegexValidator(r"^1\d{10}$", _("Enter an 11-digit mobile number."))


class User(AbstractUser):
    """A person: login by username or mobile number. Roles live on the membership of each school."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile"), max_length=11, null=True, blank=True, unique=True, validators=[phone_validator])
    employee_no = models.CharField(_("employee number"), max_length=30, blank=True)
    language = models.CharField(_("interface language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.phone == "":
            self.phone = None


class MembershipQuerySet(SchoolScopedQuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, school__is_active=True)

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(roles__name__in=roles).distinct()


class Membership(models.Model):
    """A person's place in one school: department, title and roles (groups) there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school"))
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("department")
    )
    title = models.CharField(_("post"), max_length=50, blank=True, help_text=_("e.g. 后勤主任, 语文教师."))
    roles = models.ManyToManyField(Group, related_name="memberships", blank=True, verbose_name=_("roles"))
    is_active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("started on"), null=True, blank=True,
                                  help_text=_("The day this person started at the school: safety training before starting is counted from it."))

    SCHOOL_FIELD = "school"
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.school}"

    def clean(self) -> None:
        if self.department_id and self.school_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("The department belongs to another school.")})

    @property
    def role_names(self) -> frozenset[str]:
        # Cached per instance: the shell asks several times per request.
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(g.name for g in self.roles.all())
        return self._role_names

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.role_names]


# Shared models that live in their own modules, imported so Django registers them with this app.
from logistics.audit import AuditEntry  # noqa: E402,F401
from logistics.notifications import Notification  # noqa: E402,F401
from logistics.reports.models import ReportJob, ReportParagraph, ReportSettings, TermReport  # noqa: E402,F401
from logistics.exports.models import ExportJob  # noqa: E402,F401
