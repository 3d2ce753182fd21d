"""Repair tickets (报修单): reported by staff, dispatched by the logistics office (派工), worked by a
repairer or an outside contractor, accepted by the reporter (验收), closed.

Every timestamp of the workflow is a column on the ticket (not only in the audit log) so that the
lists, the dashboard and the term report aggregate them with plain SQL. `due_at` is the SLA
deadline, fixed at submission (and recomputed when the urgency changes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from logistics.scoping import SchoolScopedQuerySet

DEFAULT_CATEGORIES = ["水", "电", "门窗/木工", "空调/电器", "网络/多媒体", "管道/下水", "墙面/屋顶", "体育设施", "其他"]


class RepairSettings(models.Model):
    """One row per school: the SLA per urgency and the auto-acceptance delay."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="repair_settings", verbose_name=_("school"))
    urgent_hours = models.PositiveIntegerField(
        _("urgent: hours to done"), default=4, help_text=_("Common practice for urgent repairs (water, power, safety): 4 hours.")
    )
    normal_hours = models.PositiveIntegerField(_("normal: hours to done"), default=48, help_text=_("Common practice: 48 hours."))
    low_hours = models.PositiveIntegerField(_("low: hours to done"), default=7 * 24, help_text=_("Common practice: 7 days (168 hours)."))
    auto_accept_days = models.PositiveSmallIntegerField(
        _("auto-accept after days"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A done ticket the reporter leaves silent this many days is accepted automatically."),
    )
    # Upper bounds of what one school repair can be: a figure past them is a typing slip (99,999,999.99
    # 元 once reached the term report as 9,999 亿) or a job for the purchasing procedure, not a repair.
    max_quantity = models.DecimalField(
        _("most units on one material line"), max_digits=10, decimal_places=2, default=Decimal("10000"), validators=[MinValueValidator(1)],
        help_text=_("A repair uses a few pieces or metres; 10,000 covers re-cabling a building. More is a typing slip or a purchase."),
    )
    max_unit_cost = models.DecimalField(
        _("highest unit price of a material (yuan)"), max_digits=10, decimal_places=2, default=Decimal("50000"),
        validators=[MinValueValidator(1)],
        help_text=_("Default 50,000 yuan: a dearer single item is equipment, bought through a requisition (请购) and put on the asset ledger."),
    )
    max_line_cost = models.DecimalField(
        _("highest cost of one material line (yuan)"), max_digits=10, decimal_places=2, default=Decimal("200000"),
        validators=[MinValueValidator(1)],
        help_text=_("Quantity × unit price of one line. Default 200,000 yuan, well above any school repair's materials."),
    )
    max_labour_hours = models.DecimalField(
        _("most labour hours on one ticket"), max_digits=6, decimal_places=1, default=Decimal("200"), validators=[MinValueValidator(1)],
        help_text=_("Default 200 hours: five working weeks of one repairer. A longer job is a project, not a repair ticket."),
    )
    max_contractor_cost = models.DecimalField(
        _("highest outside contractor's charge (yuan)"), max_digits=10, decimal_places=2, default=Decimal("1000000"),
        validators=[MinValueValidator(1)],
        help_text=_("Default 1,000,000 yuan: larger works are a construction project bought through the procurement procedure, not a repair ticket."),
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")

    def __str__(self) -> str:
        return str(_("Repair settings of %(school)s") % {"school": self.school})

    @classmethod
    def for_school(cls, school: models.Model) -> RepairSettings:
        return cls.objects.get_or_create(school=school)[0]

    def sla_hours(self, urgency: str) -> int:
        return {Urgency.URGENT: self.urgent_hours, Urgency.NORMAL: self.normal_hours, Urgency.LOW: self.low_hours}[urgency]

    def due_at(self, submitted_at: dt.datetime, urgency: str) -> dt.datetime:
        return submitted_at + dt.timedelta(hours=self.sla_hours(urgency))


class CategoryQuerySet(SchoolScopedQuerySet):
    def active(self) -> CategoryQuerySet:
        return self.filter(is_active=True)


class Category(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="repair_categories", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair category")
        verbose_name_plural = _("repair categories")
        ordering = ["school", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="repair_category_unique_name")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_defaults(cls, school: models.Model) -> None:
        """Give a school the usual categories the first time it reports a repair."""
        if not cls.objects.filter(school=school).exists():
            cls.objects.bulk_create(
                [cls(school=school, name=name, order=(i + 1) * 10) for i, name in enumerate(DEFAULT_CATEGORIES)], ignore_conflicts=True
            )


class TicketCounter(models.Model):
    """The last number given per school and year; locked with SELECT … FOR UPDATE to number tickets."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="repair_counter_unique")]


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Not urgent")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for dispatch")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, waiting for acceptance")
    REJECTED = "rejected", _("Rejected, back to the repairer")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    MERGED = "merged", _("Merged into another ticket")


# Open = someone still has to act; the SLA clock runs until done.
OPEN_STATUSES = (Status.SUBMITTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REJECTED, Status.DONE)
UNFINISHED_STATUSES = (Status.SUBMITTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REJECTED)
BEFORE_WORK_STATUSES = (Status.SUBMITTED, Status.DISPATCHED)


class TicketQuerySet(SchoolScopedQuerySet):
    def open(self) -> TicketQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, now: dt.datetime | None = None) -> TicketQuerySet:
        """Not done yet and past the SLA deadline."""
        return self.filter(status__in=UNFINISHED_STATUSES, due_at__lt=now or timezone.now())


class Ticket(models.Model):
    Status = Status
    Urgency = Urgency

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("school"))
    number = models.CharField(_("number"), max_length=20, help_text=_("BX<year>-<sequence>, unique within the school."))
    token = models.CharField(max_length=40, blank=True, editable=False, help_text="Idempotency key of the report form.")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_repair_tickets", verbose_name=_("reporter")
    )
    reporter_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("place"))
    # The room's building, copied at submission: lists filter and the report groups by it without a join.
    building = models.ForeignKey(
        "logistics.Building", on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("building")
    )
    # The asset card the fault concerns (repairs meet the ledger): resolved from a typed or scanned
    # number by assets.selectors.card_by_number; cards are never deleted, only disposed of.
    asset = models.ForeignKey("assets.AssetCard", on_delete=models.PROTECT, null=True, blank=True, related_name="repair_tickets",
                              verbose_name=_("asset"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category"))
    description = models.TextField(_("what is wrong"), max_length=2000)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_repair_tickets",
        verbose_name=_("repairer"),
    )
    contractor = models.CharField(_("outside contractor"), max_length=100, blank=True)
    contractor_cost = models.DecimalField(_("contractor's charge (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dispatched by")
    )
    labour_hours = models.DecimalField(_("labour hours"), max_digits=6, decimal_places=1, default=Decimal("0"))
    work_summary = models.TextField(_("work done"), blank=True)

    submitted_at = models.DateTimeField(_("reported at"), default=timezone.now)
    due_at = models.DateTimeField(_("due by"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment"), blank=True)
    auto_accepted = models.BooleanField(_("accepted automatically"), default=False)
    reject_count = models.PositiveSmallIntegerField(_("times rejected"), default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("merged into")
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="watched_repair_tickets", verbose_name=_("followers")
    )

    SCHOOL_FIELD = "school"
    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("view_all_tickets", _("Can see every repair ticket of the school")),
            ("dispatch_ticket", _("Can dispatch, merge and cancel repair tickets")),
            ("work_ticket", _("Can work on repair tickets dispatched to them")),
            ("export_ticket", _("Can export repair tickets to Excel")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="repair_ticket_unique_number"),
            models.UniqueConstraint(fields=["school", "token"], condition=~Q(token=""), name="repair_ticket_unique_token"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="repair_ticket_rating_1_5"),
            models.CheckConstraint(condition=Q(labour_hours__gte=0), name="repair_ticket_hours_not_negative"),
        ]
        # The list is ordered by (submitted_at, id) within a school and paginated by keyset, so each
        # common filter gets an index that ends in the same order.
        indexes = [
            models.Index(fields=["school", "-submitted_at", "-id"], name="repair_t_school_sub"),
            models.Index(fields=["school", "status", "-submitted_at", "-id"], name="repair_t_status"),
            models.Index(fields=["school", "category", "-submitted_at", "-id"], name="repair_t_category"),
            models.Index(fields=["school", "building", "-submitted_at", "-id"], name="repair_t_building"),
            models.Index(fields=["school", "assignee", "-submitted_at", "-id"], name="repair_t_assignee"),
            models.Index(fields=["school", "reporter", "-submitted_at", "-id"], name="repair_t_reporter"),
            models.Index(fields=["school", "urgency", "-submitted_at", "-id"], name="repair_t_urgency"),
            models.Index(fields=["school", "status", "due_at"], name="repair_t_due"),
            # The few unfinished tickets among many finished ones: the overdue list, the queue, the widgets.
            models.Index(
                fields=["school", "-submitted_at", "-id"],
                condition=Q(status__in=["submitted", "dispatched", "in_progress", "rejected"]),
                name="repair_t_unfinished",
            ),
            models.Index(fields=["status", "done_at"], name="repair_t_done"),
            # The home page's repairs card reads ranges of these two, never every ticket of the school: the
            # weekly "done" figures one school's done_at; the month's averages read all their columns
            # from the index (a ticket row, with its description, is ten times larger).
            models.Index(fields=["school", "done_at"], name="repair_t_school_done"),
            models.Index(fields=["school", "submitted_at", "dispatched_at", "done_at", "rating"], name="repair_t_school_month"),
            models.Index(fields=["school", "room", "category", "status"], name="repair_t_room_cat"),
            # The double-submit check looks tickets up by form token (the unique constraint is partial,
            # which SQLite cannot use for a parameterised lookup).
            models.Index(fields=["school", "token"], name="repair_t_token"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("repairs:ticket-detail", args=[self.pk])

    # --- State ---------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        if self.status in UNFINISHED_STATUSES:
            return self.due_at < timezone.now()
        return False

    @property
    def finished_late(self) -> bool:
        return bool(self.done_at and self.done_at > self.due_at)

    @property
    def handler_label(self) -> str:
        if self.assignee_id:
            return self.assignee.display_name
        return self.contractor

    # --- Transitions (django-fsm). Services check the actor and call these under a row lock. ---
    # Dispatch only from submitted: two admins dispatching at once, the second is refused (not a
    # silent reassignment). Reassigning is its own, deliberate step.
    @transition(field=status, source=Status.SUBMITTED, target=Status.DISPATCHED, custom={"verb": "dispatched"})
    def dispatch(self, *, repairer: models.Model | None, contractor: str, dispatcher: models.Model, at: dt.datetime) -> None:
        self.assignee, self.contractor, self.dispatched_by, self.dispatched_at = repairer, contractor, dispatcher, at

    @transition(field=status, source=Status.DISPATCHED, target=Status.DISPATCHED, custom={"verb": "reassigned"})
    def reassign(self, *, repairer: models.Model | None, contractor: str, dispatcher: models.Model) -> None:
        self.assignee, self.contractor, self.dispatched_by = repairer, contractor, dispatcher

    @transition(field=status, source=[Status.DISPATCHED, Status.REJECTED], target=Status.IN_PROGRESS, custom={"verb": "started"})
    def start(self, *, at: dt.datetime) -> None:
        self.started_at = self.started_at or at

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.DONE, custom={"verb": "done"})
    def finish(self, *, at: dt.datetime, labour_hours: Decimal | None = None, contractor_cost: Decimal | None = None, work_summary: str = "") -> None:
        self.done_at = at
        if labour_hours is not None:
            self.labour_hours = labour_hours
        if contractor_cost is not None:
            self.contractor_cost = contractor_cost
        if work_summary:
            self.work_summary = work_summary

    @transition(field=status, source=Status.DONE, target=Status.ACCEPTED, custom={"verb": "accepted"})
    def accept(self, *, rating: int | None, comment: str, auto: bool, at: dt.datetime) -> None:
        self.rating, self.rating_comment, self.auto_accepted, self.accepted_at = rating, comment, auto, at

    @transition(field=status, source=Status.DONE, target=Status.REJECTED, custom={"verb": "rejected"})
    def reject(self) -> None:
        # The SLA is measured to the done that sticks: a rejected job is not done.
        self.done_at = None
        self.reject_count += 1

    @transition(field=status, source=Status.ACCEPTED, target=Status.CLOSED, custom={"verb": "closed"})
    def close(self, *, at: dt.datetime) -> None:
        self.closed_at = at

    @transition(field=status, source=[Status.SUBMITTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REJECTED], target=Status.CANCELLED, custom={"verb": "cancelled"})
    def cancel(self, *, reason: str, at: dt.datetime) -> None:
        self.cancel_reason, self.cancelled_at = reason, at

    @transition(field=status, source=[Status.SUBMITTED, Status.DISPATCHED], target=Status.MERGED, custom={"verb": "merged"})
    def merge(self, *, into: Ticket, at: dt.datetime) -> None:
        self.merged_into, self.closed_at = into, at


def photo_path(instance: TicketPhoto, filename: str) -> str:
    return f"repairs/{instance.ticket.school_id}/{timezone.now():%Y/%m}/{filename}"


class TicketPhoto(models.Model):
    """A re-encoded photo (no EXIF) with its thumbnail; served through a permission-checked view."""

    class Kind(models.TextChoices):
        REPORT = "report", _("reported")
        WORK = "work", _("work")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos", verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    SCHOOL_FIELD = "ticket__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["ticket", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket} #{self.pk}"


class Material(models.Model):
    """One line of materials used: the term report sums them by name and unit (更换灯管 N 支)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="materials", verbose_name=_("ticket"))
    name = models.CharField(_("material"), max_length=60)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 个, 支, 米, 套."))
    unit_cost = models.DecimalField(_("unit cost (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    added_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # A line taken from the consumables store (assets.services.stock.issue_for_repair): the item and
    # the issue that took it out, so removing the line puts the quantity back. Empty on free-text
    # lines (the common materials and every line recorded before the store was linked).
    stock_item = models.ForeignKey("assets.StockItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("from stock"))
    stock_issue = models.ForeignKey("assets.StockIssue", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("stock issue"))

    SCHOOL_FIELD = "ticket__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("material used")
        verbose_name_plural = _("materials used")
        ordering = ["ticket", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="repair_material_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="repair_material_cost_not_negative"),
            models.CheckConstraint(condition=Q(stock_issue__isnull=True) | Q(stock_item__isnull=False),
                                   name="repair_material_issue_has_item"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))


class CommonMaterialQuerySet(SchoolScopedQuerySet):
    def active(self) -> CommonMaterialQuerySet:
        return self.filter(is_active=True)


class CommonMaterial(models.Model):
    """A material the school's repairers use often (LED灯管1.2米, 支, 18 元). Offered as a pick list
    on the ticket page so that lines share one spelling, unit and price: the term report adds
    materials up by name and unit, and "LED灯管" and "led 灯管 1.2m" would be two lines there."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="common_materials", verbose_name=_("school"))
    name = models.CharField(_("material"), max_length=60)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 个, 支, 米, 套."))
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"),
                                     help_text=_("The usual purchase price; the repairer can change it on a line."))
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    SCHOOL_FIELD = "school"
    objects = CommonMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("common material")
        verbose_name_plural = _("common materials")
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="repair_common_material_unique_name"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="repair_common_material_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


def pending_photo_path(instance: PendingPhoto, filename: str) -> str:
    return f"repairs/pending/{instance.school_id}/{filename}"


class PendingPhoto(models.Model):
    """A photo chosen on a report form whose submission failed (a field missing, a ticket refused),
    kept for the same person and the same form (its token) so they need not choose it again.
    Attached to the ticket when the report goes in; left-overs are purged by a periodic task.
    Served only to its owner, through a view (never from a public media URL)."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by"))
    token = models.CharField(max_length=40, help_text="The report form's token.")
    image = models.FileField(_("photo"), upload_to=pending_photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=pending_photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["school", "owner", "token"], name="repair_pending_photo_form")]

    def __str__(self) -> str:
        return f"{self.token} #{self.pk}"
