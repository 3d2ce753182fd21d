"""Excel export of a filtered ticket list: openpyxl in write-only mode (constant memory), rows read
from the database in chunks, the file streamed back from a temporary file."""

from __future__ import annotations

import tempfile
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from repairs.models import Ticket

MAX_ROWS = 200_000
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _local(value: Any) -> Any:
    # Excel has no time zones: write the school's local time, without tzinfo.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def export_rows(qs: QuerySet[Ticket]) -> Any:
    cost = ExpressionWrapper(F("materials__quantity") * F("materials__unit_cost"), output_field=DecimalField(max_digits=14, decimal_places=2))
    rows = (
        qs.select_related("room", "building", "category", "reporter", "assignee")
        .annotate(material_cost=Sum(cost))
        .order_by("-submitted_at", "-id")[:MAX_ROWS]
    )
    for t in rows.iterator(chunk_size=2000):
        yield [
            t.number, _local(t.submitted_at), t.reporter.display_name, t.reporter_phone, t.building.name, t.room.code, t.room.name,
            t.category.name, t.get_urgency_display(), t.get_status_display(), t.description, t.handler_label,
            _local(t.dispatched_at), _local(t.done_at), _local(t.accepted_at), _local(t.due_at),
            _("yes") if t.finished_late or t.is_overdue else "",
            float(t.labour_hours or 0), float(t.material_cost or 0), float(t.contractor_cost) if t.contractor_cost is not None else None,
            t.rating, t.rating_comment,
        ]


def headers() -> list[str]:
    return [
        _("Number"), _("Reported at"), _("Reporter"), _("Phone"), _("Building"), _("Room"), _("Room name"), _("Category"),
        _("Urgency"), _("Status"), _("Description"), _("Repairer or contractor"), _("Dispatched at"), _("Done at"),
        _("Accepted at"), _("Due by"), _("Late"), _("Labour hours"), _("Materials (yuan)"), _("Contractor (yuan)"),
        _("Rating"), _("Comment"),
    ]


DATE_COLUMNS = {1, 12, 13, 14, 15}
WIDTHS = [16, 17, 10, 13, 12, 8, 14, 11, 8, 14, 40, 14, 17, 17, 17, 17, 6, 8, 10, 10, 6, 30]


def write_workbook(qs: QuerySet[Ticket], target: Any, *, title: str) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers():
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for values in export_rows(qs):
        row = []
        for i, value in enumerate(values):
            if i in DATE_COLUMNS and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATETIME_FORMAT
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
    wb.save(target)


def export_response(qs: QuerySet[Ticket], *, school: Any) -> FileResponse:
    handle = tempfile.TemporaryFile()
    write_workbook(qs, handle, title=_("Repair tickets"))
    handle.seek(0)
    stem = _("repair-tickets")  # outside the f-string, so makemessages sees it
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
