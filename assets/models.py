"""Fixed assets (固定资产): the national class table, each school's thresholds, one card per item or
batch (一物一卡) and the movements of its custody.

A card's state (在用, 闲置, 出借, 维修中, 待报废, 已处置) changes only through the django-fsm
transitions below, called by `assets.services` under a row lock; each custody step also writes a
`Movement` (who, when, from, to), which the card page shows as its history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from logistics.scoping import SchoolScopedQuerySet

CLASS_CODE = RegexValidator(r"^[A-Z]\d{8}$", _("A class code is a capital letter and 8 digits, e.g. A02010105."))


class AssetClass(models.Model):
    """A class of GB/T 14885-2022《固定资产等资产基础分类与代码》, shared by every school, with its
    default useful life from the 财会〔2018〕20号 table (中小学校)."""

    code = models.CharField(_("class code"), max_length=9, unique=True, validators=[CLASS_CODE])
    name = models.CharField(_("name"), max_length=60)
    useful_life_years = models.PositiveSmallIntegerField(
        _("useful life (years)"), null=True, blank=True,
        help_text=_("Default years of depreciation from the 财会〔2018〕20号 table; empty for a class that is not depreciated."),
    )
    depreciable = models.BooleanField(
        _("depreciated"), default=True,
        help_text=_("政府会计准则第3号: land, cultural relics and exhibits, books and archives, animals and plants are not depreciated."),
    )
    specialist = models.BooleanField(
        _("specialist equipment"), default=False,
        help_text=_("The school's specialist-equipment threshold applies instead of the general one."),
    )
    batch_counts = models.BooleanField(
        _("large batches are fixed assets"), default=False,
        help_text=_("政府会计准则第3号: a large batch of like items used over a year (desks and chairs, books) is a fixed asset "
                    "even when one item is below the threshold."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("asset class")
        verbose_name_plural = _("asset classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssetSettings(models.Model):
    """One row per school: what counts as a fixed asset, and how depreciation starts."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="asset_settings", verbose_name=_("school"))
    fixed_asset_threshold = models.DecimalField(
        _("fixed-asset threshold (yuan)"), max_digits=10, decimal_places=2, default=Decimal("1000"), validators=[MinValueValidator(0)],
        help_text=_("《事业单位财务规则》(财政部令第108号, 2022): used over a year and a unit value of at least 1,000 yuan. "
                    "Below it an item is a consumable (低值易耗品)."),
    )
    specialist_threshold = models.DecimalField(
        _("specialist-equipment threshold (yuan)"), max_digits=10, decimal_places=2, default=Decimal("1500"),
        validators=[MinValueValidator(0)],
        help_text=_("Older school rules set 1,500 yuan for specialist equipment (teaching and laboratory instruments); "
                    "provinces differ."),
    )
    depreciate_acquisition_month = models.BooleanField(
        _("the month of acquisition depreciates"), default=True,
        help_text=_("政府会计准则第3号 and 财会〔2018〕20号: depreciation is monthly; whether it starts in the month of "
                    "acquisition (当月计提) or the next month (次月) is read differently: default 当月."),
    )
    disposal_office_limit = models.DecimalField(
        _("disposal: the logistics head approves below (yuan)"), max_digits=14, decimal_places=2, default=Decimal("10000"),
        validators=[MinValueValidator(0)],
        help_text=_("Approval tiers of a disposal by the total original value are set by the province "
                    "(《行政事业性国有资产管理条例》); default: below 10,000 yuan the logistics head."),
    )
    disposal_principal_limit = models.DecimalField(
        _("disposal: the principal approves below (yuan)"), max_digits=14, decimal_places=2, default=Decimal("100000"),
        validators=[MinValueValidator(0)],
        help_text=_("Default: below 100,000 yuan the principal; at or above it the school's collective decision and then the "
                    "education bureau, whose approval is uploaded."),
    )
    max_original_value = models.DecimalField(
        _("highest original value of one card (yuan)"), max_digits=14, decimal_places=2, default=Decimal("200000000"),
        validators=[MinValueValidator(1)],
        help_text=_("Default 200 million yuan, above any school building: a larger figure is a typing slip."),
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset settings")
        verbose_name_plural = _("asset settings")

    def __str__(self) -> str:
        return str(_("Asset settings of %(school)s") % {"school": self.school})

    @classmethod
    def for_school(cls, school: models.Model) -> AssetSettings:
        return cls.objects.get_or_create(school=school)[0]

    def threshold_for(self, asset_class: AssetClass) -> Decimal:
        return self.specialist_threshold if asset_class.specialist else self.fixed_asset_threshold


class AssetCounter(models.Model):
    """The last sequence given per school, class and year; updated under its row lock to number cards."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+")
    class_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "class_code", "year"], name="asset_counter_unique")]


class Status(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    LENT = "lent", _("Lent")
    UNDER_REPAIR = "under_repair", _("Under repair")
    PENDING_DISPOSAL = "pending_disposal", _("Pending disposal")
    DISPOSED = "disposed", _("Disposed")


# On the active ledger: everything not disposed of.
ACTIVE_STATUSES = (Status.IN_USE, Status.IDLE, Status.LENT, Status.UNDER_REPAIR, Status.PENDING_DISPOSAL)
# Where a card may be issued, moved or lent from.
AT_HAND_STATUSES = (Status.IN_USE, Status.IDLE)


class Acquisition(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    ALLOCATION = "allocation", _("Allocation")
    DONATION = "donation", _("Donation")
    SELF_BUILT = "self_built", _("Self-built")
    EXCHANGE = "exchange", _("Exchange")


class Funding(models.TextChoices):
    FISCAL = "fiscal", _("Government funds")
    OWN = "own", _("School's own funds")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class AssetCardQuerySet(SchoolScopedQuerySet):
    def active(self) -> AssetCardQuerySet:
        return self.exclude(status=Status.DISPOSED)


class AssetCard(models.Model):
    """一物一卡: one item, or one batch of like items (800 desk sets) with its quantity."""

    Status = Status
    Acquisition = Acquisition
    Funding = Funding

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="asset_cards", verbose_name=_("school"))
    number = models.CharField(_("asset number"), max_length=40, help_text=_("Unique within the school; given from the class and the year."))
    asset_class = models.ForeignKey(AssetClass, on_delete=models.PROTECT, related_name="cards", verbose_name=_("asset class"))
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification / model"), max_length=200, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, default="台", help_text=_("e.g. 台, 套, 件, 册."))
    acquisition = models.CharField(_("acquired by"), max_length=20, choices=Acquisition.choices, default=Acquisition.PURCHASE)
    acquired_on = models.DateField(_("acquired on"))
    booked_on = models.DateField(_("booked on"), help_text=_("The day the card entered the books (入账日期)."))
    original_value = models.DecimalField(_("original value (yuan)"), max_digits=14, decimal_places=2,
                                         help_text=_("The whole card's value: a batch card holds the batch's total."))
    funding = models.CharField(_("funding source"), max_length=20, choices=Funding.choices, default=Funding.FISCAL)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    warranty_until = models.DateField(_("warranty ends"), null=True, blank=True)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.IDLE, protected=False)

    department = models.ForeignKey("logistics.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="asset_cards",
                                   verbose_name=_("department"))
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="held_asset_cards",
                                  verbose_name=_("custodian"))
    custodian_class = models.ForeignKey("logistics.SchoolClass", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="asset_cards", verbose_name=_("custodian class"))
    room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="asset_cards",
                             verbose_name=_("location"))
    lent_to = models.CharField(_("lent to"), max_length=100, blank=True)
    lent_due = models.DateField(_("to be back by"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    # Depreciation (政府会计准则第3号): years fixed at booking (empty: the class's), booked monthly by
    # assets.services.depreciation; net value = original value − accumulated depreciation.
    useful_life_years = models.PositiveSmallIntegerField(_("useful life (years)"), null=True, blank=True,
                                                         help_text=_("Fixed when the card is booked; empty: the class's years."))
    accumulated_depreciation = models.DecimalField(_("accumulated depreciation (yuan)"), max_digits=14, decimal_places=2,
                                                   default=Decimal("0"))
    months_depreciated = models.PositiveSmallIntegerField(_("months depreciated"), default=0)
    depreciated_through = models.DateField(_("depreciated through"), null=True, blank=True,
                                           help_text=_("The first day of the last month booked."))

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCHOOL_FIELD = "school"
    objects = AssetCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset card")
        verbose_name_plural = _("asset cards")
        ordering = ["number", "id"]
        permissions = [
            ("view_all_cards", _("Can see every asset card of the school")),
            ("move_card", _("Can issue, transfer, take back and lend asset cards")),
            ("export_card", _("Can export the asset ledger to Excel")),
            ("import_cards", _("Can import an asset ledger from Excel")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="asset_card_unique_number"),
            models.CheckConstraint(condition=Q(original_value__gte=0), name="asset_card_value_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="asset_card_quantity_positive"),
            models.CheckConstraint(condition=Q(custodian__isnull=True) | Q(custodian_class__isnull=True), name="asset_card_one_custodian"),
            models.CheckConstraint(condition=Q(accumulated_depreciation__gte=0) & Q(accumulated_depreciation__lte=models.F("original_value")),
                                   name="asset_card_depreciation_within_value"),
        ]
        # The ledger is ordered by (number, id) within a school and paged by keyset: each common filter
        # gets an index ending in the same order.
        indexes = [
            models.Index(fields=["school", "status", "number", "id"], name="asset_card_status"),
            models.Index(fields=["school", "asset_class", "number", "id"], name="asset_card_class"),
            models.Index(fields=["school", "room", "number", "id"], name="asset_card_room"),
            models.Index(fields=["school", "department", "number", "id"], name="asset_card_department"),
            models.Index(fields=["school", "custodian", "number", "id"], name="asset_card_custodian"),
            models.Index(fields=["school", "custodian_class", "number", "id"], name="asset_card_class_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:card-detail", args=[self.pk])

    @property
    def unit_value(self) -> Decimal:
        return (self.original_value / self.quantity).quantize(Decimal("0.01"))

    @property
    def net_value(self) -> Decimal:
        return self.original_value - self.accumulated_depreciation

    @property
    def holder_label(self) -> str:
        if self.custodian_id:
            return self.custodian.display_name
        if self.custodian_class_id:
            return self.custodian_class.name
        return ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == Status.LENT and self.lent_due is not None and self.lent_due < today

    def _hold(self, *, custodian: models.Model | None, custodian_class: models.Model | None, room: models.Model | None,
              department: models.Model | None) -> None:
        self.custodian, self.custodian_class, self.room = custodian, custodian_class, room
        if department is not None:
            self.department = department

    def _settled(self) -> str:
        return Status.IN_USE if (self.custodian_id or self.custodian_class_id or self.room_id) else Status.IDLE

    # --- Transitions (django-fsm). Services check the actor and call these under a row lock. ---
    @transition(field=status, source=Status.IDLE, target=Status.IN_USE, custom={"verb": "issued"})
    def issue(self, *, custodian: models.Model | None, custodian_class: models.Model | None, room: models.Model | None,
              department: models.Model | None = None) -> None:
        self._hold(custodian=custodian, custodian_class=custodian_class, room=room, department=department)

    @transition(field=status, source=Status.IN_USE, target=Status.IN_USE, custom={"verb": "transferred"})
    def transfer(self, *, custodian: models.Model | None, custodian_class: models.Model | None, room: models.Model | None,
                 department: models.Model | None = None) -> None:
        self._hold(custodian=custodian, custodian_class=custodian_class, room=room, department=department)

    @transition(field=status, source=Status.IN_USE, target=Status.IDLE, custom={"verb": "returned"})
    def take_back(self, *, room: models.Model | None) -> None:
        """Back to the office: nobody holds it; it stands in `room` (the store) if named."""
        self.custodian, self.custodian_class, self.room = None, None, room

    @transition(field=status, source=list(AT_HAND_STATUSES), target=Status.LENT, custom={"verb": "lent"})
    def lend(self, *, to: str, due: dt.date) -> None:
        self.lent_to, self.lent_due = to, due

    @transition(field=status, source=Status.LENT, target=RETURN_VALUE(Status.IN_USE, Status.IDLE), custom={"verb": "got_back"})
    def get_back(self) -> str:
        self.lent_to, self.lent_due = "", None
        return self._settled()

    @transition(field=status, source=list(AT_HAND_STATUSES), target=Status.UNDER_REPAIR, custom={"verb": "sent_to_repair"})
    def send_to_repair(self) -> None:
        pass

    @transition(field=status, source=Status.UNDER_REPAIR, target=RETURN_VALUE(Status.IN_USE, Status.IDLE), custom={"verb": "repaired"})
    def back_from_repair(self) -> str:
        return self._settled()

    @transition(field=status, source=[*AT_HAND_STATUSES, Status.UNDER_REPAIR], target=Status.PENDING_DISPOSAL,
                custom={"verb": "disposal_proposed"})
    def propose_disposal(self) -> None:
        pass

    @transition(field=status, source=Status.PENDING_DISPOSAL, target=RETURN_VALUE(Status.IN_USE, Status.IDLE),
                custom={"verb": "disposal_withdrawn"})
    def withdraw_disposal(self) -> str:
        return self._settled()

    @transition(field=status, source=Status.PENDING_DISPOSAL, target=Status.DISPOSED, custom={"verb": "disposed"})
    def dispose(self) -> None:
        """Off the active ledger; who held it and where it stood stay on the card as its last place."""


class Movement(models.Model):
    """One custody step of a card: who moved it, when, from whom/where to whom/where."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registered")
        ISSUE = "issue", _("Issued for use")
        TRANSFER = "transfer", _("Transferred")
        RETURN = "return", _("Returned")
        LEND = "lend", _("Lent")
        GET_BACK = "get_back", _("Got back")
        SPLIT = "split", _("Split from a batch")

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    card = models.ForeignKey(AssetCard, on_delete=models.PROTECT, related_name="movements", verbose_name=_("card"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    from_custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("from person"))
    from_class = models.ForeignKey("logistics.SchoolClass", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("from class"))
    from_room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("from place"))
    to_custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("to person"))
    to_class = models.ForeignKey("logistics.SchoolClass", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("to class"))
    to_room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("to place"))
    lent_to = models.CharField(_("lent to"), max_length=100, blank=True)
    due_on = models.DateField(_("to be back by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset movement")
        verbose_name_plural = _("asset movements")
        ordering = ["card", "at", "id"]
        indexes = [models.Index(fields=["card", "at", "id"], name="asset_movement_card")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.kind} {self.at:%Y-%m-%d}"

    @staticmethod
    def _label(person: models.Model | None, school_class: models.Model | None, room: models.Model | None) -> str:
        holder = person.display_name if person else (school_class.name if school_class else "")
        return " · ".join(x for x in (holder, str(room) if room else "") if x) or "—"

    @property
    def from_label(self) -> str:
        return self._label(self.from_custodian, self.from_class, self.from_room)

    @property
    def to_label(self) -> str:
        return self._label(self.to_custodian, self.to_class, self.to_room)


def photo_path(instance: AssetPhoto, filename: str) -> str:
    return f"assets/{instance.card.school_id}/{instance.card_id}/{filename}"


class AssetPhoto(models.Model):
    """A re-encoded photo of the item (no EXIF) with its thumbnail; served through a permission-checked view."""

    card = models.ForeignKey(AssetCard, on_delete=models.CASCADE, related_name="photos", verbose_name=_("card"))
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    SCHOOL_FIELD = "card__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset photo")
        verbose_name_plural = _("asset photos")
        ordering = ["card", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.card_id} #{self.pk}"


# Consumables live in their own module (models.py stays one screenful per entity); imported here so
# Django registers them with the app.
from assets.models_check import CheckResult, ClassCheck, ClassCheckLine  # noqa: E402,F401
from assets.models_depreciation import DepreciationRun  # noqa: E402,F401
from assets.models_disposal import Disposal, DisposalCounter, DisposalLine  # noqa: E402,F401
from assets.models_stocktake import Stocktake, StocktakeLine  # noqa: E402,F401
from assets.models_stock import (  # noqa: E402,F401
    IssueStatus, MoveKind, Stock, StockIssue, StockItem, StockMove, StockReceipt, Warehouse,
)
from assets.models_import import ImportJob  # noqa: E402,F401
