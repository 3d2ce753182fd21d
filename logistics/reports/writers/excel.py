"""The Excel annex: one sheet per section with the records behind its figures.

Chinese headers, a frozen and bold header row, number, money and date formats, set column widths
and an auto-filter, so the office can sort and sum without reformatting anything. Written with the
export engine's sheet writer (xlsxwriter, constant memory): flat memory for a term of 50,000
tickets, and every text cell written as text — a room name or a person's name typed as
`=HYPERLINK(...)` is never a formula in the annex.
"""

from __future__ import annotations

import tempfile
from typing import Any

from logistics.exports.engine import new_workbook, sheet_title, write_sheet
from logistics.reports.facts import Section, Sheet

# openpyxl wrote the widths raw; xlsxwriter adds Excel's 5-pixel cell padding (5/7 of a character
# at the default font). Take it off so the annex's columns keep the widths they always had.
PADDING = 5 / 7


def _write(workbook: Any, sheet: Sheet, title: str) -> None:
    kinds = sheet.kinds or ["text"] * len(sheet.headers)
    widths = sheet.widths or [max(10, len(h) * 2 + 4) for h in sheet.headers]
    write_sheet(workbook, title, sheet.headers, sheet.rows, formats=kinds, widths=[w - PADDING for w in widths])


def render(title: str, sections: list[Section]) -> bytes:
    taken: set[str] = set()
    sheets = [(s, sheet) for s in sections for sheet in s.all_sheets()]
    with tempfile.TemporaryFile() as handle:
        workbook = new_workbook(handle)
        if not sheets:
            _write(workbook, Sheet("说明", ["说明"], [[f"{title}：本学期没有可列出的记录。"]], widths=[60]), sheet_title("说明", taken))
        for _section, sheet in sheets:
            _write(workbook, sheet, sheet_title(sheet.title, taken))
        workbook.close()
        handle.seek(0)
        return handle.read()
