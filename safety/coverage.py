"""Who on the staff was trained this school year (安全教育: every member of staff at least once a year,
new staff before they start, 61号令), read from the attendees named on training sessions.

The school year runs from 1 August (a summer induction before the first term counts for the year it
prepares) to 31 July. Staff are the school's active members with the staff role (a district viewer is
not staff). New staff are those whose start date (Membership.started_on) falls in the school year; they were
trained before starting when they attended a session on or before that day (up to a year earlier).
Four queries whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from logistics.models import Membership, Role, School, Term

from safety.models import Training

LOOK_BACK = dt.timedelta(days=365)  # a training this long before the start day still counts as before starting


def school_year(school: School, on: dt.date) -> tuple[int, dt.date, dt.date]:
    """(the year it starts in, 1 August, 31 July) of the school year `on` falls in: the term's year when
    a term holds the day, else by the calendar."""
    term = Term.objects.for_school(school).filter(start__lte=on, end__gte=on).only("year").first()
    year = term.year if term else (on.year if on.month >= 8 else on.year - 1)
    return year, dt.date(year, 8, 1), dt.date(year + 1, 7, 31)


def year_of_term(term: Term) -> tuple[int, dt.date, dt.date]:
    return term.year, dt.date(term.year, 8, 1), dt.date(term.year + 1, 7, 31)


@dataclass
class Person:
    membership: Membership
    trainings: list[dt.date] = field(default_factory=list)  # attended this school year, up to the cut, oldest first
    started_on: dt.date | None = None
    first_before_start: dt.date | None = None  # the last session attended on or before the start day

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def trained(self) -> bool:
        return bool(self.trainings)

    @property
    def last_trained(self) -> dt.date | None:
        return self.trainings[-1] if self.trainings else None

    @property
    def trained_before_start(self) -> bool:
        return self.first_before_start is not None


@dataclass
class Coverage:
    year: int
    start: dt.date
    end: dt.date
    cut: dt.date
    people: list[Person]

    @property
    def label(self) -> str:
        return f"{self.year}—{self.year + 1}"

    @property
    def staff(self) -> int:
        return len(self.people)

    @property
    def trained(self) -> list[Person]:
        return [p for p in self.people if p.trained]

    @property
    def untrained(self) -> list[Person]:
        return [p for p in self.people if not p.trained]

    @property
    def new_staff(self) -> list[Person]:
        return [p for p in self.people if p.started_on is not None and self.start <= p.started_on <= self.end]

    @property
    def new_trained(self) -> list[Person]:
        return [p for p in self.new_staff if p.trained_before_start]

    @property
    def new_untrained(self) -> list[Person]:
        """New staff not trained before starting (those starting later included: they still need it)."""
        return [p for p in self.new_staff if not p.trained_before_start]

    @property
    def rate(self) -> float | None:
        return len(self.trained) * 100 / self.staff if self.staff else None


def training_coverage(school: School, *, year: tuple[int, dt.date, dt.date] | None = None, cut: dt.date | None = None) -> Coverage:
    """The school year's coverage up to `cut` (today by default): three queries."""
    today = timezone.localdate()
    cut = cut or today
    number, start, end = year or school_year(school, cut)
    cut = min(cut, end)
    members = list(Membership.objects.for_school(school).filter(is_active=True, user__is_active=True, roles__name=Role.STAFF)
                   .select_related("user", "department").order_by("department__name", "user__full_name", "user__username"))
    starts = {m.user_id: m.started_on for m in members if m.started_on}
    first_start = min([d for d in starts.values() if d >= start] or [start])
    attended = (Training.attendees.through.objects
                .filter(training__school=school, training__day__gte=min(start, first_start - LOOK_BACK), training__day__lte=max(cut, end))
                .values_list("user_id", "training__day").order_by("training__day"))
    days: dict[int, list[dt.date]] = {}
    for user_id, day in attended:
        days.setdefault(user_id, []).append(day)
    people = []
    for m in members:
        mine = days.get(m.user_id, [])
        person = Person(m, trainings=[d for d in mine if start <= d <= cut], started_on=starts.get(m.user_id))
        if person.started_on is not None:
            before = [d for d in mine if person.started_on - LOOK_BACK <= d <= min(person.started_on, cut)]
            person.first_before_start = before[-1] if before else None
        people.append(person)
    return Coverage(number, start, end, cut, people)
