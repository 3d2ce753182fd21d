"""Stocktake: the expected list frozen at opening, marks by two people kept, missing at close, the
figures (账实相符率), location fixes on approval, losses to disposal, the Excel report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.models import AssetCard, Disposal, Status, Stocktake, StocktakeLine
from assets.services import stocktake as service
from assets.services.stocktake import WorkflowError, figures
from tests.assets.conftest import register
from tests.factories import RoomFactory, SchoolClassFactory

D = Decimal


@pytest.fixture
def rooms(building):
    return RoomFactory(building=building, code="B101", name="初一(1)班"), RoomFactory(building=building, code="B102", name="初一(2)班")


def open_count(school, by, **kw):
    kw.setdefault("scope", "school")
    return service.stocktake_open(school=school, by=by, title="2026年秋季资产清查", **kw)


def line_of(stocktake, card):
    return StocktakeLine.objects.select_related("stocktake").get(stocktake=stocktake, card=card)


def test_the_expected_list_is_frozen_at_opening(school, logistics_admin, rooms, other_room, outsider):
    a = register(school, logistics_admin, room=rooms[0])
    b = register(school, logistics_admin, room=rooms[1])
    register(school, logistics_admin)  # in no room: not in a building's count
    register(other_room.building.campus.school, outsider, room=other_room)
    count = open_count(school, logistics_admin, scope="building", building=rooms[0].building)
    assert set(count.lines.values_list("card_id", flat=True)) == {a.pk, b.pk}
    later = register(school, logistics_admin, room=rooms[0])
    assert not count.lines.filter(card=later).exists()
    only = open_count(school, logistics_admin, scope="rooms", rooms=[rooms[1]])
    assert list(only.lines.values_list("card_id", flat=True)) == [b.pk]
    with pytest.raises(WorkflowError):
        open_count(school, logistics_admin, scope="rooms", rooms=[other_room])


def test_two_counters_keep_each_others_marks_and_closing_makes_the_rest_missing(school, logistics_admin, class_teacher, rooms):
    SchoolClassFactory(school=school, name="初一(1)班", head_teacher=class_teacher, room=rooms[0])  # the class teacher counts their room
    a, b, c = (register(school, logistics_admin, room=rooms[0]) for _ in range(3))
    count = open_count(school, logistics_admin)
    first, second = line_of(count, a), line_of(count, b)  # both read before either writes
    service.stocktake_mark(line=first, by=logistics_admin, result="found")
    service.stocktake_mark(line=second, by=class_teacher, result="damaged", note="屏幕裂了")
    assert line_of(count, a).result == "found" and line_of(count, b).result == "damaged"
    service.stocktake_mark_number(stocktake=count, by=logistics_admin, number=c.number, room=rooms[1])  # wrong room
    service.stocktake_add_surplus(stocktake=count, by=logistics_admin, name="旧电风扇", room=rooms[1])
    service.stocktake_close(stocktake=count, by=logistics_admin)
    f = figures(count)
    assert (f["expected"], f["counted"], f["damaged"], f["moved"], f["surplus"], f["missing"]) == (3, 3, 1, 1, 1, 0)
    assert f["rate"] == "66.7"
    with pytest.raises(WorkflowError):
        service.stocktake_mark(line=line_of(count, a), by=logistics_admin, result="found")


def test_a_missing_card_goes_to_disposal_and_a_moved_one_is_fixed_on_approval(school, logistics_admin, rooms):
    here = register(school, logistics_admin, room=rooms[0], name="投影机")
    moved = register(school, logistics_admin, room=rooms[0], name="电脑")
    count = open_count(school, logistics_admin)
    service.stocktake_mark_number(stocktake=count, by=logistics_admin, number=moved.number, room=rooms[1])
    with pytest.raises(WorkflowError):
        service.stocktake_apply_fixes(stocktake=count, by=logistics_admin)  # still open
    service.stocktake_close(stocktake=count, by=logistics_admin)
    assert figures(count)["missing"] == 1 and figures(count)["rate"] == "0.0"
    assert AssetCard.objects.get(pk=moved.pk).room == rooms[0]  # not before approval
    assert service.stocktake_apply_fixes(stocktake=count, by=logistics_admin) == 1
    assert AssetCard.objects.get(pk=moved.pk).room == rooms[1]
    with pytest.raises(WorkflowError):
        service.stocktake_apply_fixes(stocktake=count, by=logistics_admin)
    disposal = service.stocktake_dispose_losses(stocktake=count, by=logistics_admin)
    assert disposal.way == "write_off" and list(disposal.lines.values_list("card_id", flat=True)) == [here.pk]
    assert AssetCard.objects.get(pk=here.pk).status == Status.PENDING_DISPOSAL  # never silently deleted


def test_scanning_another_schools_number_is_not_found(school, other_school, logistics_admin, outsider, other_room):
    foreign = register(other_school, outsider, room=other_room)
    count = open_count(school, logistics_admin)
    with pytest.raises(WorkflowError):
        service.stocktake_mark_number(stocktake=count, by=logistics_admin, number=foreign.number)
    with pytest.raises(WorkflowError):
        service.stocktake_mark_number(stocktake=count, by=logistics_admin, number="9" * 23)
    assert not count.lines.exists()


def test_only_the_office_opens_and_closes(school, logistics_admin, teacher, class_teacher):
    with pytest.raises(WorkflowError):
        open_count(school, teacher)
    count = open_count(school, logistics_admin)
    with pytest.raises(WorkflowError):
        service.stocktake_close(stocktake=count, by=class_teacher)
    with pytest.raises(WorkflowError):
        service.stocktake_add_surplus(stocktake=count, by=teacher, name="x", room=None)


def test_closing_writes_a_chronicle_entry(school, logistics_admin, rooms):
    from logistics.chronicle.models import ChronicleEntry

    register(school, logistics_admin, room=rooms[0])
    count = open_count(school, logistics_admin)
    service.stocktake_close(stocktake=count, by=logistics_admin)
    entry = ChronicleEntry.objects.get(school=school)
    # Told as "清查盘点资产1件"; the rate (nothing was marked: 0.0 %) in the summary, no money.
    assert entry.domain == "assets" and entry.title == "清查盘点资产" and entry.quantity == 1 and entry.unit == "件"
    assert "账实相符率0.0%" in entry.summary and entry.amount is None


def test_the_screens_count_close_and_export(access, client_for, school, logistics_admin, teacher, principal, outsider, class_teacher,
                                            rooms):
    from io import BytesIO

    import openpyxl
    from django.urls import reverse

    a = register(school, logistics_admin, room=rooms[0], name="投影机")
    b = register(school, logistics_admin, room=rooms[0], name="=1+1")
    client = client_for(logistics_admin)
    listing = reverse("assets:stocktake-list")
    # A class teacher reaches the list (with only the stocktakes that hold their class's assets: none here).
    access(client_for, listing, {teacher: 403, principal: 200, logistics_admin: 200, class_teacher: 200})
    bad = client.post(reverse("assets:stocktake-open"), {"title": "楼内清查", "scope": "building"})
    assert bad.status_code == 400 and "building" in bad.context["form"].errors
    client.post(reverse("assets:stocktake-open"), {"title": "楼内清查", "scope": "building", "building": rooms[0].building.pk})
    count = Stocktake.objects.get()
    detail = count.get_absolute_url()
    access(client_for, detail, {teacher: 403, principal: 200, outsider: 404, class_teacher: 404})
    wrong = client.post(reverse("assets:stocktake-mark", args=[count.pk]), {"number": "A-404", "result": "found"})
    assert wrong.status_code == 400 and wrong.context["mark_form"]["number"].value() == "A-404"
    client.post(reverse("assets:stocktake-mark", args=[count.pk]), {"number": a.number, "result": "found", "room": rooms[1].pk})
    client.post(reverse("assets:stocktake-close", args=[count.pk]))
    page = client.get(detail)
    assert page.context["figures"]["missing"] == 1 and page.context["figures"]["moved"] == 1
    assert {line.number for line in page.context["lines"]} == {a.number, b.number}  # the discrepancies
    xlsx = client.get(reverse("assets:stocktake-export", args=[count.pk]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value}
    assert "投影机" in cells and cells["=1+1"] == "s"  # text, never a formula
