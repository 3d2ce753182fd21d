"""Numbers as a Chinese office writes them: 312件, 95.5%, 8650元, 3.25万元, 一、二…十二."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from logistics.reports.facts import Fact, Number

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (for headings 一、 and （一）)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def _trim(d: Decimal) -> str:
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def integer(n: Number) -> str:
    """Counts: plain below ten thousand (312), grouped from there (12,345)."""
    value = int(Decimal(str(n)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return f"{value:,}" if abs(value) >= 10000 else str(value)


def decimal1(n: Number) -> str:
    """One decimal, dropped when it is zero: 3.5, 4, 12.3."""
    return _trim(Decimal(str(n)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(n: Number) -> str:
    """95.5%, 100%, 0.8%."""
    return f"{decimal1(n)}%"


def money(n: Number) -> str:
    """8650元, 486.5元, 3.25万元, 128万元: 万元 from ten thousand, two decimals at most."""
    d = Decimal(str(n))
    if abs(d) >= 10000:
        return f"{_trim((d / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}万元"
    return f"{_trim(d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}元"


def hours(n: Number) -> str:
    """Durations in hours: under two days in hours (3.5小时), else in days (2.5天)."""
    h = float(n)
    if h >= 48:
        return f"{decimal1(h / 24)}天"
    return f"{decimal1(h)}小时"


def value(kind: str, n: Number, unit: str = "") -> str:
    """A value with its unit, as it stands in a sentence."""
    if kind == "money":
        return money(n)
    if kind == "rate":
        return percent(n)
    if kind == "hours":
        return hours(n)
    if kind == "score":
        return f"{decimal1(n)}{unit or '分'}"
    return f"{integer(n)}{unit}"


def fact(f: Fact) -> str:
    assert f.value is not None
    return value(f.kind, f.value, f.unit)


def plain(kind: str, n: Number | None) -> str:
    """A table cell: no unit (the column header has it)."""
    if n is None or n == "":
        return "—"
    if kind == "money":
        return f"{Decimal(str(n)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    if kind == "rate":
        return f"{Decimal(str(n)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"  # a column keeps one decimal: 98.0%
    if kind == "score":
        return f"{Decimal(str(n)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
    if kind == "hours":
        return decimal1(n)
    if kind == "count":
        return integer(n)
    return str(n)
