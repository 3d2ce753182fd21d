"""The registry of report sections and of the kinds of problems they raise.

Each app's `report.py` registers a provider, declaring its key, order and title here and nowhere
else (the section it returns is stamped with them):

    # repairs/report.py
    from logistics.reports import registry
    from logistics.reports.facts import Section

    @registry.provider("repairs", order=20, title="校舍维修与报修服务")
    def repairs_section(school, term) -> Section | None: ...

A provider raising a problem its own way (a fault that keeps coming back, a sample not kept) also
registers that kind of problem with its wording, so a canteen problem is never worded as a repair:

    registry.problem_kind("repairs.recurring", leads=[...], detail=..., plans=[...])

The engine registers the generic kinds every app may use (overdue, open, low_rating, low_rate,
recurring, missing) in `composer.py`. `logistics.apps.LogisticsConfig.ready` imports every app's
`report.py` (as Django does admin.py), so adding a section is one file; the engine does not change.
A provider returns facts, never prose, and must not query inside a loop over records: its query
count stays the same for 10 or 10,000.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Literal, Sequence

if TYPE_CHECKING:
    from logistics.models import School, Term
    from logistics.reports.facts import Problem, Section

logger = logging.getLogger(__name__)
ProviderFn = Callable[["School", "Term"], "Section | None"]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Provider:
    key: str
    order: int
    fn: ProviderFn
    title: str


_providers: dict[str, Provider] = {}


def provider(key: str, *, order: int = 50, title: str = "") -> Callable[[ProviderFn], ProviderFn]:
    """Register `fn` as the section `key`. The function returned stamps the key, order and title on
    the section it gives, whoever calls it (the engine, a test, the CLI)."""

    def decorate(fn: ProviderFn) -> ProviderFn:
        @functools.wraps(fn)
        def stamped(school: School, term: Term) -> Section | None:
            section = fn(school, term)
            if section is not None:
                section.key, section.order, section.title = key, order, title or key
            return section

        _providers[key] = Provider(key, order, stamped, title or key)
        return stamped

    return decorate


def unregister(key: str) -> None:
    _providers.pop(key, None)


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def collect(school: School, term: Term, *, progress: Progress | None = None, only: list[str] | None = None) -> list[Section]:
    """Every registered section for `school` and `term`, in order. `progress(done, total, title)`
    is called after each provider, so a task can report section by section."""
    chosen = [p for p in providers() if only is None or p.key in only]
    sections: list[Section] = []
    for i, p in enumerate(chosen, start=1):
        section = p.fn(school, term)
        if section is not None:
            sections.append(section)
        if progress:
            progress(i, len(chosen), p.title)
    attach_events(school, term, sections, general=only is None or GENERAL_KEY in only)
    return sorted(sections, key=lambda s: (s.order, s.key))


# --- Rules that add 工作纪事 entries from an app's records ---------------------------------------------

RuleFn = Callable[["School", "Term"], None]
_rules: dict[str, RuleFn] = {}


def chronicle_rule(key: str) -> Callable[[RuleFn], RuleFn]:
    """Register `fn(school, term)`, which brings the app's rule-based 工作纪事 entries of the term up
    to date from its records (through logistics.chronicle.services). The engine runs every rule
    before it collects the sections, so providers stay read-only and their entries are told as
    events like any other."""

    def decorate(fn: RuleFn) -> RuleFn:
        _rules[key] = fn
        return fn

    return decorate


def apply_rules(school: School, term: Term) -> None:
    for key in sorted(_rules):
        _rules[key](school, term)


GENERAL_KEY = "general"
GENERAL_TITLE = "综合保障与其他工作"


def attach_events(school: School, term: Term, sections: list[Section], *, general: bool = True) -> None:
    """Give each section the term's 工作纪事 entries of its domain (one query for all sections).

    A provider that already tells an entry (an event with the same key) is not given it twice.
    Entries of a domain without a section (general work, an app not installed) make a section of
    their own, so nothing recorded is silently dropped.
    """
    from django.utils import timezone

    from logistics.chronicle.selectors import events_for
    from logistics.reports.facts import Section as SectionType

    cut = min(term.end, timezone.localdate())
    by_domain = events_for(school, term, until=cut)
    keys = {s.key for s in sections}
    for section in sections:
        told = {e.key for e in section.events} | {e.key for p in section.parts for e in p.events}
        section.events = [*section.events, *(e for e in by_domain.get(section.key, []) if e.key not in told)]
    rest = sorted((e for domain, events in by_domain.items() if domain not in keys for e in events), key=lambda e: (e.date, e.key))
    if rest and general:
        sections.append(SectionType(key=GENERAL_KEY, title=GENERAL_TITLE, order=90, events=rest, subject="综合工作"))
    # What the 纪事 records as still under way at the cut-off is a 不足 of its part.
    for section in sections:
        for e in section.events:
            if e.end_date and e.end_date > cut:
                section.problems.append(_unfinished(e))


UNFINISHED_KIND = "chronicle.unfinished"


def _unfinished(event: Any) -> Problem:
    from logistics.reports.facts import Problem as ProblemType

    # "完成实验楼屋面防水工程" is what will have been done; as a subject it is the work itself.
    subject = event.title[2:] if event.title.startswith(("完成", "开展", "做好")) and len(event.title) > 4 else event.title
    return ProblemType(f"chronicle.unfinished.{event.key}", UNFINISHED_KIND, subject, value=event.end_date.toordinal(),
                       link=event.link, weight=1.3)


def _unfinished_detail(problem: Problem, ctx: Any) -> str:
    import datetime as dt

    due = dt.date.fromordinal(int(problem.value))
    return f"该项工作计划于{due.month}月{due.day}日完成，{ctx.until}尚在进行中。"


# --- Kinds of problems ------------------------------------------------------------------------------

# detail(problem, context) -> the sentence after the lead; `context` is the composer's Context.
Detail = Callable[["Problem", Any], str]


@dataclass(frozen=True)
class ProblemKind:
    """How one kind of problem is written in 存在的不足 and 下学期工作打算.

    leads: "{subject}…" frames for the item's first sentence (one is picked in rotation);
    detail: writes the figures of one problem (count, share, rating, rate) as the rest of the item;
    plans: frames for the plan that answers it, with {subject}, {count} and {target};
    measured_by: "count" (worth a line when count is not zero) or "value" (when a value is known).
    """

    key: str
    leads: tuple[str, ...]
    detail: Detail
    plans: tuple[str, ...]
    measured_by: Literal["count", "value"] = "count"

    def present(self, problem: Problem) -> bool:
        return problem.value is not None if self.measured_by == "value" else bool(problem.count)


_problem_kinds: dict[str, ProblemKind] = {}


def problem_kind(
    key: str, *, leads: Sequence[str], detail: Detail, plans: Sequence[str], measured_by: Literal["count", "value"] = "count"
) -> ProblemKind:
    """Register (or replace) a kind of problem and its wording; providers name it in `Problem.kind`."""
    if not leads or not plans:
        raise ValueError(f"problem kind {key!r} needs at least one lead and one plan")
    kind = ProblemKind(key, tuple(leads), detail, tuple(plans), measured_by)
    _problem_kinds[key] = kind
    return kind


def unregister_problem_kind(key: str) -> None:
    _problem_kinds.pop(key, None)


def problem_kind_of(key: str) -> ProblemKind:
    try:
        return _problem_kinds[key]
    except KeyError:
        raise LookupError(f"the problem kind {key!r} is not registered: register it with registry.problem_kind(...)") from None


problem_kind(
    UNFINISHED_KIND,
    leads=["{subject}尚未完成", "{subject}仍在进行"],
    detail=_unfinished_detail,
    plans=["跟踪{subject}的进度，按期完成并组织验收。", "督促{subject}按计划推进，完工后及时验收并记入工作纪事。"],
    measured_by="value",
)
