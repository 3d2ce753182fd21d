"""Disposal (处置): one request for one or many cards, approved by the tier of their total original
value, then carried out. The cards leave the active ledger (status 已处置); the request, its lines and
the cards' histories stay."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from logistics.scoping import SchoolScopedQuerySet


class Way(models.TextChoices):
    SCRAP = "scrap", _("Scrapping (报废)")
    SALE = "sale", _("Transfer for value (转让)")
    DONATION = "donation", _("Donation (捐赠)")
    ALLOCATION = "allocation", _("Transfer without charge (无偿划转)")
    EXCHANGE = "exchange", _("Exchange (置换)")
    WRITE_OFF = "write_off", _("Loss written off (损失核销)")


class Tier(models.TextChoices):
    OFFICE = "office", _("Logistics head")
    PRINCIPAL = "principal", _("Principal")
    COLLECTIVE = "collective", _("Collective decision and the education bureau")


class DisposalStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    EXECUTED = "executed", _("Disposed")
    REJECTED = "rejected", _("Rejected")


def disposal_path(instance: Disposal, filename: str) -> str:
    return f"assets/{instance.school_id}/disposals/{filename}"


class Disposal(models.Model):
    Way = Way
    Tier = Tier
    Status = DisposalStatus

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    number = models.CharField(_("number"), max_length=30)
    way = models.CharField(_("way"), max_length=12, choices=Way.choices)
    reason = models.CharField(_("reason"), max_length=300)
    appraisal_note = models.TextField(_("technical appraisal"), blank=True,
                                      help_text=_("Who examined the items and what they found (beyond repair, beyond useful life…)."))
    appraisal_file = models.FileField(_("appraisal file"), upload_to=disposal_path, max_length=200, blank=True)
    approval_file = models.FileField(_("approval document"), upload_to=disposal_path, max_length=200, blank=True,
                                     help_text=_("The minutes of the collective decision and the education bureau's approval."))
    total_value = models.DecimalField(_("total original value (yuan)"), max_digits=16, decimal_places=2, default=Decimal("0"))
    tier = models.CharField(_("approved by"), max_length=12, choices=Tier.choices)
    status = FSMField(_("status"), max_length=12, choices=DisposalStatus.choices, default=DisposalStatus.REQUESTED, protected=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_on = models.DateField(_("disposed on"), null=True, blank=True)
    proceeds = models.DecimalField(_("proceeds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                   help_text=_("What a sale or a scrap dealer paid; handed to the treasury as the rules require."))

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("request_disposal", _("Can request and carry out disposals of assets")),
            ("approve_disposal_small", _("Can approve a disposal in the logistics head's tier")),
            ("approve_disposal", _("Can approve a disposal in the principal's tier and record the higher approvals")),
        ]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="disposal_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_way_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assets:disposal-detail", args=[self.pk])

    @transition(field=status, source=DisposalStatus.REQUESTED, target=DisposalStatus.APPROVED, custom={"verb": "approved"})
    def approve(self) -> None:
        pass

    @transition(field=status, source=DisposalStatus.REQUESTED, target=DisposalStatus.REJECTED, custom={"verb": "rejected"})
    def reject(self) -> None:
        pass

    @transition(field=status, source=DisposalStatus.APPROVED, target=DisposalStatus.EXECUTED, custom={"verb": "executed"})
    def execute(self) -> None:
        pass


class DisposalLine(models.Model):
    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("disposal"))
    card = models.ForeignKey("assets.AssetCard", on_delete=models.PROTECT, related_name="disposal_lines", verbose_name=_("card"))
    original_value = models.DecimalField(_("original value (yuan)"), max_digits=14, decimal_places=2)

    SCHOOL_FIELD = "disposal__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposal line")
        verbose_name_plural = _("disposal lines")
        ordering = ["disposal", "card__number", "id"]
        constraints = [models.UniqueConstraint(fields=["disposal", "card"], name="disposal_line_unique")]

    def __str__(self) -> str:
        return f"{self.disposal_id}: {self.card_id}"


class DisposalCounter(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="disposal_counter_unique")]
