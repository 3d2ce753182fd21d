"""The vocabulary providers speak: facts, rankings, problems, tables, charts and record sheets.

A provider (each app's `report.py`) returns one `Section` of these for a school and a term. They
are data, never prose: labels are noun or verb-object phrases ("受理报修", "空调类报修") that the
composer puts into sentences. Every figure can carry a `Link` to the list of records it counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Literal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

Number = int | float | Decimal
# How a value is written: count → 312件; money → 3.25万元; rate → 95.5%; hours → 3.5小时; score → 4.6分
Kind = Literal["count", "money", "rate", "hours", "score"]


@dataclass(frozen=True)
class Link:
    """The list view (URL name, args and query parameters) that shows the records behind a figure."""

    url_name: str
    params: dict[str, Any] = field(default_factory=dict)
    args: tuple[Any, ...] = ()

    @property
    def url(self) -> str | None:
        try:
            base = reverse(self.url_name, args=self.args)
        except NoReverseMatch:
            return None
        params = {k: v for k, v in self.params.items() if v not in (None, "")}
        return f"{base}?{urlencode(params, doseq=True)}" if params else base

    def with_params(self, **params: Any) -> Link:
        return Link(self.url_name, {**self.params, **params}, self.args)


@dataclass(frozen=True)
class Fact:
    """One figure: `label` reads before the number ("受理报修" 312 "件")."""

    key: str
    label: str
    value: Number | None
    kind: Kind = "count"
    unit: str = "件"
    previous: Number | None = None  # the same figure last term; None = no previous term or not comparable
    link: Link | None = None
    previous_link: Link | None = None  # last term's records, linked from the comparison
    # `previous` is of the whole of last term even while this one runs (a stocktake's rate against last
    # term's count): never "上学期同期".
    whole_previous_term: bool = False
    headline: bool = False  # worth citing in the opening paragraph
    # For rates: the figure is only meaningful when its base is not zero (completion rate of 0 tickets).
    base: Number | None = None
    sentence_break: bool = False  # start a new sentence with this figure
    note: str = ""  # written right after the figure, e.g. what the rate's base leaves out: "（不含报修人撤销的工单）"

    @property
    def present(self) -> bool:
        """Whether the figure is worth a sentence: zero, empty and base-less rates are left out."""
        if self.value is None:
            return False
        if self.kind == "rate":
            return self.base is None or bool(self.base)
        return bool(self.value)


@dataclass(frozen=True)
class RankItem:
    label: str
    value: Number
    link: Link | None = None
    previous: Number | None = None


@dataclass(frozen=True)
class Ranking:
    """A ranked list ("by category: 水电 86, 门窗 54 …"), largest first."""

    key: str
    label: str  # what is ranked, e.g. "报修类别"
    items: list[RankItem]
    kind: Kind = "count"
    unit: str = "件"


@dataclass(frozen=True)
class Problem:
    """Something overdue, missing, unfinished or poorly rated, for 存在的不足 and 下学期工作打算.

    `kind` names a registered kind of problem (`registry.problem_kind`), which carries its wording.
    The engine's generic kinds: overdue (done late or still open past the deadline), open
    (unfinished at term end), low_rating (a score below what is expected), low_rate (a rate below a
    target), recurring (the same place or item again and again), missing (records that should exist
    and do not). An app registers its own kind when the generic wording would not fit
    ("repairs.recurring": reported again and again).
    """

    key: str
    kind: str
    subject: str  # noun phrase: "报修工单", "空调类报修", "教学楼A栋A203"
    count: Number | None = None
    total: Number | None = None
    value: Number | None = None  # a rating or a rate
    target: Number | None = None
    unit: str = "件"
    total_label: str = ""  # what `total` counts, for "占已完成工单的7.7%"
    link: Link | None = None
    weight: float = 1.0  # ordering: the larger the more serious


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    kinds: list[Kind | Literal["text"]] = field(default_factory=list)  # per column, for formatting


@dataclass(frozen=True)
class Chart:
    """A chart for the Word document: bars (grouped when several series) or a line."""

    key: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[Number]]]
    style: Literal["bar", "barh", "line"] = "bar"
    unit: str = "件"


@dataclass(frozen=True)
class Sheet:
    """The records behind a section's figures, for the Excel annex (one sheet per section)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    kinds: list[Literal["text", "int", "money", "decimal", "date", "datetime", "rate"]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Event:
    """One notable piece of work of the term (a 工作纪事 entry, or what an app's rule finds notable):
    told in time order with its month ("10月，维修运动场看台座椅46个"). `title` is a verb-object
    phrase; the figures follow it: quantity with unit, money, people."""

    key: str
    date: dt.date
    title: str
    end_date: dt.date | None = None
    amount: Number | None = None
    quantity: Number | None = None
    unit: str = ""
    people_count: int | None = None
    kind: str = "other"  # the chronicle kind key (project, event_support, …)
    kind_name: str = ""
    domain: str = "general"
    link: Link | None = None
    by_rule: bool = False  # added by an app's rule (a person's entries are told first)


@dataclass
class Part:
    """A (一)(二) part of a section: a heading noun, its facts, an optional ranking, table, items."""

    key: str
    title: str
    facts: list[Fact] = field(default_factory=list)
    ranking: Ranking | None = None
    table: Table | None = None
    chart: Chart | None = None
    items: list[Part] = field(default_factory=list)  # 1. 2. items, same shape
    events: list[Event] = field(default_factory=list)  # told first, month by month
    note: str = ""  # a sentence of the provider's own, after the facts (already prose: "更换日光灯管36支、…")

    @property
    def present(self) -> bool:
        return (
            bool(self.events)
            or bool(self.note)
            or any(f.present for f in self.facts)
            or bool(self.ranking and any(i.value for i in self.ranking.items))
            or any(i.present for i in self.items)
        )


@dataclass
class Section:
    """What one provider knows about one term: parts of facts, problems, open items, annex sheets."""

    # key, title (the 一、 heading) and order are declared once, at registration; the registry stamps
    # them on the section a provider returns (see registry.provider).
    key: str = ""
    title: str = ""
    order: int = 50
    placement: Literal["body", "opening"] = "body"  # "opening": facts go into the opening paragraph
    parts: list[Part] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    # The annex lists, built only when an Excel annex is written (the Word report never needs them).
    annex: Callable[[], list[Sheet]] | None = None
    subject: str = ""  # what the section is about when it is empty, e.g. "报修"
    period: tuple[dt.date, dt.date] | None = None
    # The term's notable work for this part of the report (工作纪事 entries of the section's key as
    # domain, attached by the engine after the provider ran; a provider may add its own). Told first,
    # month by month, unless a part of the section carries them itself.
    events: list[Event] = field(default_factory=list)
    # For a term still running: True when `previous` figures cover the same span of the previous
    # term (its first N days). Otherwise the composer leaves comparisons out while the term runs.
    same_span: bool = False
    events_title: str = "主要工作"  # the heading of the part that tells the events

    @property
    def facts(self) -> list[Fact]:
        out: list[Fact] = []
        stack = list(self.parts)
        while stack:
            part = stack.pop(0)
            out.extend(part.facts)
            stack[:0] = part.items
        return out

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)

    @property
    def present(self) -> bool:
        return bool(self.events) or any(p.present for p in self.parts)

    def all_sheets(self) -> list[Sheet]:
        return [*self.sheets, *(self.annex() if self.annex else [])]


def rate(part: Number | None, whole: Number | None) -> float | None:
    """part / whole as a percentage, None when there is nothing to divide by."""
    if not whole or part is None:
        return None
    return float(part) * 100.0 / float(whole)


def term_bounds(term: Any) -> tuple[dt.datetime, dt.datetime]:
    """The term as a half-open range of aware datetimes: [first day 00:00, day after the last 00:00)."""
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(term.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(term.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def hours_of(duration: Any) -> float | None:
    """An aggregated duration (timedelta, or microseconds on some backends) in hours."""
    if duration is None:
        return None
    if isinstance(duration, dt.timedelta):
        return duration.total_seconds() / 3600
    return float(duration) / 3_600_000_000
