"""The class teacher's monthly class asset check (班级资产月检): each of the class's cards confirmed
in place, damaged (which opens a repair ticket for it through repairs.services) or missing (a loss
report the office follows up, by disposal if it stays lost)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet


class ClassCheck(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    school_class = models.ForeignKey("logistics.SchoolClass", on_delete=models.PROTECT, related_name="asset_checks",
                                     verbose_name=_("class"))
    month = models.DateField(_("month"), help_text=_("The first day of the month checked."))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by"))
    at = models.DateTimeField(_("checked at"), auto_now_add=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("class asset check")
        verbose_name_plural = _("class asset checks")
        ordering = ["-month", "school_class"]
        constraints = [models.UniqueConstraint(fields=["school_class", "month"], name="class_check_once_a_month")]

    def __str__(self) -> str:
        return f"{self.school_class} {self.month:%Y-%m}"


class CheckResult(models.TextChoices):
    OK = "ok", _("In place")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing")


class ClassCheckLine(models.Model):
    Result = CheckResult

    class_check = models.ForeignKey(ClassCheck, on_delete=models.CASCADE, related_name="lines", verbose_name=_("check"))
    card = models.ForeignKey("assets.AssetCard", on_delete=models.PROTECT, related_name="class_checks", verbose_name=_("card"))
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    ticket = models.ForeignKey("repairs.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("repair ticket"))

    SCHOOL_FIELD = "class_check__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("class asset check line")
        verbose_name_plural = _("class asset check lines")
        constraints = [models.UniqueConstraint(fields=["class_check", "card"], name="class_check_line_once")]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.result}"
