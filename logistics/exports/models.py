"""Export jobs: a large export asked for in a list, written by a worker, downloaded from "my exports".

The job keeps what it was asked for (the declared export's dotted path and the list's query
parameters) and whom for (school and person), so the worker builds the same scoped, filtered
selection the person saw, in the language they asked in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.jobs import Job
from logistics.scoping import SchoolScopedQuerySet


def _upload_to(job: ExportJob, filename: str) -> str:
    return f"exports/{job.school_id}/{job.pk or 'new'}/{filename}"


class ExportJob(Job):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    export = models.CharField(_("export"), max_length=200, help_text="Dotted path of the declared export.")
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("filter"), default=dict, blank=True)
    description = models.CharField(_("filter description"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=_upload_to, blank=True, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_by", "-created_at"], name="exportjob_mine")]

    def __str__(self) -> str:
        return f"{self.title} {self.get_status_display()}"
