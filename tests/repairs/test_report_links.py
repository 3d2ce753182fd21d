"""The term report's figures open exactly the tickets they count.

The demo school's report is composed as the preview shows it; every figure linked to the ticket list
is followed as the principal (who sees every ticket) and the list's count must equal the figure.
Both terms are checked: the current one, still running (cut off now), and the previous one, over
(cut off at its end), with tickets finished, accepted and cancelled in the holidays after it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from logistics import lists
from logistics.models import Room, School, Term, User
from logistics.reports import numbers
from logistics.reports.facts import Section
from logistics.reports.services import compose_term
from repairs.models import Category, Status, Ticket, Urgency
from tests.reports import factories
from tests.reports.factories import ticket

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r"^(\d+)(件|次)$")


@pytest.fixture
def demo() -> School:
    call_command("seed_demo", stdout=io.StringIO())
    return School.objects.get(code="demo")


@pytest.fixture
def principal(demo: School) -> User:
    return User.objects.get(username="principal")


def _edge_tickets(school: School, term: Term, monkeypatch: Any) -> None:
    """Tickets of `term` whose fate was settled after it ended, which the report counts as they were
    at its end (unfinished, late, not yet accepted), and so must the links; a duplicate merged in
    term, counted nowhere; and a poorly rated category, so the report has a low-rating problem."""
    monkeypatch.setitem(factories._counter, "n", 900_000)  # numbers clear of the demo's
    rooms = list(Room.objects.for_school(school).order_by("pk")[:2])
    reporter = User.objects.get(username="teacher")
    water, other = (Category.objects.get(school=school, name=name) for name in ("水", "其他"))
    last_day = term.end - dt.timedelta(days=2)
    day = dt.timedelta(hours=24)
    # Done in the holidays, after its deadline: unfinished and overdue at the end of term.
    ticket(school=school, room=rooms[0], reporter=reporter, cat=water, day=last_day, status=Status.DONE, dispatch_after=1, done_after=24 * 6)
    # Done in term, accepted and rated in the holidays: done, but neither accepted nor rated, at its end.
    accepted = ticket(school=school, room=rooms[0], reporter=reporter, cat=other, day=last_day, status=Status.ACCEPTED,
                      dispatch_after=1, done_after=5, rating=1)
    Ticket.objects.filter(pk=accepted.pk).update(accepted_at=accepted.done_at + 5 * day)
    # Withdrawn in the holidays.
    cancelled = ticket(school=school, room=rooms[1], reporter=reporter, cat=water, day=last_day, status=Status.CANCELLED,
                       urgency=Urgency.URGENT)
    Ticket.objects.filter(pk=cancelled.pk).update(cancelled_at=cancelled.submitted_at + 4 * day)
    ticket(school=school, room=rooms[0], reporter=reporter, cat=water, day=last_day, status=Status.MERGED)
    for offset in range(4):
        ticket(school=school, room=rooms[1], reporter=reporter, cat=other, day=term.start + dt.timedelta(days=20 + offset),
               status=Status.ACCEPTED, dispatch_after=1, done_after=30, rating=1)


def _report(school: School, term: Term) -> tuple[list[tuple[str, str, str]], Section]:
    """(block key, figure as written, url) for every figure of the report linked to the ticket list,
    and the repairs section the figures came from."""
    composed, sections = compose_term(school, term)
    ticket_list = reverse("repairs:ticket-list")
    links = [(b.key, figure, url) for b in composed.blocks for figure, url in b.links if url.split("?")[0] == ticket_list]
    return links, next(s for s in sections if s.key == "repairs")


def _listed(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["form"]
    assert not form.errors, (url, form.errors)
    page = response.context["page"]
    assert not page.count_capped, url
    return page.count


def _counting_links(section: Section) -> tuple[list[str], set[str]]:
    """The figures of the section that count tickets and have no link; the links of those that do."""
    facts = [f for f in section.facts if f.present and f.kind == "count" and f.unit in ("件", "次")]  # not 小时, not material units
    items = [i for p in section.parts if p.ranking for i in p.ranking.items if i.value]
    problems = [p for p in section.problems if p.count]
    unlinked = [f.key for f in facts if not f.link] + [i.label for i in items if not i.link] + [p.key for p in problems if not p.link]
    # The text names every present fact and the first three categories (and only the weightiest problems).
    urls = {x.link.url for x in (*facts, *items[:3]) if x.link}
    return unlinked, urls


@pytest.mark.parametrize("which", ["current", "previous"])
def test_every_linked_figure_opens_exactly_the_tickets_it_counts(which: str, demo: School, principal: User, client_for: Any,
                                                                   monkeypatch: Any) -> None:
    monkeypatch.setattr(lists, "COUNT_CAP", 100_000)
    current = Term.objects.for_school(demo).current()
    term = current if which == "current" else current.previous()
    if which == "previous":
        _edge_tickets(demo, term, monkeypatch)
    figures, section = _report(demo, term)
    client = client_for(principal)
    wrong = []
    for key, figure, url in figures:
        match = FIGURE.match(figure)
        assert match, f"{key}: {figure} is linked to the ticket list but counts no tickets"
        listed = _listed(client, url)
        if listed != int(match.group(1)):
            wrong.append(f"{key}: {figure} opens {listed} ({url})")
    assert not wrong, "\n".join(wrong)

    # Every figure that counts tickets has its link, and the report carries it.
    unlinked, urls = _counting_links(section)
    assert not unlinked
    assert urls <= {url for _key, _figure, url in figures}
    # The figures the issue named are among them.
    keys = {key for key, _figure, _url in figures}
    assert {"opening", "s.repairs.intake.p", "s.repairs.categories.p", "s.repairs.acceptance.p", "problems.repairs.overdue",
            "problems.repairs.open"} <= keys
    assert any(k.startswith("problems.repairs.recurring.") for k in keys)
    if which == "previous":
        assert any(k.startswith("problems.repairs.rating.") for k in keys)


def test_a_finished_term_counts_what_was_settled_only_after_it_as_it_stood_at_its_end(demo: School, monkeypatch: Any) -> None:
    term = Term.objects.for_school(demo).current().previous()
    before = {f.key: f.value for f in _report(demo, term)[1].facts}
    problems = {p.key: p.count for p in _report(demo, term)[1].problems}
    _edge_tickets(demo, term, monkeypatch)
    _figures, section = _report(demo, term)
    after = {f.key: f.value for f in section.facts}
    after_problems = {p.key: p.count for p in section.problems}
    assert after["repairs.received"] == before["repairs.received"] + 7  # the merged duplicate is not counted
    assert after["repairs.done"] == before["repairs.done"] + 5  # not the one done in the holidays
    assert after["repairs.accepted"] == before["repairs.accepted"] + 4  # not the one accepted in the holidays
    assert after["repairs.cancelled"] == before["repairs.cancelled"] + 1
    assert after_problems["repairs.open"] == problems.get("repairs.open", 0) + 1
    assert after_problems["repairs.overdue"] == problems.get("repairs.overdue", 0) + 1


BAD = {"room": "12345678901234567890123", "done_by": "9999-12-31", "accepted_by": "0001-01-01", "unfinished_at": "2026-13-45",
       "late_at": "abc", "status": "not_a_status"}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_report_filter_is_a_form_error_and_is_ignored(name: str, client_for: Any, logistics_admin: Any, school: School) -> None:
    response = client_for(logistics_admin).get(reverse("repairs:ticket-list"), {name: BAD[name]})
    assert response.status_code == 200
    assert response.context["form"].errors[name]
    assert 'data-filter-notes' not in response.content.decode()


def test_a_report_filter_is_named_above_the_list_and_kept_when_the_form_is_sent(client_for: Any, logistics_admin: Any,
                                                                                 school: School, room: Room) -> None:
    response = client_for(logistics_admin).get(reverse("repairs:ticket-list"), {"room": room.pk, "unfinished_at": "2026-11-20",
                                                                                 "category": "", "page": "2"})
    html = response.content.decode()
    assert f'<input type="hidden" name="room" value="{room.pk}">' in html
    assert '<input type="hidden" name="unfinished_at" value="2026-11-20">' in html
    notes = response.context["form"].notes
    assert [(n["label"], n["value"]) for n in notes] == [("房间", str(room)), ("未办结，截至", "2026-11-20")]
    assert notes[0]["rest"] == "unfinished_at=2026-11-20&category="  # its remove link keeps the others, not the page
