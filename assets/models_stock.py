"""Consumables (低值易耗品/库存): items below the fixed-asset threshold, kept as quantities per
warehouse, not as cards.

Every change of a stock row writes one `StockMove` (入库, 领用, 退库, 盘点调整) with the balance after
it: the 出入库 ledger per item and month is a plain read of those rows. Stock rows change only through
`assets.services.stock` under their row lock, so two people issuing the last boxes at once never take
more than there is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet

QTY = {"max_digits": 12, "decimal_places": 2}
MONEY = {"max_digits": 14, "decimal_places": 2}


class Warehouse(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=60)
    room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room"))
    is_default = models.BooleanField(_("default warehouse"), default=False,
                                     help_text=_("Goods received through procurement go here."))
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="warehouse_unique_name"),
            models.UniqueConstraint(fields=["school"], condition=Q(is_default=True), name="warehouse_one_default"),
        ]

    def __str__(self) -> str:
        return self.name


class StockItem(models.Model):
    """One consumable of the school's catalogue: the same name, spec and unit is the same item."""

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="stock_items", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification / model"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 盒, 包, 支, 个, kg."))
    min_stock = models.DecimalField(_("minimum stock"), **QTY, default=Decimal("0"), validators=[MinValueValidator(0)],
                                    help_text=_("Below it (all warehouses together) the home page says to restock."))
    approval_over = models.DecimalField(
        _("approval over (quantity)"), **QTY, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("An issue of more than this at once waits for approval; empty: never."))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
        ordering = ["name", "spec", "id"]
        permissions = [
            ("manage_stock", _("Can receive, issue, take back and count consumables")),
            ("approve_stock_issue", _("Can approve an issue of consumables over the item's limit")),
        ]
        constraints = [models.UniqueConstraint(fields=["school", "name", "spec", "unit"], name="stock_item_unique")]

    def __str__(self) -> str:
        return " ".join(x for x in (self.name, self.spec) if x) + f" ({self.unit})"

    def get_absolute_url(self) -> str:
        return reverse("assets:stock-item", args=[self.pk])


class Stock(models.Model):
    """How much of an item one warehouse holds, and what it cost (moving average)."""

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("consumable"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("warehouse"))
    quantity = models.DecimalField(_("quantity"), **QTY, default=Decimal("0"))
    value = models.DecimalField(_("value (yuan)"), **MONEY, default=Decimal("0"))

    SCHOOL_FIELD = "item__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="stock_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative"),
            models.CheckConstraint(condition=Q(value__gte=0), name="stock_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.warehouse}: {self.quantity}"

    @property
    def average_cost(self) -> Decimal:
        """The moving-average unit cost, to the fen (0 when the row is empty)."""
        if self.quantity <= 0:
            return Decimal("0")
        return (self.value / self.quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class StockReceipt(models.Model):
    """入库: goods received into a warehouse (by hand, or from procurement's acceptance)."""

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("consumable"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price (yuan)"), **MONEY)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Where the goods came from (a requisition's acceptance…): any record, linked generically, and
    # its text as it read then, so the receipt still says where it came from if that record goes.
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock receipt")
        verbose_name_plural = _("stock receipts")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_receipt_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="stock_receipt_price_not_negative"),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="stock_receipt_source")]

    def __str__(self) -> str:
        return f"{self.item} +{self.quantity} ({self.received_on})"


class IssueStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")


class StockIssue(models.Model):
    """领用: goods handed to a person or a department; over the item's limit, only after approval."""

    Status = IssueStatus

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="issues", verbose_name=_("consumable"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    returned = models.DecimalField(_("returned"), **QTY, default=Decimal("0"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, default=Decimal("0"))
    to_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("to person"))
    to_department = models.ForeignKey("logistics.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("to department"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    requested_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("approved by"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    # A ticket's materials, a stocktake… whatever the goods went to.
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock issue")
        verbose_name_plural = _("stock issues")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_issue_quantity_positive"),
            models.CheckConstraint(condition=Q(returned__gte=0) & Q(returned__lte=models.F("quantity")), name="stock_issue_returned_le"),
            models.CheckConstraint(condition=Q(to_person__isnull=False) | Q(to_department__isnull=False), name="stock_issue_recipient"),
        ]
        indexes = [models.Index(fields=["school", "status", "requested_at"], name="stock_issue_status")]

    def __str__(self) -> str:
        return f"{self.item} -{self.quantity}"

    @property
    def recipient_label(self) -> str:
        parts = [self.to_person.display_name if self.to_person_id else "", self.to_department.name if self.to_department_id else ""]
        return " · ".join(p for p in parts if p)


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Received")
    ISSUE = "issue", _("Issued")
    RETURN = "return", _("Returned")
    COUNT = "count", _("Count adjustment")


class StockMove(models.Model):
    """One line of the 出入库 ledger: a signed quantity and value, and the balance after it."""

    Kind = MoveKind

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="moves", verbose_name=_("consumable"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    kind = models.CharField(_("kind"), max_length=10, choices=MoveKind.choices)
    on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), **QTY, help_text=_("Positive in, negative out."))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    balance = models.DecimalField(_("balance"), **QTY)
    receipt = models.ForeignKey(StockReceipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issue = models.ForeignKey(StockIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="moves")
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["item", "on", "id"]
        indexes = [
            models.Index(fields=["item", "on", "id"], name="stock_move_item"),
            models.Index(fields=["school", "kind", "on"], name="stock_move_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.quantity}"


def qty(value: Decimal | None) -> str:
    """A quantity as people write it: 20, 2.5, 0.25 (never 2E+1)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
