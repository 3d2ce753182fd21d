"""工作纪事: notable work of the term, entered by the office or added by an app's rule.

An entry belongs to a school and to one report part (`domain`: repairs, assets, procurement,
canteen, safety, general). Its kind comes from the school's own list (`ChronicleKind`, eight
default keys). An entry added by rule remembers its source record and rule, so adding it again
updates it (until a person has edited it). Entries are never deleted: once the term's report is
issued an entry can only be withdrawn, with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.scoping import SchoolScopedQuerySet


class Domain(models.TextChoices):
    """Which part of the term report an entry belongs to."""

    REPAIRS = "repairs", _("Repairs")
    ASSETS = "assets", _("Assets")
    PROCUREMENT = "procurement", pgettext_lazy("chronicle kind", "Procurement")
    CANTEEN = "canteen", _("Canteen")
    SAFETY = "safety", _("Safety")
    GENERAL = "general", pgettext_lazy("chronicle kind", "General")


# The eight default kinds every school starts with (key, name, order). Names are Chinese: they are
# the school's own list, edited in the admin, and read in the report as written.
DEFAULT_KINDS: tuple[tuple[str, str, int], ...] = (
    ("project", "工程与维修项目", 10),
    ("event_support", "活动与考试保障", 20),
    ("meeting_inspection", "会议与检查", 30),
    ("rules", "制度建设", 40),
    ("training", "培训", 50),
    ("environment", "环境与绿化", 60),
    ("honour", "荣誉与评比", 70),
    ("other", "其他", 80),
)
DEFAULT_KIND_KEYS = tuple(k for k, _n, _o in DEFAULT_KINDS)
DEFAULT_NOTABLE_AMOUNT = Decimal("2000")


class ChronicleSettings(models.Model):
    """Per school: from what sum a job is notable enough for the 纪事 by rule."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="chronicle_settings", verbose_name=_("school"))
    notable_amount = models.DecimalField(
        _("notable from (yuan)"), max_digits=12, decimal_places=2, default=DEFAULT_NOTABLE_AMOUNT,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("A repair whose materials cost more than this (or a purchase above it) is added to the chronicle by itself."),
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chronicle settings")
        verbose_name_plural = _("chronicle settings")

    def __str__(self) -> str:
        return str(self.school)


class ChronicleKind(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="chronicle_kinds", verbose_name=_("school"))
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=50)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chronicle kind")
        verbose_name_plural = _("chronicle kinds")
        ordering = ["school", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "key"], name="chronicle_kind_unique_key")]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(SchoolScopedQuerySet):
    def active(self) -> EntryQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def within(self, start, end) -> EntryQuerySet:
        """Entries whose date (the first day of a range) falls in [start, end]."""
        return self.filter(date__gte=start, date__lte=end)


class ChronicleEntry(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="chronicle_entries", verbose_name=_("school"))
    domain = models.CharField(_("report part"), max_length=20, choices=Domain.choices, default=Domain.GENERAL)
    kind = models.ForeignKey(ChronicleKind, on_delete=models.PROTECT, related_name="entries", verbose_name=_("kind"))
    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    summary = models.TextField(_("what was done"), blank=True, max_length=2000)
    amount = models.DecimalField(
        _("money (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    people_count = models.PositiveIntegerField(_("people"), null=True, blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people involved"))
    people_text = models.CharField(_("others involved"), max_length=200, blank=True)

    # Added by rule: the record behind it and the rule that chose it; (source, rule) is unique.
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    rule = models.CharField(_("rule"), max_length=60, blank=True)
    edited = models.BooleanField(_("edited by a person"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("withdrawn by")
    )
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)

    SCHOOL_FIELD = "school"
    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("chronicle entry")
        verbose_name_plural = _("chronicle entries")
        ordering = ["school", "date", "pk"]
        indexes = [models.Index(fields=["school", "date"], name="chronicle_school_date")]
        permissions = [("withdraw_chronicleentry", _("Can withdraw a chronicle entry"))]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "rule"], condition=Q(source_id__isnull=False), name="chronicle_unique_source_rule"
            ),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")), name="chronicle_range_ordered"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="chronicle_amount_not_negative"),
            models.CheckConstraint(condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="chronicle_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def by_rule(self) -> bool:
        return bool(self.rule)


class ChronicleLink(models.Model):
    """A record behind an entry (a ticket now; a purchase, a drill, a disposal later)."""

    entry = models.ForeignKey(ChronicleEntry, on_delete=models.CASCADE, related_name="links", verbose_name=_("entry"))
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    label = models.CharField(_("label"), max_length=60, blank=True)

    SCHOOL_FIELD = "entry__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["entry", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "target_type", "target_id"], name="chronicle_link_unique")]

    def __str__(self) -> str:
        return self.label or f"{self.target_type_id}#{self.target_id}"


def photo_path(photo: ChroniclePhoto, filename: str) -> str:
    return f"chronicle/{photo.entry.school_id}/{photo.entry_id}/{filename}"


class ChroniclePhoto(models.Model):
    """Checked and re-encoded without EXIF by the repairs photo helpers; served through a checked view."""

    entry = models.ForeignKey(ChronicleEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("entry"))
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    SCHOOL_FIELD = "entry__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} #{self.pk}"
