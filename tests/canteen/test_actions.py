"""Role × state for the steps taken on a record: destroying a sample, answering a parent, correcting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen import services
from canteen.models import AccompaniedMeal, Sample

pytestmark = pytest.mark.django_db

OLD = dt.date(2026, 11, 20)


def sample(canteen: Any, manager: Any, *, expired: bool, destroyed: bool = False) -> Sample:
    taken = timezone.now() - dt.timedelta(hours=49 if expired else 2)
    s = services.sample_record(canteen=canteen, day=taken.date() if not expired else OLD, meal="lunch", dish="米饭", grams=150, by=manager,
                               taken_at=taken)
    if destroyed:
        services.sample_destroy(sample=s, by=manager)
    return s


@pytest.mark.parametrize(("who", "expired", "destroyed", "status", "after"), [
    ("manager", True, False, 302, Sample.Status.DESTROYED),
    ("manager", False, False, 302, Sample.Status.KEPT),       # refused: still within its 48 hours
    ("manager", True, True, 302, Sample.Status.DESTROYED),    # refused: already destroyed
    ("vice", True, False, 403, Sample.Status.KEPT),
    ("principal", True, False, 403, Sample.Status.KEPT),
    ("outsider", True, False, 403, Sample.Status.KEPT),
])
def test_destroying_a_sample(client_for: Any, canteen: Any, manager: Any, vice: Any, principal: Any, outsider: Any, who: str,
                             expired: bool, destroyed: bool, status: int, after: str) -> None:
    s = sample(canteen, manager, expired=expired, destroyed=destroyed)
    user = {"manager": manager, "vice": vice, "principal": principal, "outsider": outsider}[who]
    response = client_for(user).post(reverse("canteen:sample-destroy", args=[s.pk]))
    assert response.status_code == status
    s.refresh_from_db()
    assert s.status == after


@pytest.mark.parametrize(("who", "role", "opinion", "after"), [
    ("manager", "parent", "希望多一些水果", AccompaniedMeal.Feedback.ANSWERED),
    ("manager", "leader", "菜偏咸", AccompaniedMeal.Feedback.NONE),       # a leader's note needs no answer: refused
    ("vice", "parent", "希望多一些水果", AccompaniedMeal.Feedback.OPEN),  # 403
])
def test_answering_a_parent(client_for: Any, canteen: Any, manager: Any, vice: Any, day: dt.date, who: str, role: str, opinion: str,
                            after: str) -> None:
    meal = services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="家长", role=role, opinion=opinion, by=vice)
    user = manager if who == "manager" else vice
    client_for(user).post(reverse("canteen:accompanied-answer", args=[meal.pk]), {"answer": "已调整"})
    meal.refresh_from_db()
    assert meal.feedback == after


def test_correcting_by_role_and_version(client_for: Any, canteen: Any, manager: Any, vice: Any, day: dt.date) -> None:
    s = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager)
    data = {"meal": "lunch", "dish": "米饭", "grams": 170, "correction_reason": "重称"}
    assert client_for(vice).post(reverse("canteen:record-correct", args=["sample", s.pk]), data).status_code == 403
    assert client_for(manager).post(reverse("canteen:record-correct", args=["sample", s.pk]), data).status_code == 302
    # The old version cannot be corrected again: the latest one is.
    again = client_for(manager).post(reverse("canteen:record-correct", args=["sample", s.pk]), {**data, "grams": 180})
    assert again.status_code == 400
    assert sorted(Sample.objects.values_list("grams", flat=True)) == [150, 170]
    meal = services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="吴副校长", by=vice)
    fixed = client_for(vice).post(reverse("canteen:record-correct", args=["accompanied", meal.pk]), {
        "meal": "lunch", "person": "吴副校长", "role": "leader", "taste": "excellent", "warmth": "good", "portion": "good", "hygiene": "good",
        "correction_reason": "评价写错"})
    assert fixed.status_code == 302
    assert AccompaniedMeal.objects.current().get().taste == "excellent"


def test_another_schools_record_is_a_404_for_every_step(client_for: Any, other_canteen: Any, outsider: Any, manager: Any) -> None:
    s = services.sample_record(canteen=other_canteen, day=OLD, meal="lunch", dish="米饭", grams=150, by=outsider)
    client = client_for(manager)
    assert client.get(reverse("canteen:record-detail", args=["sample", s.pk])).status_code == 404
    assert client.post(reverse("canteen:sample-destroy", args=[s.pk])).status_code == 404
    assert client.post(reverse("canteen:record-correct", args=["sample", s.pk]), {"grams": 1}).status_code == 404
    assert client.get(reverse("canteen:record-detail", args=["sample", 10**22])).status_code == 404
