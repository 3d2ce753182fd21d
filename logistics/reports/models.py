"""Stored reports: per-school settings, versions (draft → issued), paragraphs with stable keys, and
the generation jobs that produce files.

A `TermReport` is one version of a term's 工作总结. At most one draft per school and term exists at
a time; issuing (定稿) freezes it for good (services refuse to change an issued version) and the
next draft gets the next version number. Its paragraphs keep the composer's keys, so regenerating
the figures replaces the paragraphs nobody edited and keeps those someone did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from logistics.jobs import Job
from logistics.scoping import SchoolScopedQuerySet


class ReportSettings(models.Model):
    """What the logistics admin can set once per school for every term report."""

    school = models.OneToOneField("logistics.School", on_delete=models.CASCADE, related_name="report_settings", verbose_name=_("school"))
    guiding_idea = models.TextField(
        _("guiding idea"),
        blank=True,
        help_text=_("The term's guiding idea, quoted in the opening paragraph. Leave empty for the default wording."),
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(self.school)


class TermReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    school = models.ForeignKey("logistics.School", on_delete=models.PROTECT, related_name="term_reports", verbose_name=_("school"))
    term = models.ForeignKey("logistics.Term", on_delete=models.PROTECT, related_name="reports", verbose_name=_("term"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    generated_at = models.DateTimeField(_("figures generated"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("term report")
        verbose_name_plural = _("term reports")
        ordering = ["school", "-term__start", "-version"]
        permissions = [
            ("issue_termreport", _("Can issue a term report")),
            ("download_termreport", _("Can download term reports")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "version"], name="termreport_unique_version"),
            models.UniqueConstraint(fields=["school", "term"], condition=Q(status="draft"), name="termreport_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False), name="termreport_issued_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class ReportParagraph(models.Model):
    report = models.ForeignKey(TermReport, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("report"))
    key = models.CharField(_("key"), max_length=120)
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20)
    text = models.TextField(_("text"), blank=True)
    generated_text = models.TextField(_("generated text"), blank=True)
    edited = models.BooleanField(_("edited"), default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("edited by")
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    links = models.JSONField(_("figure links"), default=list, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    SCHOOL_FIELD = "report__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("report paragraph")
        verbose_name_plural = _("report paragraphs")
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="reportparagraph_unique_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def editable(self) -> bool:
        return self.kind not in ("table", "chart")


def _job_upload_to(job: ReportJob, filename: str) -> str:
    return f"reports/{job.school_id}/{job.term_id}/{filename}"


class ReportJob(Job):
    """One generation: a draft's figures, or a .docx/.xlsx/.html file of a version. The page polls it."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft figures")
        DOCX = "docx", _("Word document")
        XLSX = "xlsx", _("Excel annex")
        HTML = "html", _("Web page")

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("logistics.Term", on_delete=models.CASCADE, related_name="+", verbose_name=_("term"))
    report = models.ForeignKey(
        TermReport, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    step = models.CharField(_("step"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=_job_upload_to, blank=True, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_status_display()}"
