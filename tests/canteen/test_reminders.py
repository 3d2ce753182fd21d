"""Reminders go out once each: a meal without samples an hour after serving, morning checks not done,
certificates expiring, samples due for destruction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from canteen import services
from canteen.tasks import send_reminders
from logistics.notifications import Notification
from tests.canteen.factories import StaffFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def subjects(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True))


def test_reminders_are_sent_once_each(canteen: Any, cooks: list[Any], manager: Any) -> None:
    monday = dt.date(2026, 11, 23)
    StaffFactory(canteen=canteen, name="周师傅", certificate_expires=monday + dt.timedelta(days=10))
    services.morning_check_record(canteen=canteen, staff=cooks[0], day=monday, temperature=Decimal("36.5"), by=manager)
    # 07:30: opening passed, breakfast served at 07:00 but its hour of grace is not over.
    sent = services.reminders_send(now=at(monday, 7, 30))
    assert sent == 2  # checks not done (3 people), 周师傅's certificate
    # 12:45: lunch (11:40) and breakfast have no samples.
    assert services.reminders_send(now=at(monday, 12, 45)) == 2
    assert services.reminders_send(now=at(monday, 12, 50)) == 0  # once each
    texts = subjects(manager)
    assert len(texts) == 4 and any("周师傅" in t for t in texts)


def test_samples_past_their_keeping_time_are_reminded_for_destruction(canteen: Any, manager: Any) -> None:
    monday = dt.date(2026, 11, 23)
    services.sample_record(canteen=canteen, day=monday, meal="lunch", dish="米饭", grams=150, by=manager, taken_at=at(monday, 11, 50))
    services.sample_record(canteen=canteen, day=monday, meal="breakfast", dish="馒头", grams=150, by=manager, taken_at=at(monday, 7, 10))
    saturday = dt.date(2026, 11, 28)
    assert services.reminders_send(now=at(saturday, 9)) == 1  # not a school day: only the destruction
    assert "2" in subjects(manager)[0]


def test_no_reminder_for_a_meal_whose_samples_are_kept(canteen: Any, manager: Any) -> None:
    monday = dt.date(2026, 11, 23)
    for meal in ("breakfast", "lunch"):
        services.sample_record(canteen=canteen, day=monday, meal=meal, dish="米饭", grams=150, by=manager)
    assert services.reminders_send(now=at(monday, 13)) == 0


def test_the_task_runs_the_service(canteen: Any, manager: Any) -> None:
    assert send_reminders.apply().get() >= 0
