"""The 工作纪事 contract other apps rely on: record_by_rule (idempotent per source and rule, a
person's edit wins, frozen once issued), entries_for (the term, the part, withdrawn left out), the
per-school kind list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics.chronicle.models import DEFAULT_KIND_KEYS, ChronicleEntry, ChronicleKind
from logistics.chronicle.selectors import entries_for
from logistics.chronicle.services import ensure_kinds, kind_for, record_by_rule, update_entry, withdraw_entry
from logistics.reports.models import TermReport
from logistics.workflow import WorkflowError
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


def _rule(source: Any, school: Any, **kw: Any) -> ChronicleEntry:
    values = {"domain": "repairs", "kind": "project", "title": "更换实验楼屋面防水层", "date": dt.date(2026, 10, 12),
              "amount": Decimal("52000"), "rule": "repairs.cost"}
    return record_by_rule(source, school=school, **{**values, **kw})


def test_eight_default_kinds_per_school(school: Any, other_school: Any) -> None:
    kinds = ensure_kinds(school)
    assert [k.key for k in kinds] == list(DEFAULT_KIND_KEYS)
    assert kinds[0].name == "工程与维修项目" and kinds[-1].name == "其他"
    ensure_kinds(school)
    assert ChronicleKind.objects.for_school(school).count() == 8
    kind_for(other_school, "training").name = "业务培训"
    assert ChronicleKind.objects.for_school(other_school).count() == 8
    with pytest.raises(ValueError):
        kind_for(school, "no_such_kind")


def test_record_by_rule_is_idempotent_per_source_and_rule(school: Any, term: Any, room: Any) -> None:
    first = _rule(room, school)
    again = _rule(room, school, amount=Decimal("53000"), title="实验楼屋面防水工程")
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.amount == Decimal("53000.00") and again.title == "实验楼屋面防水工程"
    other_rule = _rule(room, school, rule="repairs.contractor")
    assert other_rule.pk != first.pk
    assert ChronicleEntry.objects.count() == 2
    assert first.source == room and first.kind.key == "project"


def test_a_persons_edit_wins_over_the_rule(school: Any, term: Any, room: Any, logistics_admin: Any) -> None:
    entry = _rule(room, school)
    update_entry(entry=entry, by=logistics_admin, kind=entry.kind, title="完成实验楼屋面防水工程")
    _rule(room, school, title="规则的标题", amount=Decimal("1"))
    entry.refresh_from_db()
    assert entry.title == "完成实验楼屋面防水工程" and entry.amount == Decimal("52000.00")


def test_entries_for_reads_the_term_and_the_part(school: Any, other_school: Any, term: Any, room: Any, building: Any,
                                                  logistics_admin: Any) -> None:
    inside = _rule(room, school)
    _rule(building, school, domain="safety", rule="safety.drill", date=dt.date(2026, 11, 3))
    _rule(room, school, rule="before", date=term.start - dt.timedelta(days=1))
    _rule(room, school, rule="after", date=term.end + dt.timedelta(days=1))
    _rule(room, other_school, rule="elsewhere")
    gone = _rule(building, school, rule="withdrawn", date=dt.date(2026, 9, 5))
    withdraw_entry(entry=gone, by=logistics_admin, reason="重复记录")
    assert [e.pk for e in entries_for(school, term, domain="repairs")] == [inside.pk]
    assert [e.domain for e in entries_for(school, term)] == ["repairs", "safety"]
    assert list(entries_for(school, term, until=dt.date(2026, 10, 31))) == [inside]


def test_entries_for_is_one_query(school: Any, term: Any, room: Any, django_assert_num_queries: Any) -> None:
    for i in range(5):
        _rule(room, school, rule=f"r{i}")
    with django_assert_num_queries(1):
        assert [e.kind.name for e in entries_for(school, term)] == ["工程与维修项目"] * 5


def test_bad_values_are_refused(school: Any, term: Any, room: Any) -> None:
    for bad in ({"title": "  "}, {"amount": Decimal("-1")}, {"quantity": -2}, {"domain": "kitchen"},
                {"end_date": dt.date(2026, 10, 1)}):
        with pytest.raises(ValueError):
            _rule(room, school, **bad)
    assert not ChronicleEntry.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChronicleEntry.objects.create(school=school, kind=kind_for(school, "other"), title="x", date=dt.date(2026, 10, 1),
                                      amount=Decimal("-5"))


def test_frozen_once_the_terms_report_is_issued(school: Any, term: Any, room: Any, logistics_admin: Any) -> None:
    entry = _rule(room, school)
    TermReport.objects.create(school=school, term=term, title="总结", status="issued", issued_at=timezone.now())
    _rule(room, school, amount=Decimal("1"))
    entry.refresh_from_db()
    assert entry.amount == Decimal("52000.00")
    with pytest.raises(WorkflowError):
        update_entry(entry=entry, by=logistics_admin, kind=entry.kind, title="改")
    withdraw_entry(entry=entry, by=logistics_admin, reason="并入另一条")
    entry.refresh_from_db()
    assert entry.is_withdrawn and entry.withdrawn_reason == "并入另一条"
    assert ChronicleEntry.objects.filter(pk=entry.pk).exists()  # never deleted
    with pytest.raises(WorkflowError):
        withdraw_entry(entry=entry, by=logistics_admin, reason="again")


def test_withdraw_needs_a_reason(school: Any, term: Any, room: Any, logistics_admin: Any) -> None:
    entry = _rule(room, school)
    with pytest.raises(WorkflowError):
        withdraw_entry(entry=entry, by=logistics_admin, reason="  ")
    entry.refresh_from_db()
    assert not entry.is_withdrawn


def test_a_withdrawn_rule_entry_stays_withdrawn(school: Any, term: Any, room: Any, logistics_admin: Any) -> None:
    entry = _rule(room, school)
    withdraw_entry(entry=entry, by=logistics_admin, reason="不算项目")
    again = _rule(room, school, amount=Decimal("9"))
    assert again.pk == entry.pk and again.is_withdrawn and again.amount == Decimal("52000.00")


def test_other_terms_of_the_school_do_not_mix(school: Any, term: Any, room: Any) -> None:
    spring = TermFactory(school=school, year=2026, semester=2, start=dt.date(2027, 2, 20), end=dt.date(2027, 7, 5))
    _rule(room, school, date=dt.date(2027, 3, 1))
    assert not entries_for(school, term).exists()
    assert entries_for(school, spring).count() == 1
