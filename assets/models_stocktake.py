"""Stocktake (盘点): a count of a scope (the whole school, a building, some rooms, a class) against the
ledger. Opening it freezes the expected list (one line per card, with the room the ledger had);
people mark lines found, damaged, or found in another room, and add what they found that is not on
the ledger (盘盈). Each mark is an update of its own line, so two people counting the same building
at once never overwrite each other. Closing it turns lines nobody marked into missing (盘亏) and
proposes the changes: location fixes, applied on approval, and losses, which go to disposal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet


class Scope(models.TextChoices):
    SCHOOL = "school", _("The whole school")
    BUILDING = "building", _("A building")
    ROOMS = "rooms", _("Some rooms")
    CLASS = "class", _("A class")


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    CLOSED = "closed", _("Closed")


class Stocktake(models.Model):
    Scope = Scope
    Status = StocktakeStatus

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    title = models.CharField(_("title"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    building = models.ForeignKey("logistics.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("building"))
    rooms = models.ManyToManyField("logistics.Room", blank=True, related_name="+", verbose_name=_("rooms"))
    school_class = models.ForeignKey("logistics.SchoolClass", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("class"))
    status = models.CharField(_("status"), max_length=10, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    fixes_applied = models.BooleanField(_("location fixes applied"), default=False)
    disposal = models.ForeignKey("assets.Disposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("loss disposal"))

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("run_stocktake", _("Can open, close and settle stocktakes")),
            ("count_stocktake", _("Can mark items in a stocktake")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assets:stocktake-detail", args=[self.pk])


class Result(models.TextChoices):
    PENDING = "pending", _("Not yet counted")
    FOUND = "found", _("Found")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing (盘亏)")
    SURPLUS = "surplus", _("Not on the ledger (盘盈)")


class StocktakeLine(models.Model):
    Result = Result

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines", verbose_name=_("stocktake"))
    card = models.ForeignKey("assets.AssetCard", on_delete=models.PROTECT, null=True, blank=True, related_name="stocktake_lines",
                             verbose_name=_("card"))
    # Frozen at opening: what the ledger said then.
    number = models.CharField(_("asset number"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100)
    original_value = models.DecimalField(_("original value (yuan)"), max_digits=14, decimal_places=2, default=0)
    expected_room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("room on the ledger"))
    # The count.
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    found_room = models.ForeignKey("logistics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("found in"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("counted by"))
    marked_at = models.DateTimeField(_("counted at"), null=True, blank=True)

    SCHOOL_FIELD = "stocktake__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["stocktake", "expected_room", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "card"], condition=Q(card__isnull=False), name="stocktake_line_card_once"),
        ]
        indexes = [models.Index(fields=["stocktake", "result"], name="stocktake_line_result")]

    def __str__(self) -> str:
        return f"{self.number or self.name}: {self.result}"

    @property
    def wrong_room(self) -> bool:
        return (self.result in (Result.FOUND, Result.DAMAGED) and self.found_room_id is not None
                and self.found_room_id != self.expected_room_id)
