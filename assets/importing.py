"""Reading a school's own asset ledger from Excel (the 资产清查 column set, Chinese headers) into rows
the import service can register, with every problem named by sheet and row.

Ledgers kept by hand differ in every school, so nothing here relies on a column's position:

- the header row is found by its names (资产编号 or 财产编号, 原值 or 金额…, see `HEADERS`), below any
  title and 填报单位 rows; a sheet with no such row (填表说明) or without a class-code column (a
  低值易耗品 list) is skipped and said so;
- a merged cell (存放地点 over a room's lines) holds its value for every line it covers;
- dates come as Excel dates or as text in any usual form (2019-09-01, 2019.9.1, 2019.09, 2019年9月,
  19/9/1, 20190901), a warranty also as a span (3年); amounts with 元, ¥, commas, spaces or
  full-width digits;
- blank rows and 小计/合计 rows (also written 合　计) are skipped;
- a formula is read as its text, never evaluated (the workbook is opened without computed values).

`read_ledger()` only reads and checks what a row says by itself (dates, amounts, the class code's
form); what needs the school (rooms, people, duplicates, the threshold) is checked by
`assets.services.importing`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _

# field: the header names schools use for it (compared without spaces and units)
HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "number": ("资产编号", "财产编号", "卡片编号", "编号", "资产编码"),
    "class_code": ("分类代码", "国标分类号", "分类号", "资产分类代码", "类别代码", "国标代码", "分类编码"),
    "name": ("资产名称", "财产名称", "名称", "物品名称", "设备名称"),
    "spec": ("规格型号", "型号及规格", "规格", "型号", "品牌型号"),
    "unit": ("计量单位", "单位"),
    "quantity": ("数量",),
    "unit_price": ("单价",),
    "amount": ("金额", "原值", "总价", "价值", "账面原值"),
    "acquisition": ("取得方式", "来源方式", "增加方式"),
    "acquired_on": ("取得日期", "购置日期", "购入日期", "购买日期"),
    "booked_on": ("入账日期", "记账日期"),
    "funding": ("经费来源", "资金来源"),
    "department": ("使用部门", "部门", "管理部门"),
    "location": ("存放地点", "地点", "存放位置", "位置", "房间"),
    "custodian": ("使用人", "保管人", "领用人", "责任人"),
    "status": ("使用状况", "使用状态", "状态"),
    "warranty": ("保修截止", "保修期", "保修到期", "保修截止日期"),
    "supplier": ("供应商", "供货单位", "销售单位"),
    "invoice": ("发票号", "发票号码"),
    "remarks": ("备注", "说明"),
}
REQUIRED = ("class_code", "name")
HEADER_SCAN_ROWS = 15
TOTAL_ROW = re.compile(r"^(小计|合计|总计|本页合计|累计)")
CLASS_CODE = re.compile(r"^[A-Z]\d{8}$")
OLD_CLASS_CODE = re.compile(r"^\d{7}$")
CENT = Decimal("0.01")


def _clean(value: Any) -> str:
    """Text as a person means it: full-width digits and letters made ordinary (NFKC), every kind of
    space and line break removed at the ends."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return text.strip().strip("\u3000").strip()


def _header_key(value: Any) -> str:
    text = re.sub(r"\s+", "", _clean(value))
    return re.sub(r"[（(](元|万元|年|月)[)）]$", "", text)


_LOOKUP = {name: key for key, names in HEADERS.items() for name in names}


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    class_code_bad: bool = False  # its class code's form is already reported
    resolved: dict[str, Any] = field(default_factory=dict)  # the school's objects it names (services.importing)

    @property
    def where(self) -> str:
        return _("%(sheet)s, row %(row)d") % {"sheet": self.sheet, "row": self.row}


@dataclass
class Ledger:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets skipped, rows skipped, and why
    skipped_rows: int = 0


# --- Values ----------------------------------------------------------------------------------------

def parse_amount(value: Any) -> Decimal | None:
    """6400, 6,400.00, 6400元, ¥6400, " 6400", ６４００ → Decimal('6400.00'); None when empty; ValueError
    when it is not an amount."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(CENT)
    text = re.sub(r"[\s,，元¥￥]", "", _clean(value))
    if not text:
        return None
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        raise ValueError(value) from None


def parse_quantity(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = re.sub(r"[\s,，]", "", _clean(value))
    match = re.fullmatch(r"(\d+)(?:\.0+)?[^\d]*", text)  # "800套" counts 800
    if not match:
        raise ValueError(value)
    return int(match.group(1))


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_date(value: Any) -> dt.date | None:
    """An Excel date, or text: 2019-09-01, 2019/9/1, 2019.9.1, 2019.09 (the 1st), 2019年9月(1日),
    19/9/1, 20190901. None when empty; ValueError when it cannot be a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = re.sub(r"\s", "", _clean(value))
    if not text:
        return None
    patterns = (
        r"(\d{4}|\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?",
        r"(\d{4})[-/.年](\d{1,2})月?",
        r"(\d{4})(\d{2})(\d{2})",
    )
    for pattern in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            parts = match.groups()
            try:
                return dt.date(_year(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
            except ValueError:
                raise ValueError(value) from None
    raise ValueError(value)


def parse_warranty(value: Any, acquired: dt.date | None) -> dt.date | None:
    """A date, or a span from the acquisition: 3年, 36个月."""
    text = re.sub(r"\s", "", _clean(value)) if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d+)(年|个月|月)", text)
    if match:
        if acquired is None:
            raise ValueError(value)
        months = int(match.group(1)) * (12 if match.group(2) == "年" else 1)
        year, month = divmod(acquired.month - 1 + months, 12)
        day = min(acquired.day, 28)
        return dt.date(acquired.year + year, month + 1, day)
    return parse_date(value)


# --- Sheets ----------------------------------------------------------------------------------------

def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """The row (index) that names the most known columns, with {field: column index}."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            key = _LOOKUP.get(_header_key(cell))
            if key and key not in columns:
                columns[key] = col
        if len(columns) >= 4 and "name" in columns and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best


def _unmerged(ws: Any) -> list[list[Any]]:
    """The sheet's values with every merged range's value copied into each cell it covers."""
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(values) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(values[r]):
                    values[r][c] = top
    return values


def _is_total(values: dict[str, Any]) -> bool:
    for key in ("seq", "number", "name", "class_code"):
        text = re.sub(r"\s", "", _clean(values.get(key)))
        if TOTAL_ROW.match(text):
            return True
    return False


def read_ledger(file: IO[bytes] | str) -> Ledger:
    """Every asset line of every ledger sheet in the workbook, each with the problems it shows by itself."""
    ledger = Ledger()
    try:
        # Not read-only: merged ranges are needed. Not data_only: a formula stays its text, never a value.
        workbook = openpyxl.load_workbook(file, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not an .xlsx workbook
        ledger.notes.append(_("The file could not be read as an Excel workbook (.xlsx)."))
        return ledger
    for ws in workbook.worksheets:
        values = _unmerged(ws)
        header = _find_header(values)
        if header is None:
            ledger.notes.append(_("Sheet “%(sheet)s”: no ledger header (资产名称, 分类代码…) found; skipped.") % {"sheet": ws.title})
            continue
        header_index, columns = header
        if "class_code" not in columns:
            ledger.notes.append(_("Sheet “%(sheet)s” has no class-code column (a consumables list?); skipped.") % {"sheet": ws.title})
            continue
        for offset, raw in enumerate(values[header_index + 1:], start=header_index + 2):
            cells = {key: (raw[col] if col < len(raw) else None) for key, col in columns.items()}
            if all(_clean(v) == "" for v in cells.values() if not isinstance(v, (int, float, dt.date))) and not any(
                    isinstance(v, (int, float, dt.date)) for v in cells.values()):
                continue  # a blank line between rooms
            if _is_total(cells):
                ledger.skipped_rows += 1
                continue
            ledger.rows.append(_read_row(ws.title, offset, cells))
    return ledger


def _read_row(sheet: str, number: int, cells: dict[str, Any]) -> Row:
    row = Row(sheet=sheet, row=number)
    v = row.values
    v["number"] = _clean(cells.get("number"))
    code = re.sub(r"\s", "", _clean(cells.get("class_code"))).upper()
    if isinstance(cells.get("class_code"), float) and cells["class_code"].is_integer():
        code = str(int(cells["class_code"]))
    v["class_code"] = code
    row.class_code_bad = not CLASS_CODE.fullmatch(code)
    if not code:
        row.problems.append(_("No class code."))
    elif OLD_CLASS_CODE.fullmatch(code):
        row.problems.append(_("Class code %(code)s is of the 2010 edition; give the GB/T 14885-2022 code (a letter and 8 digits).")
                            % {"code": code})
    elif not CLASS_CODE.fullmatch(code):
        row.problems.append(_("Unknown class code %(code)s (a class code is a capital letter and 8 digits).") % {"code": code})
    v["name"] = re.sub(r"\s+", " ", _clean(cells.get("name")))
    if not v["name"]:
        row.problems.append(_("No asset name."))
    for key in ("spec", "unit", "acquisition", "funding", "department", "location", "custodian", "status", "supplier", "invoice", "remarks"):
        v[key] = re.sub(r"\s+", " ", _clean(cells.get(key)))
    try:
        v["quantity"] = parse_quantity(cells.get("quantity")) or 1
        if v["quantity"] < 1:
            raise ValueError
    except ValueError:
        v["quantity"] = None
        row.problems.append(_("Quantity “%(value)s” is not a whole number of at least 1.") % {"value": _clean(cells.get("quantity"))})
    amounts: dict[str, Decimal | None] = {}
    unreadable = False
    for key in ("unit_price", "amount"):
        try:
            amounts[key] = parse_amount(cells.get(key))
        except ValueError:
            amounts[key], unreadable = None, True
            row.problems.append(_("“%(value)s” is not an amount.") % {"value": _clean(cells.get(key))})
    price, amount, quantity = amounts["unit_price"], amounts["amount"], v["quantity"]
    if amount is None and price is not None and quantity:
        amount = (price * quantity).quantize(CENT)
    if price is not None and amount is not None and quantity and abs(price * quantity - amount) >= CENT:
        row.problems.append(_("Quantity × unit price (%(q)s × %(p)s = %(total)s) is not the amount %(amount)s.") % {
            "q": quantity, "p": f"{price:,.2f}", "total": f"{price * quantity:,.2f}", "amount": f"{amount:,.2f}"})
    if amount is None and not unreadable:
        row.problems.append(_("No original value (amount or unit price)."))
    v["original_value"] = amount
    bad_date = False
    for key in ("acquired_on", "booked_on"):
        try:
            v[key] = parse_date(cells.get(key))
        except ValueError:
            v[key], bad_date = None, True
            row.problems.append(_("“%(value)s” is not a date.") % {"value": _clean(cells.get(key))})
    if v["acquired_on"] is None and v["booked_on"] is not None:
        v["acquired_on"] = v["booked_on"]
    if v["acquired_on"] is None and not bad_date:
        row.problems.append(_("No acquisition date."))
    try:
        v["warranty_until"] = parse_warranty(cells.get("warranty"), v["acquired_on"])
    except ValueError:
        v["warranty_until"] = None
        row.problems.append(_("Warranty “%(value)s” is neither a date nor a span such as 3年.") % {"value": _clean(cells.get("warranty"))})
    return row
