"""The weekly review (周排查) and the monthly meeting (月调度) drafted from the records, signed once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from canteen import services
from canteen.models import Event
from canteen.selectors import review_draft

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)


def test_the_weeks_draft_lists_completion_anomalies_and_missed_items(canteen: Any, cooks: list[Any], manager: Any) -> None:
    services.morning_check_record(canteen=canteen, staff=cooks[0], day=MONDAY, temperature=Decimal("38.5"), by=manager)
    services.rapid_test_record(canteen=canteen, day=MONDAY, sample_name="菠菜", inhibition=Decimal("61"), by=manager)
    draft = review_draft(canteen, MONDAY, MONDAY + dt.timedelta(days=6), kind=Event.Kind.WEEKLY_REVIEW, today=dt.date(2026, 11, 26))
    assert len(draft.days) == 7 and draft.days[5].cells["samples"] == "none"  # Saturday
    assert any("调离" in a for a in draft.anomalies) and any("阳性" in a for a in draft.anomalies)
    assert draft.completion["checks"] == round(100 * 1 / 15, 1)  # 1 of 3 cooks × 5 days
    assert draft.missed and draft.signed is None


def test_the_review_is_signed_once_by_the_manager(client_for: Any, canteen: Any, manager: Any, vice: Any) -> None:
    url = reverse("canteen:review", args=[canteen.pk, "week", MONDAY.isoformat()])
    assert client_for(vice).get(url).status_code == 200
    assert client_for(vice).post(url, {"summary": "本周正常"}).status_code == 403
    page = client_for(manager).get(url).content.decode()
    assert "data-review-form" in page
    assert client_for(manager).post(url, {"summary": " "}).status_code == 400
    assert client_for(manager).post(url, {"summary": "本周晨检有缺漏，已补齐。"}).status_code == 302
    assert client_for(manager).post(url, {"summary": "again"}).status_code == 400
    event = Event.objects.get()
    assert event.kind == Event.Kind.WEEKLY_REVIEW and event.canteen == canteen and "缺漏" in event.summary
    assert "data-signed" in client_for(vice).get(url).content.decode()


def test_the_monthly_meeting_keeps_attendees_and_next_months_work(client_for: Any, canteen: Any, manager: Any) -> None:
    url = reverse("canteen:review", args=[canteen.pk, "month", "2026-10-15"])
    response = client_for(manager).post(url, {"summary": "十月各项记录完成率98%", "attendees": "校长、后勤主任、食堂经理",
                                              "next_work": "冬季食材储存检查"})
    assert response.status_code == 302
    event = Event.objects.get(kind=Event.Kind.MONTHLY_MEETING)
    assert event.people_count == 3 and "冬季食材储存检查" in event.summary and event.day == dt.date(2026, 10, 31)


def test_a_bad_period_or_day_is_404(client_for: Any, canteen: Any, manager: Any, other_canteen: Any) -> None:
    client = client_for(manager)
    assert client.get(f"/canteen/{canteen.pk}/review/year/2026-10-01/").status_code == 404
    assert client.get(f"/canteen/{canteen.pk}/review/week/9999-01-01/").status_code == 404
    assert client.get(f"/canteen/{other_canteen.pk}/review/week/2026-10-01/").status_code == 404
