"""Importing an Excel ledger: upload → preview (every bad row and why) → import all or nothing.

The uploaded file is kept privately (never under a public URL) between the preview and the import,
named by a signed token bound to the person and the school; it is deleted once imported.

A small file is checked and imported within the request. A bigger one (over `INLINE_MAX_BYTES`,
some 2,500 plain lines) is checked and imported by a background job (`assets.services.import_jobs`)
whose page shows the lines done and then the same preview, or the cards imported.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from logistics.jobs import worker_missing_message
from logistics.models import Room
from logistics.permissions import permission_required
from logistics.scoping import get_scoped_or_404, require_school

from assets.importing import HEADERS
from assets.models import ImportJob
from assets.selectors import classes_in_use
from assets.services import WorkflowError
from assets.services.import_jobs import import_job_confirm, import_job_start, import_result
from assets.services.importing import HEADERS_SHOWN, ledger_import, ledger_preview

SALT = "assets.import"
MAX_BYTES = 10 * 1024 * 1024
TOKEN_AGE = 2 * 3600
# Files up to this size are checked within the request (about a second); bigger ones by a job.
INLINE_MAX_BYTES = 100 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel ledger (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self) -> object:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx workbook (save an older .xls as .xlsx first)."))
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file


def _shown(result: dict[str, Any]) -> dict[str, Any]:
    """A check's result as the page shows it (its total value a number again, for |yuan)."""
    return {**result, "value": Decimal(result.get("value") or "0")}


def _folder(request: HttpRequest) -> str:
    return f"private/assets-imports/{request.school.pk}"


def _purge_stale(folder: str) -> None:
    """Forget previews nobody imported: their files outlive their tokens by nothing."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    stale = timezone.now() - dt.timedelta(seconds=TOKEN_AGE)
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < stale:
            default_storage.delete(path)


def _path_for(token: str, request: HttpRequest) -> str | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_AGE)
    except signing.BadSignature:
        return None
    if data.get("school") != request.school.pk or data.get("user") != request.user.pk:
        return None
    return data["path"]


@permission_required("assets.import_cards")
def import_template(request: HttpRequest) -> HttpResponse:
    """An empty ledger with the columns the import reads, and the school's rooms and the class table to
    copy codes from."""
    require_school(request)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    ledger = workbook.add_worksheet(_("Ledger"))
    columns = [names[0] for key, names in HEADERS.items()]
    for col, name in enumerate(columns):
        ledger.write_string(0, col, name, bold)
        ledger.set_column(col, col, 16 if name in ("资产名称", "规格型号", "存放地点") else 11)
    ledger.freeze_panes(1, 0)
    rooms = workbook.add_worksheet(_("Rooms"))
    for col, name in enumerate((_("Room number"), _("Room name"), _("Building"))):
        rooms.write_string(0, col, name, bold)
    for row, room in enumerate(Room.objects.for_school(request.school).filter(is_active=True).select_related("building")
                               .order_by("building__code", "code"), start=1):
        rooms.write_string(row, 0, room.code)
        rooms.write_string(row, 1, room.name)
        rooms.write_string(row, 2, room.building.name)
    classes = workbook.add_worksheet(_("Class codes"))
    for col, name in enumerate((_("Class code"), _("Class name"), _("Useful life (years)"))):
        classes.write_string(0, col, name, bold)
    for row, asset_class in enumerate(classes_in_use(), start=1):
        classes.write_string(row, 0, asset_class.code)
        classes.write_string(row, 1, asset_class.name)
        if asset_class.useful_life_years:
            classes.write_number(row, 2, asset_class.useful_life_years)
    for sheet in (rooms, classes):
        sheet.set_column(0, 2, 16)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = _("asset-ledger-template")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@permission_required("assets.import_cards")
def import_upload(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "headers": HEADERS_SHOWN}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _purge_stale(_folder(request))
        path = default_storage.save(f"{_folder(request)}/{uuid.uuid4().hex}.xlsx", upload)
        if upload.size > INLINE_MAX_BYTES:
            job = import_job_start(school=request.school, by=request.user, path=path, file_name=upload.name)
            return redirect("assets:import-job", job.pk)
        with default_storage.open(path, "rb") as handle:
            preview = ledger_preview(school=request.school, file=handle)
        token = signing.dumps({"path": path, "school": request.school.pk, "user": request.user.pk, "name": upload.name[:100]}, salt=SALT)
        context.update(preview=preview, result=_shown(import_result(preview)), token=token, file_name=upload.name)
        if not preview.can_import:
            default_storage.delete(path)  # nothing will be imported from it
    return render(request, "assets/import.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("assets.import_cards")
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_school(request)
    token = request.POST.get("token", "")
    path = _path_for(token, request)
    if path is None or not default_storage.exists(path):
        messages.error(request, _("That preview has expired; choose the file again."))
        return redirect("assets:import")
    name = signing.loads(token, salt=SALT).get("name", "")
    try:
        with default_storage.open(path, "rb") as handle:
            cards = ledger_import(school=request.school, by=request.user, file=handle, source=name)
    except WorkflowError as e:
        messages.error(request, str(e))
        return redirect("assets:import")
    default_storage.delete(path)
    messages.success(request, _("%(n)d cards imported from %(file)s.") % {"n": len(cards), "file": name})
    return redirect("assets:card-list")


# --- Big files: the job's page -----------------------------------------------------------------------

def _job(request: HttpRequest, pk: int) -> ImportJob:
    """The person's own import in this school; anyone else's is a 404."""
    require_school(request)
    return get_scoped_or_404(request, ImportJob.objects.filter(created_by=request.user), pk=pk)


def _state(job: ImportJob) -> dict[str, object]:
    data: dict[str, object] = {"status": job.status, "progress": job.progress, "finished": job.finished,
                               "worker_missing": job.worker_missing, "done": job.done, "total": job.total}
    if job.worker_missing:
        data["step"] = worker_missing_message()
    elif job.status == ImportJob.Status.QUEUED:
        data["step"] = _("Waiting for the background service…")
    elif job.status == ImportJob.Status.RUNNING and not job.total:
        data["step"] = _("Reading the workbook…")
    elif job.status == ImportJob.Status.RUNNING:
        data["step"] = _("%(phase)s: %(done)s of %(total)s lines") % {
            "phase": job.get_phase_display(), "done": f"{job.done:,}", "total": f"{job.total:,}"}
    else:
        data["step"] = job.get_status_display()
    if job.finished:
        data["url"] = reverse("assets:import-job", args=[job.pk])  # the page again, now with the result
    if job.status == ImportJob.Status.FAILED:
        data["error"] = job.error
    return data


@permission_required("assets.import_cards")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "assets/import_job.html", {
        "job": job, "state": _state(job), "status_url": reverse("assets:import-job-status", args=[job.pk]),
        "result": _shown(job.result) if job.result else None, "file_name": job.file_name,
    })


@permission_required("assets.import_cards")
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_state(_job(request, pk)))


@require_POST
@permission_required("assets.import_cards")
def import_job_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if not job.can_import:
        messages.error(request, _("This file cannot be imported (any more); choose it again."))
    elif not import_job_confirm(job=job):
        messages.error(request, worker_missing_message())
    return redirect("assets:import-job", job.pk)
