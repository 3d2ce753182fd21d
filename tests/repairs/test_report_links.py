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
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from logistics import lists
from logistics.models import Room, School, Term, User
from logistics.reports.facts import Section
from logistics.reports.services import compose_term, report_generate
from logistics.reports.writers.html import linked_text
from repairs.models import Category, Status, Ticket, Urgency
from tests.reports import factories
from tests.reports.factories import ticket

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r"^(\d+)(件|次)$")
LINKED = re.compile(r'<a href="([^"]+)" class="report-figure" data-figure>([^<]+)</a>')


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


def _report(school: School, term: Term) -> Section:
    return next(s for s in compose_term(school, term)[1] if s.key == "repairs")


def _preview(client: Any, school: School, term: Term) -> str:
    """The draft's preview page as the principal reads it (the office generates the draft)."""
    report = report_generate(school=school, term=term, by=User.objects.get(username="logistics"))
    response = client.get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _figures(page: str) -> list[tuple[str, str]]:
    """(figure, url) of every figure of the preview linked to the ticket list."""
    ticket_list = reverse("repairs:ticket-list")
    found = [(figure, unescape(href)) for href, figure in LINKED.findall(page)]
    return [(figure, url) for figure, url in found if url.split("?")[0] == ticket_list]


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
    client = client_for(principal)
    page = _preview(client, demo, term)
    figures = _figures(page)
    wrong = []
    for figure, url in figures:
        match = FIGURE.match(figure)
        assert match, f"{figure} is linked to the ticket list but counts no tickets ({url})"
        listed = _listed(client, url)
        if listed != int(match.group(1)):
            wrong.append(f"{figure} opens {listed} ({url})")
    assert not wrong, "\n".join(wrong)

    # Every figure that counts tickets has its link, and the preview puts it on that figure.
    section = _report(demo, term)
    unlinked, urls = _counting_links(section)
    assert not unlinked
    assert urls <= {url for _figure, url in figures}
    for fact in section.facts:
        if fact.link and fact.present:
            assert f'{escape(fact.label)}<a href="{escape(fact.link.url)}"' in page, fact.key
    # The figures the issue named are among them: 验收, 超时, 未办结, 完成. (Recurring rooms merge into
    # one item, "S101、B304等房间的故障", whose total opens no single list: see repairs/report.py.)
    named = {name for _figure, url in figures for name in parse_qs(urlsplit(url).query)}
    assert {"accepted_by", "late_at", "unfinished_at", "done_by", "category", "urgency", "status"} <= named
    if which == "previous" and ("满意度偏低" in page or "评价不高" in page):
        assert "rated" in named  # the poorly rated category, when it is among the 不足 shown


def test_a_finished_term_counts_what_was_settled_only_after_it_as_it_stood_at_its_end(demo: School, monkeypatch: Any) -> None:
    term = Term.objects.for_school(demo).current().previous()
    before = {f.key: f.value for f in _report(demo, term).facts}
    problems = {p.key: p.count for p in _report(demo, term).problems}
    _edge_tickets(demo, term, monkeypatch)
    section = _report(demo, term)
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


def test_a_figure_written_like_an_unlinked_comparison_is_linked_in_its_own_place(school: School, term: Term, room: Room,
                                                                                 teacher: User, repairer: User, other_room: Room,
                                                                                 outsider: User) -> None:
    # Three done against two last term ("增加1件", linked to nothing), then 紧急报修1件 and 报修人撤销1件.
    factories.term_tickets(school=school, term=term, previous_term=factories.previous_term(school), room=room, teacher=teacher,
                           repairer=repairer, other_room=other_room, outsider=outsider)
    composed, _sections = compose_term(school, term)
    intake = next(b for b in composed.blocks if b.key == "s.repairs.intake.p")
    html = linked_text(intake.text, intake.links)
    assert re.search(r"(增加|多)1件", html)  # the comparison, as text
    assert re.search(r'紧急报修<a href="[^"]*urgency=urgent[^"]*"[^>]*>1件</a>', html)
    assert re.search(r'报修人撤销<a href="[^"]*status=cancelled[^"]*"[^>]*>1件</a>', html)
