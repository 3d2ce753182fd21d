"""Two repairers taking the last units of the store at once (PostgreSQL only; see test_concurrency.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import pytest
from django.utils import timezone

from assets.models_stock import Stock, StockIssue, StockMove
from assets.services import stock as store
from logistics.models import Role
from logistics.workflow import WorkflowError
from repairs import services
from repairs.models import Category, Material, Ticket
from tests.factories import member
from tests.repairs.test_concurrency import _postgresql_only, race, slowed  # noqa: F401 - the fixture skips on SQLite

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_repairers_taking_the_last_three_units_at_once_one_gets_them(school: Any, room: Any, teacher: Any, repairer: Any,
                                                                          logistics_admin: Any) -> None:
    other = member(school, Role.STAFF, Role.REPAIRER, username="repairer2", full_name="赵师傅")
    category = Category.objects.create(school=school, name="电")
    receipt = store.receive(school=school, by=logistics_admin, name="LED灯管", spec="", unit="支", quantity=Decimal("3"),
                            unit_price=Decimal("18"), supplier="", invoice_number="", received_on=timezone.localdate())
    row = Stock.objects.get(item=receipt.item)
    tickets = []
    for who in (repairer, other):
        t = services.ticket_submit(school=school, reporter=teacher, room=room, category=category, description="灯不亮")
        t = services.ticket_dispatch(ticket=t, by=logistics_admin, repairer=who)
        tickets.append(services.ticket_start(ticket=t, by=who))

    def take(ticket: Ticket, who: Any) -> Callable[[], Any]:
        return lambda: services.ticket_add_stock_material(ticket=Ticket.objects.get(pk=ticket.pk), by=who,
                                                          stock=Stock.objects.get(pk=row.pk), quantity=Decimal("3"))

    # The pause falls between reading the stock and writing it: without the row lock both would read 3.
    with slowed(store, "_repair_unit_cost"):
        results = race(take(tickets[0], repairer), take(tickets[1], other))
    assert sum(isinstance(r, Material) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, WorkflowError)]
    assert len(refused) == 1 and "3" in str(refused[0])
    row.refresh_from_db()
    assert (row.quantity, row.value) == (Decimal("0"), Decimal("0"))
    assert Material.objects.count() == StockIssue.objects.count() == StockMove.objects.filter(kind="issue").count() == 1
