"""Notable canteen events become 工作纪事 entries by rule, once each: an inspection by the
market-supervision bureau, a food-safety training, a supplier dropped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canteen import services
from canteen.models import Event
from logistics.chronicle.models import ChronicleEntry

pytestmark = pytest.mark.django_db


def test_an_inspection_and_a_training_become_entries_of_the_canteen_part(school: Any, manager: Any, day: dt.date) -> None:
    services.event_record(school=school, day=day, kind=Event.Kind.BUREAU_INSPECTION, title="区市场监管局检查学校食堂", by=manager)
    services.event_record(school=school, day=day, kind=Event.Kind.TRAINING, title="开展食品安全知识培训", by=manager, people_count=12)
    services.event_record(school=school, day=day, kind=Event.Kind.WEEKLY_REVIEW, title="每周排查", by=manager)
    entries = {e.title: e for e in ChronicleEntry.objects.filter(school=school)}
    assert set(entries) == {"区市场监管局检查学校食堂", "开展食品安全知识培训"}
    assert all(e.domain == "canteen" for e in entries.values())
    assert entries["开展食品安全知识培训"].people_count == 12
    assert entries["开展食品安全知识培训"].kind.key == "training"


def test_dropping_a_supplier_is_an_entry_once(school: Any, supplier: Any, manager: Any) -> None:
    services.supplier_drop(supplier=supplier, reason="快检两次阳性", by=manager)
    with pytest.raises(services.WorkflowError):
        services.supplier_drop(supplier=supplier, reason="again", by=manager)
    entry = ChronicleEntry.objects.get(school=school)
    assert supplier.name in entry.title and entry.summary == "快检两次阳性"
    supplier.refresh_from_db()
    assert not supplier.is_active and supplier.dropped_reason == "快检两次阳性"


def test_an_event_in_the_future_or_without_a_title_is_refused(school: Any, manager: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.event_record(school=school, day=dt.date(9999, 1, 1), kind=Event.Kind.TRAINING, title="培训", by=manager)
    with pytest.raises(ValidationError):
        services.event_record(school=school, day=dt.date(2026, 11, 2), kind=Event.Kind.TRAINING, title=" ", by=manager)
    assert not ChronicleEntry.objects.exists()
