"""An Excel ledger read and imported in the background: a big file takes longer than a request may.

The job keeps the uploaded file's private path, then what the check found (every bad line and why,
as the preview shows them) and, once imported, how many cards were put on the ledger. Its page polls
the progress (the share of lines checked or written) and shows the result when done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.jobs import Job
from logistics.scoping import SchoolScopedQuerySet


class ImportJob(Job):
    class Phase(models.TextChoices):
        CHECK = "check", _("Checking the lines")
        IMPORT = "import", _("Writing the cards")

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("imported by"))
    file_name = models.CharField(_("file"), max_length=200)
    path = models.CharField(_("stored at"), max_length=300, help_text="Private storage path of the uploaded workbook; emptied once done.")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.CHECK)
    language = models.CharField(_("language"), max_length=10, blank=True)
    total = models.PositiveIntegerField(_("lines"), default=0)
    done = models.PositiveIntegerField(_("lines done"), default=0)
    imported = models.PositiveIntegerField(_("cards imported"), default=0)
    result = models.JSONField(_("what the check found"), default=dict, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.get_phase_display()} {self.get_status_display()}"

    @property
    def can_import(self) -> bool:
        """Checked, every line in order, not yet imported."""
        return (self.phase == self.Phase.CHECK and self.status == self.Status.DONE and bool(self.result.get("rows"))
                and not self.result.get("bad"))
