"""Numbering and custody races on real concurrent connections (PostgreSQL only; skipped on SQLite,
which lets one writer in at a time, and failed there when REQUIRE_SERVICES=1)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from importlib import import_module
from typing import Any, Callable

import pytest
from django.apps import apps
from django.db import connection, connections
from django.utils import timezone

from assets import services
from assets.models import AssetCard, AssetClass, Movement
from logistics.workflow import WorkflowError
from tests.conftest import services_required

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL for real concurrent transactions; this run uses {connection.vendor}"
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    # A transactional test's flush empties the class table its data migrations filled: fill it again.
    for name in ("0002_classes", "0004_class_fixes"):
        import_module(f"assets.migrations.{name}").forwards(apps, None)


def race(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def runner(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results


def test_people_registering_at_once_never_share_a_number(school, logistics_admin):
    desktop = AssetClass.objects.get(code="A02010105")

    def register() -> AssetCard:
        return services.card_register(school=school, by=logistics_admin, asset_class=desktop, name="台式计算机",
                                      acquired_on=dt.date(2026, 9, 1), original_value=Decimal("4800"))

    results = race(*[register for _ in range(8)])
    assert not [r for r in results if isinstance(r, BaseException)], results
    numbers = sorted(AssetCard.objects.values_list("number", flat=True))
    assert numbers == [f"A02010105-2026-{n:04d}" for n in range(1, 9)]


def test_two_people_lending_the_same_card_at_once_lend_it_once(school, logistics_admin):
    card = services.card_register(school=school, by=logistics_admin, asset_class=AssetClass.objects.get(code="A02010108"),
                                  name="笔记本电脑", acquired_on=dt.date(2026, 9, 1), original_value=Decimal("5200"))
    due = timezone.localdate() + dt.timedelta(days=3)

    def lend(to: str) -> Callable[[], Any]:
        return lambda: services.card_lend(card=AssetCard.objects.get(pk=card.pk), by=logistics_admin, to=to, due=due)

    results = race(lend("区教研室"), lend("校团委"))
    assert sum(isinstance(r, WorkflowError) for r in results) == 1
    assert Movement.objects.filter(card=card, kind="lend").count() == 1
