"""A class teacher counts their class's part of a stocktake (issue 12): they reach the stocktakes
that hold their class's assets, see and mark only those lines, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assets.models import StocktakeLine
from assets.services import stocktake as service
from assets.services.stocktake import WorkflowError
from tests.assets.conftest import register
from tests.factories import BuildingFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def count(school, logistics_admin, school_class, room):
    """A whole-school stocktake: one card held by the class, one in its room, one elsewhere."""
    elsewhere = RoomFactory(building=room.building, code="B999", name="教师办公室")
    cards = {
        "held": register(school, logistics_admin, name="班级电视机", custodian_class=school_class),
        "in_room": register(school, logistics_admin, name="讲台", room=room),
        "elsewhere": register(school, logistics_admin, name="办公电脑", room=elsewhere),
    }
    stocktake = service.stocktake_open(school=school, by=logistics_admin, title="2026年秋季资产清查", scope="school")
    return stocktake, cards


def line(stocktake, card):
    return StocktakeLine.objects.select_related("stocktake").get(stocktake=stocktake, card=card)


def test_the_class_teacher_sees_the_stocktake_holding_their_class_and_only_its_part(client_for, class_teacher, count):
    stocktake, cards = count
    client = client_for(class_teacher)
    listing = client.get(reverse("assets:stocktake-list"))
    assert listing.status_code == 200 and [s.pk for s in listing.context["page"]] == [stocktake.pk]
    assert listing.context["form"] is None  # opening is the office's
    page = client.get(stocktake.get_absolute_url())
    assert page.status_code == 200
    assert {l.card_id for l in page.context["lines"]} == {cards["held"].pk, cards["in_room"].pk}
    assert page.context["figures"]["expected"] == 2 and page.context["mark_form"] is not None
    html = page.content.decode()
    assert "办公电脑" not in html and "data-class-part" in html and "data-export" not in html
    assert client.get(reverse("assets:stocktake-export", args=[stocktake.pk])).status_code == 403


def test_a_stocktake_without_their_class_is_not_found_for_them(client_for, school, logistics_admin, class_teacher, count, room):
    other_building = BuildingFactory(campus=room.building.campus, code="S", name="实验楼")
    lab = RoomFactory(building=other_building, code="S101", name="物理实验室")
    register(school, logistics_admin, name="示波器", room=lab)
    elsewhere = service.stocktake_open(school=school, by=logistics_admin, title="实验楼清查", scope="building", building=other_building)
    client = client_for(class_teacher)
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert elsewhere.pk not in [s.pk for s in client.get(reverse("assets:stocktake-list")).context["page"]]
    response = client.post(reverse("assets:stocktake-mark", args=[elsewhere.pk]), {"number": "x", "result": "found"})
    assert response.status_code == 404


def test_the_class_teacher_marks_their_lines_and_no_other(client_for, class_teacher, count):
    stocktake, cards = count
    service.stocktake_mark(line=line(stocktake, cards["held"]), by=class_teacher, result="found")
    assert line(stocktake, cards["held"]).result == "found"
    with pytest.raises(WorkflowError, match=cards["elsewhere"].number):
        service.stocktake_mark(line=line(stocktake, cards["elsewhere"]), by=class_teacher, result="found")
    assert line(stocktake, cards["elsewhere"]).result == "pending"
    client = client_for(class_teacher)
    url = reverse("assets:stocktake-mark", args=[stocktake.pk])
    assert client.post(url, {"number": cards["in_room"].number, "result": "damaged"}).status_code == 302
    assert line(stocktake, cards["in_room"]).result == "damaged"
    refused = client.post(url, {"number": cards["elsewhere"].number, "result": "found"})
    assert refused.status_code == 400 and line(stocktake, cards["elsewhere"]).result == "pending"
    other_line = line(stocktake, cards["elsewhere"])
    client.post(reverse("assets:stocktake-mark-line", args=[stocktake.pk, other_line.pk]), {"result": "found"})
    assert line(stocktake, cards["elsewhere"]).result == "pending"


def test_a_card_outside_the_count_is_not_added_by_a_class_teacher(school, logistics_admin, class_teacher, school_class, room):
    stocktake = service.stocktake_open(school=school, by=logistics_admin, title="班级清查", scope="class", school_class=school_class)
    stranger = register(school, logistics_admin, name="别班的投影机", room=RoomFactory(building=room.building, code="B888"))
    with pytest.raises(WorkflowError):
        service.stocktake_mark_number(stocktake=stocktake, by=class_teacher, number=stranger.number)
    assert not StocktakeLine.objects.filter(stocktake=stocktake, card=stranger).exists()


def test_the_office_still_marks_any_line(logistics_admin, count):
    stocktake, cards = count
    service.stocktake_mark(line=line(stocktake, cards["elsewhere"]), by=logistics_admin, result="found")
    assert line(stocktake, cards["elsewhere"]).result == "found"


def test_the_page_costs_the_same_for_a_class_teacher_however_many_cards(client_for, class_teacher, count,
                                                                         school, logistics_admin, school_class):
    stocktake, _cards = count
    client = client_for(class_teacher)
    client.get(stocktake.get_absolute_url())  # warm the navigation counts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(stocktake.get_absolute_url())
    for _ in range(5):
        register(school, logistics_admin, name="课桌椅", custodian_class=school_class)
    bigger = service.stocktake_open(school=school, by=logistics_admin, title="再清查", scope="school")
    with CaptureQueriesContext(connection) as many:
        client.get(bigger.get_absolute_url())
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_class_teachers_home_leads_to_their_part_of_an_open_stocktake(client_for, class_teacher, logistics_admin, count):
    stocktake, cards = count
    service.stocktake_mark(line=line(stocktake, cards["held"]), by=class_teacher, result="found")
    page = client_for(class_teacher).get("/").content.decode()
    assert "本班资产盘点" in page and stocktake.get_absolute_url() in page and "1/2" in page
    office = client_for(logistics_admin).get("/").content.decode()
    assert "本班资产盘点" not in office
