"""Procurement (采购): a requisition (请购单) approved step by step, bought, accepted (验收) and booked.

The approval chain is instantiated per request: when a requisition is submitted, the school's tier
for its total is copied into `ApprovalStep` rows of a new round. Editing an amount during approval
voids the round and starts a new one (with the tier the new total falls in), so a step can never be
approved against figures the approver did not see. Every decision is a row (who, as whose
delegate, when, with what reason), and the requisition's state changes only through the django-fsm
transitions below, called by `procurement.services` under the requisition's row lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from logistics.models import Role
from logistics.scoping import SchoolScopedQuerySet

CENT = Decimal("0.01")
MONEY = {"max_digits": 14, "decimal_places": 2}
WAN = Decimal("10000")


class ProcurementSettings(models.Model):
    """One row per school: the lines that decide the procurement route."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="procurement_settings", verbose_name=_("school"))
    gov_procurement_limit = models.DecimalField(
        _("government-procurement limit (yuan)"), **MONEY, default=Decimal("1000000"), validators=[MinValueValidator(0)],
        help_text=_("国办发〔2019〕55号 (central units): goods and services from 1,000,000 yuan go through government procurement; "
                    "provinces set their own limit."),
    )
    quotes_threshold = models.DecimalField(
        _("three quotes from (yuan)"), **MONEY, default=Decimal("10000"), validators=[MinValueValidator(0)],
        help_text=_("A purchase of this total or more needs at least three quotes (询价/比价), common school practice."),
    )
    max_total = models.DecimalField(
        _("highest total of one request (yuan)"), **MONEY, default=Decimal("50000000"), validators=[MinValueValidator(1)],
        help_text=_("Default 50 million yuan: a larger figure is a typing slip."),
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement settings")
        verbose_name_plural = _("procurement settings")

    def __str__(self) -> str:
        return str(_("Procurement settings of %(school)s") % {"school": self.school})

    @classmethod
    def for_school(cls, school: models.Model) -> ProcurementSettings:
        return cls.objects.get_or_create(school=school)[0]


class ApprovalTier(models.Model):
    """Requests whose total is in [min_amount, max_amount) need this tier's steps, in order."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="approval_tiers", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=40)
    min_amount = models.DecimalField(_("from (yuan)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)])
    max_amount = models.DecimalField(_("below (yuan)"), **MONEY, null=True, blank=True, help_text=_("Empty: no upper bound."))

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval tier")
        verbose_name_plural = _("approval tiers")
        ordering = ["school", "min_amount"]
        constraints = [
            models.UniqueConstraint(fields=["school", "min_amount"], name="procurement_tier_unique_min"),
            models.CheckConstraint(condition=Q(max_amount__isnull=True) | Q(max_amount__gt=models.F("min_amount")), name="procurement_tier_bounds"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_defaults(cls, school: models.Model) -> None:
        """The usual school rules: < 1万 logistics head → vice principal; 1–5万 + principal; ≥ 5万 + 三重一大."""
        if cls.objects.filter(school=school).exists():
            return
        base = [(StepKind.ROLE, Role.LOGISTICS_ADMIN), (StepKind.ROLE, Role.VICE_PRINCIPAL)]
        tiers = [
            ("1万元以下", Decimal("0"), Decimal("10000"), base),
            ("1万至5万元", Decimal("10000"), Decimal("50000"), [*base, (StepKind.ROLE, Role.PRINCIPAL)]),
            ("5万元及以上", Decimal("50000"), None, [*base, (StepKind.ROLE, Role.PRINCIPAL), (StepKind.COLLECTIVE, Role.PRINCIPAL)]),
        ]
        for name, low, high, steps in tiers:
            tier = cls.objects.create(school=school, name=name, min_amount=low, max_amount=high)
            TierStep.objects.bulk_create(
                [TierStep(tier=tier, order=(i + 1) * 10, kind=kind, role=role) for i, (kind, role) in enumerate(steps)]
            )

    @classmethod
    def for_amount(cls, school: models.Model, total: Decimal) -> ApprovalTier | None:
        cls.ensure_defaults(school)
        return (
            cls.objects.for_school(school).filter(min_amount__lte=total).filter(Q(max_amount__isnull=True) | Q(max_amount__gt=total))
            .order_by("-min_amount").first()
        )


class StepKind(models.TextChoices):
    ROLE = "role", _("A role")
    PERSON = "person", _("A named person")
    COLLECTIVE = "collective", _("Collective decision (三重一大)")


class TierStep(models.Model):
    tier = models.ForeignKey(ApprovalTier, on_delete=models.CASCADE, related_name="steps", verbose_name=_("tier"))
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices, default=StepKind.ROLE)
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, blank=True,
        help_text=_("Who approves; for a collective decision, who records it with the meeting minutes."),
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person"))

    SCHOOL_FIELD = "tier__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["tier", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person", person__isnull=False) | (~Q(kind="person") & ~Q(role=""))), name="procurement_tierstep_who",
            ),
        ]

    def __str__(self) -> str:
        return step_label(self.kind, self.role, self.person)


def step_label(kind: str, role: str, person: models.Model | None) -> str:
    if kind == StepKind.PERSON and person is not None:
        return person.display_name
    label = str(Role(role).label) if role in Role.values else role
    if kind == StepKind.COLLECTIVE:
        return str(_("Collective decision (recorded by %(role)s)") % {"role": label})
    return label


class CatalogueItem(models.Model):
    """An item of the school's centralized-procurement catalogue (computers, printers, copiers…)."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="procurement_catalogue", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=60)
    centralized = models.BooleanField(
        _("centralized procurement"), default=True,
        help_text=_("Items on the centralized catalogue go through the central route whatever the amount (国办发〔2019〕55号)."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="procurement_catalogue_unique_name")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("school"))
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=60)
    amount = models.DecimalField(_("budget (yuan)"), **MONEY, validators=[MinValueValidator(0)])

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["school", "-year", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="procurement_budget_unique_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="procurement_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Delegation(models.Model):
    """While it runs, `delegate` may decide the steps `delegator` could decide (leave, trips)."""

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("on behalf of"))
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("delegate"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["school", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="procurement_delegation_dates"),
            models.CheckConstraint(condition=~Q(delegator=models.F("delegate")), name="procurement_delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate}"


class RequisitionCounter(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="procurement_counter_unique")]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPROVED = "approved", _("Approved, to buy")
    ORDERED = "ordered", _("Ordered, waiting for delivery")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


EDITABLE_STATUSES = (Status.DRAFT, Status.PENDING, Status.REJECTED)
# Approved money: what the budget and the report count as committed.
APPROVED_STATUSES = (Status.APPROVED, Status.ORDERED, Status.ACCEPTED, Status.CLOSED)


class Method(models.TextChoices):
    GOVERNMENT = "government", _("Government procurement")
    FRAMEWORK = "framework", _("Framework agreement")
    QUOTES = "quotes", _("Quotes (询价/比价)")
    DIRECT = "direct", _("Direct purchase")


class Funding(models.TextChoices):
    # The same keys as the asset card's funding source: the cards are filled from the request.
    FISCAL = "fiscal", _("Government funds")
    OWN = "own", _("School's own funds")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class RequisitionQuerySet(SchoolScopedQuerySet):
    def approved(self) -> RequisitionQuerySet:
        return self.filter(status__in=APPROVED_STATUSES)


class Requisition(models.Model):
    Status = Status

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="requisitions", verbose_name=_("school"))
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("QG<year>-<sequence>, unique within the school."))
    token = models.CharField(max_length=40, blank=True, editable=False, help_text="Idempotency key of the request form.")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requisitions", verbose_name=_("requester"))
    department = models.ForeignKey("logistics.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department"))
    purpose = models.TextField(_("purpose"), max_length=1000)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="requisitions", verbose_name=_("budget line"))
    funding = models.CharField(_("funding source"), max_length=12, choices=Funding.choices, default=Funding.FISCAL)
    total = models.DecimalField(_("total (yuan)"), **MONEY, default=Decimal("0"))
    status = FSMField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    tier = models.ForeignKey(ApprovalTier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approval tier"))
    round = models.PositiveSmallIntegerField(_("approval round"), default=0)
    centralized = models.BooleanField(_("centralized procurement"), default=False)
    gov_procurement = models.BooleanField(_("government procurement"), default=False)
    gov_reference = models.CharField(_("government-procurement reference"), max_length=60, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)

    # Purchase (采购记录)
    method = models.CharField(_("purchase method"), max_length=12, choices=Method.choices, blank=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    ordered_on = models.DateField(_("order date"), null=True, blank=True)
    purchase_amount = models.DecimalField(_("purchase amount (yuan)"), **MONEY, null=True, blank=True)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    buyers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("buyers"))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("rejected or withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCHOOL_FIELD = "school"
    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_requisitions", _("Can see every requisition of the school")),
            ("approve_requisition", _("Can take approval steps of requisitions")),
            ("purchase_requisition", _("Can record purchases and acceptances")),
            ("export_requisition", _("Can export requisitions to Excel")),
            ("record_payment", _("Can record the payment of accepted deliveries")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], condition=~Q(number=""), name="procurement_req_unique_number"),
            # A form sent twice (two taps, a resend after a timeout) makes one request.
            models.UniqueConstraint(fields=["school", "token"], condition=~Q(token=""), name="procurement_req_unique_token"),
            models.CheckConstraint(condition=Q(total__gte=0), name="procurement_req_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["school", "-created_at", "-id"], name="proc_req_school"),
            models.Index(fields=["school", "status", "-created_at", "-id"], name="proc_req_status"),
            models.Index(fields=["school", "requester", "-created_at", "-id"], name="proc_req_requester"),
            models.Index(fields=["school", "budget_line", "status"], name="proc_req_budget"),
            models.Index(fields=["school", "accepted_at"], name="proc_req_accepted"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft requisition"))

    def get_absolute_url(self) -> str:
        return reverse("procurement:requisition-detail", args=[self.pk])

    @property
    def total_wan(self) -> Decimal:
        return (self.total / WAN).quantize(CENT)

    # --- Transitions --------------------------------------------------------------------------
    @transition(field=status, source=[Status.DRAFT, Status.REJECTED, Status.WITHDRAWN], target=Status.PENDING, custom={"verb": "submitted"})
    def submit(self, *, at: dt.datetime) -> None:
        self.submitted_at, self.reject_reason, self.decided_at = at, "", None

    @transition(field=status, source=Status.PENDING, target=Status.PENDING, custom={"verb": "restarted"})
    def restart(self) -> None:
        pass

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED, custom={"verb": "approved"})
    def approve(self, *, at: dt.datetime) -> None:
        self.approved_at = at

    @transition(field=status, source=Status.PENDING, target=Status.REJECTED, custom={"verb": "rejected"})
    def reject(self, *, reason: str, at: dt.datetime) -> None:
        self.reject_reason, self.decided_at = reason, at

    @transition(field=status, source=[Status.DRAFT, Status.PENDING], target=Status.WITHDRAWN, custom={"verb": "withdrawn"})
    def withdraw(self, *, at: dt.datetime) -> None:
        self.decided_at = at

    @transition(field=status, source=Status.APPROVED, target=Status.ORDERED, custom={"verb": "ordered"})
    def order(self, *, at: dt.datetime, purchase: dict) -> None:
        self.ordered_at = at
        for name, value in purchase.items():
            setattr(self, name, value)

    @transition(field=status, source=Status.ORDERED, target=Status.ACCEPTED, custom={"verb": "accepted"})
    def accept(self, *, at: dt.datetime) -> None:
        self.accepted_at = at

    @transition(field=status, source=Status.ACCEPTED, target=Status.CLOSED, custom={"verb": "closed"})
    def close(self) -> None:
        pass


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines", verbose_name=_("requisition"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("item"), max_length=60)
    spec = models.CharField(_("spec / model"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="台")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("estimated unit price (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    fixed_asset = models.BooleanField(_("fixed asset"), default=False, help_text=_("Goes onto the asset ledger when accepted."))
    asset_class = models.ForeignKey("assets.AssetClass", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("asset class"))
    catalogue_item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("catalogue item"))

    SCHOOL_FIELD = "requisition__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["requisition", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="procurement_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="procurement_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}{self.unit}"


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    VOID = "void", _("Void (the request changed)")


def minutes_path(instance: ApprovalStep, filename: str) -> str:
    return f"procurement/{instance.requisition.school_id}/minutes/{filename}"


class ApprovalStep(models.Model):
    """One step of one approval round of one requisition, copied from its tier at submission."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="steps", verbose_name=_("requisition"))
    round = models.PositiveSmallIntegerField(_("round"))
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices)
    role = models.CharField(_("role"), max_length=30, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("on behalf of"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("opinion"), blank=True)
    minutes = models.FileField(_("meeting minutes"), upload_to=minutes_path, max_length=200, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    SCHOOL_FIELD = "requisition__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["requisition", "round", "order"]
        constraints = [models.UniqueConstraint(fields=["requisition", "round", "order"], name="procurement_step_unique")]
        indexes = [models.Index(fields=["status", "role"], name="proc_step_waiting")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return step_label(self.kind, self.role, self.person)


class Quote(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("requisition"))
    supplier = models.CharField(_("supplier"), max_length=100)
    amount = models.DecimalField(_("quoted total (yuan)"), **MONEY, validators=[MinValueValidator(0)])

    SCHOOL_FIELD = "requisition__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["requisition", "amount", "pk"]

    def __str__(self) -> str:
        return f"{self.supplier} {self.amount}"


class Acceptance(models.Model):
    """One delivery's acceptance (验收单): a team of at least two including the requester; booked
    into the ledger when the last member confirms."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", _("Passed")
        PARTLY = "partly", _("Passed in part")
        FAILED = "failed", _("Not passed")

    requisition = models.ForeignKey(Requisition, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("requisition"))
    accepted_on = models.DateField(_("acceptance date"))
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    spec_match = models.BooleanField(_("spec matches the order"), default=True)
    quality = models.CharField(_("quality"), max_length=200, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices, default=Conclusion.PASSED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    # 验收单 gates payment: finance records it once the delivery is accepted, booked and invoiced.
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("paid by"))

    SCHOOL_FIELD = "requisition__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["requisition", "accepted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.requisition} {self.accepted_on}"


class AcceptanceMember(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="members", verbose_name=_("acceptance"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["acceptance", "pk"]
        constraints = [models.UniqueConstraint(fields=["acceptance", "user"], name="procurement_acceptance_member_unique")]


class AcceptanceLine(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="lines", verbose_name=_("acceptance"))
    line = models.ForeignKey(RequisitionLine, on_delete=models.PROTECT, related_name="received", verbose_name=_("line"))
    received = models.PositiveIntegerField(_("received"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    cards = models.ManyToManyField("assets.AssetCard", blank=True, related_name="+", verbose_name=_("asset cards"))
    stock_booked = models.BooleanField(_("received into stock"), default=False)

    class Meta:
        ordering = ["acceptance", "line__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["acceptance", "line"], name="procurement_acceptance_line_unique")]
