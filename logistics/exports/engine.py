"""The export engine: an app declares its columns once; the engine reads the rows and writes the file.

An `Export` names a queryset builder (scoped to the school and to what the person may see, narrowed
by the query parameters of the list it comes from), the annotations it needs and its `Column`s.
The engine reads the rows with `values_list()` in chunks (never model instances) and writes them
with xlsxwriter in `constant_memory` mode, row by row, so memory stays flat whatever the size.

Safety: every text cell is written with `write_string`, and the workbook is opened with
`strings_to_formulas` off, so a description typed as `=HYPERLINK(...)`, `+1`, `-2` or `@SUM(A1)`
arrives in Excel as the text it was, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Callable, Iterable, Iterator, Literal, Sequence

import xlsxwriter
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Format = Literal["text", "int", "decimal", "money", "rate", "date", "datetime"]
NUMBER_FORMATS: dict[str, str] = {
    "int": "#,##0",
    "decimal": "#,##0.0",
    "money": "#,##0.00",
    "rate": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
CHUNK_SIZE = 2000
# xlsxwriter's `constant_memory` keeps one row in memory; `strings_to_formulas` off means even the
# generic `write()` would never turn "=..." into a formula (we call `write_string` anyway).
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
A4, FIT_WIDTH = 9, (1, 0)
UNSAFE_FILENAME = re.compile(r"[^\w\-.()（）]+")  # \w keeps Chinese; everything else becomes "_"
SHEET_TITLE_INVALID = str.maketrans({c: "－" for c in "[]:*?/\\"})


class ExportError(Exception):
    """An export that cannot be made (the person left the school, an unknown declaration)."""


@dataclass(frozen=True)
class Column:
    """One column: its header, the `values()` key (a field path or an annotation), width and format.

    `transform` turns the raw value into what the cell shows (a choice code into its label); it is
    called only for values that are not None.
    """

    header: str | Promise
    field: str
    width: float = 12
    format: Format = "text"
    transform: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Selection:
    """What an export's `select` returns: the scoped, filtered rows and the filter in words.

    `filters` are (label, value) pairs ("状态", "待派工"); they make the first row of the sheet and
    the file name.
    """

    queryset: QuerySet[Any]
    filters: list[tuple[str, str]] = field(default_factory=list)


Select = Callable[..., Selection]  # (*, user, school, params: QueryDict) -> Selection


@dataclass(frozen=True)
class Export:
    """A declared export. `key` is the dotted path of this object (a job finds it again by it)."""

    key: str
    title: str | Promise
    columns: Sequence[Column]
    select: Select
    annotations: Callable[[], dict[str, Any]] = dict
    order_by: Sequence[str] = ("-pk",)
    max_rows: int = 200_000

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]

    def rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows in file order, as tuples of the columns' values, at most `max_rows` of them."""
        return queryset.annotate(**self.annotations()).order_by(*self.order_by).values_list(*self.fields)[: self.max_rows]


def find(key: str) -> Export:
    """The declaration a job names; only `Export` objects are accepted."""
    from django.utils.module_loading import import_string

    try:
        found = import_string(key)
    except ImportError as exc:
        raise ExportError(f"unknown export {key!r}") from exc
    if not isinstance(found, Export):
        raise ExportError(f"{key!r} is not an export")
    return found


# --- Describing the filter ---------------------------------------------------------------------------

def describe(filters: Sequence[tuple[str, str]]) -> str:
    """The sheet's first row: "筛选：状态=待派工；报修日期 2026-09-01 至 2026-11-25"."""
    if not filters:
        return _("Filter: none (all records)")
    parts = [f"{label}={value}" if value else label for label, value in filters]
    return _("Filter: %(filters)s") % {"filters": _("; ").join(parts)}


def date_range(label: str, start: dt.date | None, end: dt.date | None) -> tuple[str, str] | None:
    """One filter part for a from/to pair of dates, or None when both are empty."""
    if start and end:
        return label, _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    if start:
        return label, _("from %(start)s") % {"start": start.isoformat()}
    if end:
        return label, _("until %(end)s") % {"end": end.isoformat()}
    return None


def form_filters(form: Any, *, ranges: Sequence[tuple[str, str, str]] = ()) -> list[tuple[str, str]]:
    """(label, value) pairs for the valid, non-empty fields of a bound filter form.

    Choices show their label, model choices the object, dates ISO; `ranges` are (label, from-field,
    to-field) triples written as one "from … to …" part.
    """
    from django import forms

    form.is_valid()
    data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors and v not in (None, "", False)}
    in_range = {name for _label, start, end in ranges for name in (start, end)}
    parts: list[tuple[str, str]] = []
    for name, bound in form.fields.items():
        if name not in data or name in in_range:
            continue
        value = data[name]
        if isinstance(bound, forms.BooleanField):
            parts.append((str(bound.label), ""))
        elif isinstance(bound, forms.ChoiceField) and not isinstance(bound, forms.ModelChoiceField):
            parts.append((str(bound.label), str(dict(bound.choices).get(value, value))))
        elif isinstance(value, dt.date):
            parts.append((str(bound.label), value.isoformat()))
        else:
            parts.append((str(bound.label), str(value)))
    for label, start, end in ranges:
        if part := date_range(str(label), data.get(start), data.get(end)):
            parts.append(part)
    return parts


def filename(title: str, filters: Sequence[tuple[str, str]], *, when: dt.datetime | None = None) -> str:
    """"报修单-待派工-2026-09-01至2026-11-25-20261125-0930.xlsx": safe characters only, Chinese kept."""
    stamp = timezone.localtime(when or timezone.now()).strftime("%Y%m%d-%H%M")
    summary = "-".join((value or label) for label, value in filters) if filters else _("all")
    stem = UNSAFE_FILENAME.sub("_", f"{title}-{summary}").strip("_-.")[:120]
    return f"{stem}-{stamp}.xlsx"


# --- Writing -----------------------------------------------------------------------------------------

Progress = Callable[[int], None]  # called with the number of rows written so far


def new_workbook(target: str | IO[bytes]) -> Any:
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    assert not workbook.strings_to_formulas  # the formula-injection guarantee rests on it
    return workbook


def sheet_title(text: str, taken: set[str] | None = None) -> str:
    base = (str(text).translate(SHEET_TITLE_INVALID) or "Sheet")[:28]
    title, n = base, 2
    while taken is not None and title in taken:
        title, n = f"{base[:26]}{n}", n + 1
    if taken is not None:
        taken.add(title)
    return title


def cell_writers(workbook: Any, worksheet: Any, formats: Sequence[str], transforms: Sequence[Callable[[Any], Any] | None] | None = None,
                 ) -> list[Callable[[int, int, Any], Any]]:
    """One function per column that writes a non-None value with the column's format.

    Text goes through `write_string` always: what a person typed is never a formula, whatever it
    starts with (=, +, -, @, tab, carriage return).
    """
    tz = timezone.get_current_timezone()
    writers: list[Callable[[int, int, Any], Any]] = []
    for i, kind in enumerate(formats):
        cell_format = workbook.add_format({"num_format": NUMBER_FORMATS[kind]}) if kind in NUMBER_FORMATS else None
        transform = transforms[i] if transforms else None
        writers.append(_writer(worksheet, kind, cell_format, transform, tz))
    return writers


def _writer(ws: Any, kind: str, cell_format: Any, transform: Callable[[Any], Any] | None, tz: Any) -> Callable[[int, int, Any], Any]:
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime

    def text(r: int, c: int, value: Any) -> None:
        if transform is not None:
            value = transform(value)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            write_number(r, c, float(value), cell_format)
        elif value is not None and value != "":
            write_string(r, c, str(value), cell_format)

    def number(r: int, c: int, value: Any) -> None:
        if transform is not None:
            value = transform(value)
        if isinstance(value, (int, float, Decimal)):
            write_number(r, c, float(value) / 100.0 if kind == "rate" else float(value), cell_format)
        elif value is not None and value != "":
            write_string(r, c, str(value))

    def when(r: int, c: int, value: Any) -> None:
        if transform is not None:
            value = transform(value)
        if isinstance(value, dt.datetime):
            # Excel has no time zones: write the school's wall-clock time.
            write_datetime(r, c, value.astimezone(tz).replace(tzinfo=None) if value.tzinfo else value, cell_format)
        elif isinstance(value, dt.date):
            write_datetime(r, c, value, cell_format)
        elif value is not None and value != "":
            write_string(r, c, str(value))

    if kind in ("date", "datetime"):
        return when
    if kind in ("int", "decimal", "money", "rate"):
        return number
    return text


def write_sheet(
    workbook: Any,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: Sequence[str],
    widths: Sequence[float],
    transforms: Sequence[Callable[[Any], Any] | None] | None = None,
    description: str = "",
    progress: Progress | None = None,
    every: int = CHUNK_SIZE,
) -> int:
    """Write one sheet: an optional description row, the header, the rows; returns the row count.

    Frozen header, auto-filter over the data, widths, A4 landscape fitted to the page width with the
    header repeated on every printed page.
    """
    ws = workbook.add_worksheet(title)
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter", "border": 1})
    top = 0
    if description:
        ws.write_string(0, 0, description, workbook.add_format({"italic": True, "font_color": "#555555"}))
        top = 1
    for c, text in enumerate(headers):
        ws.write_string(top, c, str(text), header_format)
    writers = cell_writers(workbook, ws, formats, transforms)
    count = 0
    r = top
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if value is not None:
                writers[c](r, c, value)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    last_col = max(len(headers) - 1, 0)
    ws.autofilter(top, 0, max(r, top), last_col)
    ws.freeze_panes(top + 1, 0)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(*FIT_WIDTH)
    ws.repeat_rows(top)
    return count


def write(export: Export, selection: Selection, target: str | IO[bytes], *, total: int | None = None,
          progress: Progress | None = None) -> int:
    """Write the declared export of `selection` to `target` (a path or a binary file); returns rows."""
    description = describe(selection.filters)
    if total is not None and total > export.max_rows:
        description += _("; only the first %(max)s of %(total)s rows") % {"max": f"{export.max_rows:,}", "total": f"{total:,}"}
    workbook = new_workbook(target)
    rows: Iterator[Sequence[Any]] = export.rows(selection.queryset).iterator(chunk_size=CHUNK_SIZE)
    count = write_sheet(
        workbook, sheet_title(str(export.title)), [str(c.header) for c in export.columns], rows,
        formats=[c.format for c in export.columns], widths=[c.width for c in export.columns],
        transforms=[c.transform for c in export.columns], description=description, progress=progress,
    )
    workbook.close()
    return count


def params_dict(params: QueryDict) -> dict[str, list[str]]:
    """Query parameters as JSON (a job stores the filter it was asked for)."""
    return {k: params.getlist(k) for k in params}


def params_query(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in (data or {}).items():
        query.setlist(key, [str(v) for v in values])
    query._mutable = False
    return query
