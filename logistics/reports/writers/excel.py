"""The Excel annex: one sheet per section with the records behind its figures.

Chinese headers, a frozen and bold header row, number, money and date formats, set column widths
and an auto-filter, so the office can sort and sum without reformatting anything. Written in
openpyxl's write-only mode: memory stays flat for a term of 50,000 tickets.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from logistics.reports.facts import Section, Sheet

FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00",
    "decimal": "#,##0.0",
    "rate": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
HEADER_FONT = Font(bold=True, name="等线")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INVALID_TITLE = str.maketrans({c: "－" for c in "[]:*?/\\"})


def _title(text: str, taken: set[str]) -> str:
    base = (text.translate(INVALID_TITLE) or "Sheet")[:28]
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]}{n}", n + 1
    taken.add(title)
    return title


def _value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the school's local wall-clock time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if kind == "rate" and isinstance(value, (int, float)):
        return value / 100.0
    return value


def _write(wb: Workbook, sheet: Sheet, title: str) -> None:
    ws = wb.create_sheet(title)
    kinds = sheet.kinds or ["text"] * len(sheet.headers)
    widths = sheet.widths or [max(10, len(h) * 2 + 4) for h in sheet.headers]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header = []
    for text in sheet.headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    formats = [FORMATS.get(k) for k in kinds]
    for row in sheet.rows:
        cells = []
        for value, kind, number_format in zip(row, kinds, formats):
            cell = WriteOnlyCell(ws, value=_value(value, kind))
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        ws.append(cells)
    last = get_column_letter(len(sheet.headers))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"


def render(title: str, sections: list[Section]) -> bytes:
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    sheets = [(s, sheet) for s in sections for sheet in s.all_sheets()]
    if not sheets:
        _write(wb, Sheet("说明", ["说明"], [[f"{title}：本学期没有可列出的记录。"]], widths=[60]), _title("说明", taken))
    for _section, sheet in sheets:
        _write(wb, sheet, _title(sheet.title, taken))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
