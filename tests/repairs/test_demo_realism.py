"""Demo realism (issue 10, "walking as its users" 12): every demo fault fits the room it is
reported in — no blackboard in a dormitory, no canteen drain in an office."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from logistics.models import School
from repairs.demo import COMMON_MATERIALS, FAULTS, descriptions_for
from repairs.models import CommonMaterial, Material, Ticket


@pytest.fixture
def demo_school(db):
    call_command("seed_demo", stdout=io.StringIO())
    return School.objects.get(code="demo")


def test_every_demo_ticket_describes_a_fault_its_room_can_have(demo_school):
    tickets = list(Ticket.objects.for_school(demo_school).values_list("number", "description", "category__name", "room__kind", "room__name"))
    assert len(tickets) > 500
    misfits = [(number, text, kind, room) for number, text, category, kind, room in tickets
               if text not in descriptions_for(category, kind, room)]
    assert misfits == []


def test_the_obvious_misfits_are_absent(demo_school):
    tickets = Ticket.objects.for_school(demo_school)
    assert not tickets.filter(room__kind="dormitory", description__contains="黑板").exists()
    assert not tickets.filter(room__kind="dormitory", description__contains="讲台").exists()
    assert not tickets.exclude(room__kind="canteen").filter(description__contains="食堂").exists()
    assert not tickets.exclude(room__kind="canteen").filter(description__contains="操作间").exists()
    assert not tickets.filter(room__kind="office", description__contains="教室").exists()
    assert not tickets.filter(category__name="体育设施").exclude(room__kind="outdoor").exists()
    # …and the variety is still there: every kind of room of the demo school has its faults.
    assert set(tickets.values_list("room__kind", flat=True)) >= {"classroom", "office", "lab", "dormitory", "canteen", "toilet", "outdoor"}


def test_materials_belong_to_their_fault(demo_school):
    """A dormitory's leaking tap is mended with a tap, not a projector lamp."""
    allowed = {text: set(materials) for _weight, faults in FAULTS.values() for text, _uses, materials, _where in faults}
    lines = Material.objects.filter(ticket__school=demo_school).values_list("ticket__description", "name", "stock_item")
    # A line from the store carries the store item's name ("LED灯管" for "LED灯管1.2米").
    assert lines and all(name in allowed[text] or (stock and any(a.startswith(name) for a in allowed[text]))
                         for text, name, stock in lines)


def test_the_demo_school_has_its_common_materials(demo_school):
    names = list(CommonMaterial.objects.for_school(demo_school).active().values_list("name", flat=True))
    assert names == COMMON_MATERIALS and len(names) >= 15
    led = CommonMaterial.objects.get(school=demo_school, name="LED灯管1.2米")
    assert (led.unit, str(led.unit_price)) == ("支", "18.00")


def test_jobs_in_hand_take_materials_from_the_store_and_the_store_names_them(demo_school):
    from assets.models_stock import StockMove

    taken = list(Material.objects.filter(ticket__school=demo_school, stock_item__isnull=False).select_related("ticket", "stock_issue"))
    assert len(taken) == 2 and all(m.ticket.status == "in_progress" for m in taken)
    for line in taken:
        move = StockMove.objects.get(issue=line.stock_issue)
        assert line.ticket.number in move.note and -move.amount == line.quantity * line.unit_cost
