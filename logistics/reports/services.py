"""Every write of the report engine: drafts, edits, issuing, generation jobs.

- `report_generate` composes the term's facts into the draft (creating it if needed). Paragraphs
  are matched by key: a paragraph someone edited keeps its text, every other one is replaced. The
  facts are read outside any transaction; only the draft is written, in one short transaction.
- `paragraph_edit` stores what the person typed as plain text (escaped in HTML, plain in Word).
- `report_issue` freezes the draft (定稿); an issued version never changes again, the next draft
  gets the next version number.
- `job_start` / `job_run`: a generation job (draft figures or a .docx/.xlsx/.html file) that
  reports progress section by section on its row; the Celery task calls `job_run`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.composer import Block, Composed, Context, compose
from logistics.reports.facts import Section
from logistics.reports.models import ReportJob, ReportParagraph, ReportSettings, TermReport
from logistics.workflow import WorkflowError, lock

logger = logging.getLogger(__name__)
REPORT_LANGUAGE = "zh-hans"  # the document is Chinese whoever asks for it


class ReportError(WorkflowError):
    """A refused report action; the message is translated and shown to the person."""


# --- Reading the facts ------------------------------------------------------------------------------


def report_context(school: School, term: Term, *, today: dt.date | None = None) -> Context:
    settings_row = ReportSettings.objects.filter(school=school).first()
    today = today or timezone.localdate()
    return Context(
        school_name=school.name,
        term_label=term.label,
        term_code=term.code,
        office_name=school.office_name or "后勤处",
        guiding_idea=settings_row.guiding_idea if settings_row else "",
        date=min(today, term.end),
        kindergarten=school.kind == School.Kind.KINDERGARTEN,
        has_previous=term.previous() is not None,
        term_over=today > term.end,
        # One chart per part by default; settings.REPORT_ALL_CHARTS = True keeps every chart of a section.
        all_charts=bool(getattr(django_settings, "REPORT_ALL_CHARTS", False)),
    )


def collect_sections(school: School, term: Term, *, progress: registry.Progress | None = None) -> list[Section]:
    with translation.override(REPORT_LANGUAGE):
        registry.apply_rules(school, term)  # the apps' rule-based 工作纪事 entries, up to date first
        return registry.collect(school, term, progress=progress)


def compose_term(school: School, term: Term, *, progress: registry.Progress | None = None) -> tuple[Composed, list[Section]]:
    """The report as the records make it now, without storing anything (CLI, benchmark, preview)."""
    sections = collect_sections(school, term, progress=progress)
    with translation.override(REPORT_LANGUAGE):
        return compose(report_context(school, term), sections), sections


def blocks_of(report: TermReport) -> list[Block]:
    return [Block(p.key, p.kind, p.text, p.links, p.data) for p in report.paragraphs.all()]


# --- Drafts, edits, issuing -------------------------------------------------------------------------


def guiding_idea_set(*, school: School, text: str, by: Any) -> ReportSettings:
    row, _created = ReportSettings.objects.get_or_create(school=school)
    row.guiding_idea = text.strip()
    row.save(update_fields=["guiding_idea"])
    return row


def report_generate(*, school: School, term: Term, by: Any, progress: registry.Progress | None = None) -> TermReport:
    """Compose the term's figures into its draft; edited paragraphs keep their text.

    The facts are read and composed outside any transaction (the slow part, reporting progress as it
    goes); only the draft's rows are written, in one short transaction. Two people generating at
    once get one draft: the second waits for the first's write and regenerates the same draft.
    """
    if term.school_id != school.pk:
        raise ReportError(_("That term belongs to another school."))
    steps = {"total": 0}

    def collecting(done: int, total: int, title: str) -> None:
        steps["total"] = total
        if progress:
            progress(done, total + 1, title)  # one step left after the sections: composing and saving

    composed, _sections = compose_term(school, term, progress=collecting)
    if progress:
        progress(steps["total"], steps["total"] + 1, _("Saving the draft"))
    return _draft_store(school=school, term=term, composed=composed, by=by)


@transaction.atomic
def _draft_store(*, school: School, term: Term, composed: Composed, by: Any) -> TermReport:
    # The school's row is the lock for its drafts: without it two generations at once both find no
    # draft and the second one's insert breaks termreport_one_draft ("Generation failed").
    lock(school)
    report = TermReport.objects.filter(school=school, term=term, status=TermReport.Status.DRAFT).first()
    report = lock(report) if report else None
    created = report is None
    if created:
        last = TermReport.objects.filter(school=school, term=term).aggregate(v=Max("version"))["v"] or 0
        report = TermReport.objects.create(school=school, term=term, version=last + 1, title=composed.title, created_by=by)
    old = {p.key: p for p in report.paragraphs.all()}
    rows = _merge(report, composed.blocks, old)
    report.paragraphs.all().delete()
    ReportParagraph.objects.bulk_create(rows)
    title = next((r.text for r in rows if r.key == "title"), composed.title)
    report.title = title[:200]
    report.generated_at = timezone.now()
    report.save(update_fields=["title", "generated_at"])
    audit.record(report, "reports.report.created" if created else "reports.report.regenerated", by=by, school=school,
                 data={"version": report.version, "kept_edits": sum(1 for r in rows if r.edited)})
    return report


def _merge(report: TermReport, blocks: list[Block], old: dict[str, ReportParagraph]) -> list[ReportParagraph]:
    rows: list[ReportParagraph] = []
    new_keys = {b.key for b in blocks}
    for block in blocks:
        previous = old.get(block.key)
        row = ReportParagraph(report=report, key=block.key, kind=block.kind, text=block.text, generated_text=block.text,
                              links=block.links, data=block.data)
        if previous is not None and previous.edited:
            row.text, row.edited, row.edited_by_id, row.edited_at = previous.text, True, previous.edited_by_id, previous.edited_at
        rows.append(row)
    # An edited paragraph whose figures no longer exist stays, after the paragraph it followed.
    ordered_old = sorted(old.values(), key=lambda p: p.position)
    for i, orphan in enumerate(ordered_old):
        if orphan.key in new_keys or not orphan.edited:
            continue
        anchor = next((p.key for p in reversed(ordered_old[:i]) if p.key in new_keys), None)
        at = next((j + 1 for j, r in enumerate(rows) if r.key == anchor), len(rows) - 2)
        rows.insert(at, ReportParagraph(report=report, key=orphan.key, kind=orphan.kind, text=orphan.text,
                                        generated_text=orphan.generated_text, edited=True, edited_by_id=orphan.edited_by_id,
                                        edited_at=orphan.edited_at, links=orphan.links, data=orphan.data))
        new_keys.add(orphan.key)
    for position, row in enumerate(rows):
        row.position = position
    return rows


def _draft_for_update(report: TermReport) -> TermReport:
    locked = lock(report)
    if locked.is_issued:
        raise ReportError(_("This version has been issued and can no longer be changed. Start a new draft instead."))
    return locked


def _paragraph_of(report: TermReport, paragraph: ReportParagraph) -> ReportParagraph:
    if paragraph.report_id != report.pk:
        raise ReportParagraph.DoesNotExist
    return lock(paragraph)


@transaction.atomic
def paragraph_edit(*, paragraph: ReportParagraph, text: str, by: Any) -> ReportParagraph:
    """Store the text as typed (it is escaped wherever it is shown). Empty text is refused."""
    report = _draft_for_update(paragraph.report)
    paragraph = _paragraph_of(report, paragraph)
    if not paragraph.editable:
        raise ReportError(_("Tables and charts are regenerated from the records and cannot be edited."))
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ReportError(_("A paragraph cannot be empty. Reset it to the generated text instead."))
    paragraph.text = text
    paragraph.edited = text != paragraph.generated_text
    paragraph.edited_by, paragraph.edited_at = (by, timezone.now()) if paragraph.edited else (None, None)
    paragraph.save(update_fields=["text", "edited", "edited_by", "edited_at"])
    audit.record(report, "reports.paragraph.edited", by=by, school=report.school, note=paragraph.key)
    return paragraph


@transaction.atomic
def paragraph_reset(*, paragraph: ReportParagraph, by: Any) -> ReportParagraph:
    report = _draft_for_update(paragraph.report)
    paragraph = _paragraph_of(report, paragraph)
    paragraph.text, paragraph.edited, paragraph.edited_by, paragraph.edited_at = paragraph.generated_text, False, None, None
    paragraph.save(update_fields=["text", "edited", "edited_by", "edited_at"])
    audit.record(report, "reports.paragraph.reset", by=by, school=report.school, note=paragraph.key)
    return paragraph


def report_issue(*, report: TermReport, by: Any) -> TermReport:
    """Freeze the draft whole: its Excel annex is written now, from the records as they stand at
    issue time, and every later download of this version serves that file (never today's records)."""
    from logistics.reports.writers import excel

    sections = collect_sections(report.school, report.term)
    with translation.override(REPORT_LANGUAGE):
        annex = excel.render(report.title, sections)
    return _issue(report=report, by=by, annex=annex)


@transaction.atomic
def _issue(*, report: TermReport, by: Any, annex: bytes) -> TermReport:
    report = _draft_for_update(report)
    if not report.paragraphs.exists():
        raise ReportError(_("Generate the figures before issuing the report."))
    report.status, report.issued_by, report.issued_at = TermReport.Status.ISSUED, by, timezone.now()
    report.save(update_fields=["status", "issued_by", "issued_at"])
    frozen = ReportJob(school=report.school, term=report.term, report=report, kind=ReportJob.Kind.XLSX, created_by=by,
                       status=ReportJob.Status.DONE, progress=100, step=FROZEN_ANNEX, finished_at=report.issued_at)
    frozen.file.save(f"{_stem(report)}-附表.xlsx", ContentFile(annex), save=False)
    frozen.save()
    audit.record(report, "reports.report.issued", by=by, school=report.school, from_state="draft", to_state="issued",
                 data={"version": report.version})
    return report


# --- Generation jobs --------------------------------------------------------------------------------


def job_start(*, school: School, term: Term, kind: str, by: Any, report: TermReport | None = None) -> ReportJob:
    """Queue a generation; the task runs after the commit (eagerly in the embedded setup)."""
    from logistics.reports.tasks import run_report_job

    if term.school_id != school.pk or (report is not None and report.school_id != school.pk):
        raise ReportError(_("That term belongs to another school."))
    if kind != ReportJob.Kind.DRAFT and report is None:
        raise ReportError(_("Generate a draft first."))
    job = ReportJob.objects.create(school=school, term=term, report=report, kind=kind, created_by=by)
    transaction.on_commit(lambda: _enqueue(run_report_job, job.pk))
    return job


def _enqueue(task: Any, job_id: int) -> None:
    from logistics.queue import enqueue

    if not enqueue(task, job_id):  # broker down: run it here rather than leave the person waiting forever
        logger.warning("report job %s: broker unavailable, running in-process", job_id)
        job_run(job_id)


def _progress(job_id: int, start: int, span: int) -> registry.Progress:
    """A progress callback that writes the job's row at once. Each UPDATE runs outside any
    transaction of the generation (autocommit), so the page polling the job sees it move."""

    def report(done: int, total: int, title: str) -> None:
        percent = start + (span * done // max(total, 1))
        ReportJob.objects.filter(pk=job_id).update(progress=max(1, min(percent, 99)), step=str(title)[:200])

    return report


def job_run(job_id: int) -> ReportJob:
    """Run a queued job (the Celery task's body). The job is claimed by its status, so a task
    delivered twice runs once."""
    job = ReportJob.objects.select_related("school", "term", "report", "created_by").get(pk=job_id)
    claimed = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, progress=1, step=_("Reading the records")
    )
    if not claimed:
        job.refresh_from_db()
        return job
    try:
        done: dict[str, Any] = {}
        if job.kind == ReportJob.Kind.DRAFT:
            report = report_generate(school=job.school, term=job.term, by=job.created_by, progress=_progress(job.pk, 0, 95))
            done["report"] = report
        else:
            content, filename = render_file(job.report, job.kind, progress=_progress(job.pk, 0, 90))
            job.file.save(filename, ContentFile(content), save=False)
            done["file"] = job.file.name
    except Exception as exc:  # the page shows the failure instead of spinning forever
        logger.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
    else:
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE, progress=100, step="", finished_at=timezone.now(), **done)
    job.refresh_from_db()
    return job


FROZEN_ANNEX = "frozen at issue"


def _stem(report: TermReport) -> str:
    # Storage keeps letters, digits, - _ . only: the title's dash (—) would vanish, so it becomes "-".
    return f"{report.title.replace('—', '-')}-v{report.version}{'' if report.is_issued else '-草稿'}"


def frozen_annex(report: TermReport) -> bytes | None:
    """The Excel annex written when this version was issued (None for a version issued before annexes were frozen)."""
    job = ReportJob.objects.filter(report=report, kind=ReportJob.Kind.XLSX, step=FROZEN_ANNEX, status=ReportJob.Status.DONE).first()
    if job is None or not job.file:
        return None
    try:
        with job.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def render_file(report: TermReport, kind: str, *, progress: registry.Progress | None = None) -> tuple[bytes, str]:
    """The bytes and file name of one output of a stored version."""
    from logistics.reports.writers import excel, html, word

    blocks = blocks_of(report)
    stem = _stem(report)
    if kind == ReportJob.Kind.XLSX and report.is_issued and (frozen := frozen_annex(report)) is not None:
        return frozen, f"{stem}-附表.xlsx"
    with translation.override(REPORT_LANGUAGE):
        if kind == ReportJob.Kind.DOCX:
            return word.render(blocks, progress=progress, draft=not report.is_issued), f"{stem}.docx"
        if kind == ReportJob.Kind.HTML:
            return html.render(blocks).encode(), f"{stem}.html"
        sections = collect_sections(report.school, report.term, progress=progress)
        return excel.render(report.title, sections), f"{stem}-附表.xlsx"
