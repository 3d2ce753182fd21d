"""The registry of report sections. Each app's `report.py` registers a provider:

    # repairs/report.py
    from logistics.reports import registry
    from logistics.reports.facts import Section

    @registry.provider("repairs", order=20)
    def repairs_section(school, term) -> Section | None: ...

`logistics.apps.LogisticsConfig.ready` imports every app's `report.py` (as Django does admin.py),
so adding a section is one file; the engine does not change. A provider returns facts, never prose,
and must not query inside a loop over records: its query count stays the same for 10 or 10,000.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from logistics.models import School, Term
    from logistics.reports.facts import Section

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
    def decorate(fn: ProviderFn) -> ProviderFn:
        _providers[key] = Provider(key, order, fn, title or key)
        return fn

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
            progress(i, len(chosen), section.title if section is not None else p.title)
    return sorted(sections, key=lambda s: (s.order, s.key))
