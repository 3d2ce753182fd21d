"""One row per school and month booked by the depreciation run: what it booked, so a month is booked
once and the report can say what the term's depreciation was."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet


class DepreciationRun(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    period = models.DateField(_("month"), help_text=_("The first day of the month booked."))
    cards = models.PositiveIntegerField(_("cards"), default=0)
    amount = models.DecimalField(_("depreciation of the month (yuan)"), max_digits=16, decimal_places=2, default=Decimal("0"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("run at"), auto_now=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("depreciation run")
        verbose_name_plural = _("depreciation runs")
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["school", "period"], name="depreciation_run_unique")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.period:%Y-%m}"
