"""Repairs meet the ledger: a ticket links its asset card (typed, scanned, or from the card's page),
another school's number is refused, and the migration turned the old typed numbers into links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from repairs.models import Ticket
from repairs.services import WorkflowError, ticket_submit
from tests.assets.conftest import register
from tests.assets.factories import CardFactory
from tests.repairs.factories import CategoryFactory


def test_a_report_naming_an_asset_number_links_the_card(school, teacher, logistics_admin, room, other_school, outsider, other_room):
    card = register(school, logistics_admin, room=room, name="投影机")
    category = CategoryFactory(school=school, name="电教设备")
    ticket = ticket_submit(school=school, reporter=teacher, room=room, category=category, description="投影机不亮",
                           asset_number=f" {card.number} ")
    assert ticket.asset == card and list(card.repair_tickets.all()) == [ticket]
    foreign = CardFactory(school=other_school, number="A02010105-2019-0042", room=other_room)
    for bad in (foreign.number, "9" * 23):
        with pytest.raises(WorkflowError):
            ticket_submit(school=school, reporter=teacher, room=room, category=category, description="x", asset_number=bad)
    with pytest.raises(WorkflowError):
        ticket_submit(school=school, reporter=teacher, room=room, category=category, description="x", asset=foreign)
    assert Ticket.objects.count() == 1


def test_the_report_form_is_prefilled_from_an_assets_card_and_shows_it_on_the_ticket(client_for, school, teacher, logistics_admin, room):
    card = register(school, logistics_admin, room=room, name="投影机")
    category = CategoryFactory(school=school, name="电教设备")
    client = client_for(teacher)
    form = client.get(reverse("repairs:ticket-report"), {"room": room.pk, "asset": card.number}).context["form"]
    assert form["asset_number"].value() == card.number
    response = client.post(reverse("repairs:ticket-report"), {"room": room.pk, "category": category.pk, "description": "投影机不亮",
                                                              "urgency": "normal", "asset_number": card.number, "token": "t1"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.asset == card
    assert card.number in client.get(ticket.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_old_numbers_and_keeps_the_unmatched_ones(school, logistics_admin, room):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("repairs", "0009_dashboard_month_index"), ("assets", "0013_stocktake_roles")]
    after = [("repairs", "0010_ticket_asset")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Card, OldTicket = apps.get_model("assets", "AssetCard"), apps.get_model("repairs", "Ticket")
    Category = apps.get_model("repairs", "Category")
    klass, _ = apps.get_model("assets", "AssetClass").objects.get_or_create(code="A02010105", defaults={"name": "台式计算机"})
    card = Card.objects.create(school_id=school.pk, number="A02010105-2020-0001", asset_class_id=klass.pk, name="投影机",
                               acquired_on="2020-01-01", booked_on="2020-01-01", original_value="5000")
    category = Category.objects.create(school_id=school.pk, name="电")
    common = {"school_id": school.pk, "reporter_id": logistics_admin.pk, "room_id": room.pk, "building_id": room.building_id,
              "category_id": category.pk, "submitted_at": "2026-01-01T00:00Z", "due_at": "2026-01-02T00:00Z"}
    OldTicket.objects.create(number="BX2026-1", asset_number=card.number, description="坏了", **common)
    OldTicket.objects.create(number="BX2026-2", asset_number="OLD-77", description="也坏了", **common)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    linked, kept = Ticket.objects.get(number="BX2026-1"), Ticket.objects.get(number="BX2026-2")
    assert linked.asset_id == card.pk and kept.asset_id is None and kept.description.endswith("资产编号：OLD-77")
