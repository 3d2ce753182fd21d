"""The ledger's screens: who may open what, the list's filters and its fixed cost, the card page, the
create and edit forms, the custody buttons, the home cards and the district columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import AssetCard, Movement
from logistics import widgets
from logistics.models import Role
from tests.assets.conftest import register
from tests.assets.factories import CardFactory, asset_class
from tests.factories import RoomFactory, SchoolFactory, member

LIST = reverse("assets:card-list")
CREATE = reverse("assets:card-create")


def detail(card: AssetCard) -> str:
    return reverse("assets:card-detail", args=[card.pk])


def numbers(response) -> list[str]:
    return [c.number for c in response.context["page"]]


# --- Who sees what ----------------------------------------------------------------------------------

def test_the_ledger_and_a_card_answer_by_role_and_school(access, client_for, school, logistics_admin, teacher, principal, outsider):
    card = register(school, logistics_admin)
    access(client_for, LIST, {None: 302, teacher: 200, logistics_admin: 200, principal: 200, outsider: 200})
    access(client_for, detail(card), {None: 302, logistics_admin: 200, principal: 200, teacher: 404, outsider: 404})
    access(client_for, CREATE, {None: 302, teacher: 403, principal: 403, logistics_admin: 200, outsider: 200})
    access(client_for, reverse("assets:card-edit", args=[card.pk]), {teacher: 403, principal: 403, logistics_admin: 200, outsider: 404})
    access(client_for, reverse("assets:card-lend", args=[card.pk]), {teacher: 403, principal: 403, outsider: 404}, method="post")
    assert numbers(client_for(outsider).get(LIST)) == []  # another school's ledger is empty for them


def test_staff_see_what_they_hold_and_a_class_teacher_their_classs_assets(client_for, school, logistics_admin, teacher, class_teacher,
                                                                         school_class):
    held = register(school, logistics_admin, custodian=teacher, name="笔记本电脑")
    in_class = register(school, logistics_admin, custodian_class=school_class, name="触控一体机")
    register(school, logistics_admin, name="库房电脑")
    assert numbers(client_for(teacher).get(LIST)) == [held.number]
    assert numbers(client_for(class_teacher).get(LIST)) == [in_class.number]
    assert client_for(class_teacher).get(detail(in_class)).status_code == 200
    assert client_for(class_teacher).get(detail(held)).status_code == 404
    assert len(numbers(client_for(logistics_admin).get(LIST))) == 3
    finance = member(school, Role.STAFF, Role.FINANCE, username="finance")
    district = member(school, Role.DISTRICT_VIEWER, username="district")
    assert len(numbers(client_for(finance).get(LIST))) == len(numbers(client_for(district).get(LIST))) == 3


# --- The list -----------------------------------------------------------------------------------------

def test_the_list_filters_by_class_status_place_holder_and_search(client_for, school, logistics_admin, teacher, room, building):
    other_room = RoomFactory(building=building, code="A301", name="物理实验室")
    pc = register(school, logistics_admin, custodian=teacher, room=room)
    laptop = register(school, logistics_admin, asset_class=asset_class("A02010108"), name="笔记本电脑", spec="ThinkPad E14")
    desks = register(school, logistics_admin, asset_class=asset_class("A05010203"), name="学生课桌", quantity=50, unit="张",
                     original_value=Decimal("13000"), room=other_room)
    services.card_lend(card=laptop, by=logistics_admin, to="区教研室", due=timezone.localdate())
    client = client_for(logistics_admin)
    assert numbers(client.get(LIST, {"asset_class": asset_class("A02010000").pk})) == [pc.number, laptop.number]
    assert numbers(client.get(LIST, {"asset_class": asset_class("A05010203").pk})) == [desks.number]
    assert numbers(client.get(LIST, {"status": "lent"})) == [laptop.number]
    assert numbers(client.get(LIST, {"building": building.pk})) == [pc.number, desks.number]
    assert numbers(client.get(LIST, {"room": other_room.pk})) == [desks.number]
    assert numbers(client.get(LIST, {"custodian": teacher.pk})) == [pc.number]
    assert numbers(client.get(LIST, {"q": "thinkpad"})) == [laptop.number]
    assert numbers(client.get(LIST, {"q": pc.number.lower()})) == [pc.number]
    assert len(numbers(client.get(LIST, {"status": "nonsense", "room": "x"}))) == 3  # a bad value is ignored, never a 500


def test_the_list_costs_the_same_for_any_page_size_and_depth(client_for, school, logistics_admin, teacher, room, django_assert_num_queries):
    CardFactory.create_batch(120, school=school, custodian=teacher, room=room)
    client = client_for(logistics_admin)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, params).status_code == 200
        return len(ctx.captured_queries)

    first = client.get(LIST, {"per_page": 10}).context["page"]
    baseline = count({"per_page": 10})
    assert count({"per_page": 100}) == baseline
    assert count({"per_page": 10, "before": first.next_cursor, "p": 2}) == baseline
    assert count({"per_page": 10, "page": 5}) == baseline
    filtered = {"status": "in_use", "room": room.pk, "custodian": teacher.pk, "q": "电脑"}
    with django_assert_num_queries(baseline + 2):  # each chosen room or person is looked up once to validate it
        client.get(LIST, {**filtered, "per_page": 10})
    assert count({**filtered, "per_page": 100}) == baseline + 2
    assert baseline <= 16


def test_pages_follow_one_another_without_gaps(client_for, school, logistics_admin):
    CardFactory.create_batch(25, school=school)
    client = client_for(logistics_admin)
    page1 = client.get(LIST, {"per_page": 10}).context["page"]
    page2 = client.get(LIST, {"per_page": 10, "before": page1.next_cursor}).context["page"]
    page3 = client.get(LIST, {"per_page": 10, "before": page2.next_cursor}).context["page"]
    seen = [c.number for p in (page1, page2, page3) for c in p]
    assert seen == sorted(AssetCard.objects.values_list("number", flat=True)) and len(seen) == 25


# --- The card page and its forms ------------------------------------------------------------------------

def test_the_card_page_shows_the_movements_and_the_timeline(client_for, school, logistics_admin, teacher, room):
    card = register(school, logistics_admin, room=room)
    services.card_transfer(card=card, by=logistics_admin, custodian=teacher, room=room, note="新学期分配")
    page = client_for(logistics_admin).get(detail(card)).content.decode()
    assert page.count("data-movement=") == 2 and "新学期分配" in page and teacher.display_name in page
    assert 'data-step="assets.assetcard.transferred"' in page


def test_the_card_page_costs_the_same_however_long_its_history(client_for, school, logistics_admin, teacher, class_teacher, room):
    short, long = register(school, logistics_admin, room=room), register(school, logistics_admin, room=room)
    for i in range(6):
        services.card_transfer(card=long, by=logistics_admin, custodian=(teacher, class_teacher)[i % 2], room=room)
    client = client_for(logistics_admin)
    client.get(detail(short))  # the first page of a visit reads the navigation's counts into the cache

    def count(card):
        with CaptureQueriesContext(connection) as ctx:
            client.get(detail(card))
        return len(ctx.captured_queries)

    assert count(short) == count(long)


def test_creating_a_card_from_the_form(client_for, school, logistics_admin, teacher, room):
    client = client_for(logistics_admin)
    data = {"asset_class": asset_class().pk, "name": "台式计算机", "quantity": 1, "unit": "台", "original_value": "4,800.00",
            "acquisition": "purchase", "acquired_on": "2026-09-01", "funding": "fiscal", "custodian": teacher.pk, "room": room.pk}
    response = client.post(CREATE, {**data, "original_value": "4800.00"})
    card = AssetCard.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(card)
    assert (card.number, card.booked_on, card.custodian, card.status) == ("A02010105-2026-0001", dt.date(2026, 9, 1), teacher, "in_use")


def test_a_value_below_the_threshold_is_shown_next_to_the_field_and_nothing_is_saved(client_for, school, logistics_admin):
    data = {"asset_class": asset_class().pk, "name": "键盘", "quantity": 1, "unit": "个", "original_value": "89",
            "acquisition": "purchase", "acquired_on": "2026-09-01", "funding": "fiscal"}
    response = client_for(logistics_admin).post(CREATE, data)
    assert response.status_code == 400
    assert "original_value" in response.context["form"].errors
    assert 'value="键盘"' in response.content.decode()  # what was typed stays
    assert not AssetCard.objects.exists()


def test_editing_a_card(client_for, school, logistics_admin):
    card = register(school, logistics_admin)
    url = reverse("assets:card-edit", args=[card.pk])
    form = client_for(logistics_admin).get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(spec="戴尔OptiPlex 7010", warranty_until="2029-08-31")
    response = client_for(logistics_admin).post(url, data)
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.spec, card.warranty_until) == ("戴尔OptiPlex 7010", dt.date(2029, 8, 31))


def test_the_custody_buttons_issue_lend_and_get_back(client_for, school, logistics_admin, teacher):
    card = register(school, logistics_admin)
    client = client_for(logistics_admin)
    page = client.get(detail(card)).content.decode()
    assert 'data-action="issue"' in page and 'data-action="transfer"' not in page and 'data-action="edit"' in page
    assert client.post(reverse("assets:card-hand-over", args=[card.pk]), {"custodian": teacher.pk}).status_code == 302
    card.refresh_from_db()
    assert (card.status, card.custodian) == ("in_use", teacher)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    client.post(reverse("assets:card-lend", args=[card.pk]), {"to": "区教研室", "due": due})
    assert AssetCard.objects.get(pk=card.pk).status == "lent"
    client.post(reverse("assets:card-get-back", args=[card.pk]))
    assert AssetCard.objects.get(pk=card.pk).status == "in_use"
    assert list(Movement.objects.filter(card=card).order_by("id").values_list("kind", flat=True)) == ["register", "issue", "lend", "get_back"]


def test_a_bad_custody_form_is_shown_again_with_its_errors(client_for, school, logistics_admin):
    card = register(school, logistics_admin)
    response = client_for(logistics_admin).post(reverse("assets:card-lend", args=[card.pk]), {"to": "区教研室", "due": "2001-01-01"})
    assert response.status_code == 400 and response.context["lend_form"].errors["due"]
    assert AssetCard.objects.get(pk=card.pk).status == "idle"


def test_the_teachers_card_page_has_no_buttons(client_for, school, logistics_admin, teacher):
    card = register(school, logistics_admin, custodian=teacher)
    page = client_for(teacher).get(detail(card)).content.decode()
    assert "data-action=" not in page


# --- Home cards and the district table -----------------------------------------------------------------

def test_the_home_page_shows_assets_by_status_to_the_office_and_my_assets_to_a_holder(client_for, school, logistics_admin, teacher):
    register(school, logistics_admin, custodian=teacher)
    register(school, logistics_admin)
    office = client_for(logistics_admin).get("/").content.decode()
    assert "data-assets-by-status" in office
    holder = client_for(teacher).get("/").content.decode()
    assert "data-assets-mine" in holder and "data-assets-by-status" not in holder


@pytest.mark.parametrize("n", [3, 30])
def test_the_district_columns_cost_a_fixed_number_of_queries(db, n, django_assert_max_num_queries):
    from logistics.widgets import _district_columns

    schools = [SchoolFactory(code=f"d{i}") for i in range(n)]
    for s in schools[:3]:
        CardFactory(school=s, original_value=Decimal("5000"))
    columns = [_district_columns["assets-cards"], _district_columns["assets-value"]]
    with django_assert_max_num_queries(2):
        values = [c.values(schools) for c in columns]
    assert values[0][schools[0].pk] == 1 and values[0][schools[-1].pk] == (1 if n == 3 else 0)
    assert values[1][schools[0].pk] == "0.50"  # 万元
    assert widgets.district_table(schools[:1])["rows"][0]["assets-cards"] == 1


def test_part_of_a_batch_is_issued_from_the_card_page(client_for, school, logistics_admin, room):
    desks = register(school, logistics_admin, asset_class=asset_class("A05010203"), name="学生课桌椅", quantity=800, unit="套",
                     original_value=Decimal("208000"))
    client = client_for(logistics_admin)
    assert 'name="quantity"' in client.get(detail(desks)).content.decode()
    client.post(reverse("assets:card-hand-over", args=[desks.pk]), {"room": room.pk, "quantity": "45"})
    part = AssetCard.objects.exclude(pk=desks.pk).get()
    assert (part.quantity, part.room, AssetCard.objects.get(pk=desks.pk).quantity) == (45, room, 755)
    response = client.post(reverse("assets:card-hand-over", args=[desks.pk]), {"room": room.pk, "quantity": "900"})
    assert response.status_code == 400 and AssetCard.objects.count() == 2
    single = register(school, logistics_admin)
    assert 'name="quantity"' not in client.get(detail(single)).content.decode()


def test_a_ledger_row_shows_the_batch_the_department_and_an_overdue_loan(client_for, school, logistics_admin, room, building):
    from logistics.models import Department

    office = Department.objects.create(school=school, name="总务处")
    CardFactory(school=school, name="摄像机", room=room, department=office, quantity=2, unit="台", status="lent", lent_to="校团委",
                lent_due=timezone.localdate() - dt.timedelta(days=3))
    CardFactory(school=school, name="<b>打印机</b>")
    page = client_for(logistics_admin).get(LIST).content.decode()
    row = page[page.index('data-card="A02010105'):]
    assert "×2台" in row and "总务处" in row and f"{building.name} {room.code}" in row and "text-bg-danger" in row
    assert "&lt;b&gt;打印机&lt;/b&gt;" in page and "<b>打印机</b>" not in page  # escaped like any template value


def test_a_new_room_is_offered_in_the_filter_at_once(client_for, school, logistics_admin, building):
    client = client_for(logistics_admin)
    client.get(LIST)  # the filter's lists are now in the cache
    RoomFactory(building=building, code="B909", name="新实验室")
    assert "B909" in client.get(LIST).content.decode()


def shown_by_status(client) -> dict[str, int]:
    import re

    page = client.get("/").content.decode()
    return {s: int(n) for s, n in re.findall(r'data-status-link="(\w+)">[^<]*</a><span><span data-n>(\d+)</span>', page)}


def counted_by_status(school) -> dict[str, int]:
    from assets.models import ACTIVE_STATUSES

    return {s.value: AssetCard.objects.for_school(school).filter(status=s).count() for s in ACTIVE_STATUSES}


def test_the_by_status_card_is_kept_and_follows_every_change_to_the_ledger(client_for, school, logistics_admin, teacher):
    client = client_for(logistics_admin)
    register(school, logistics_admin)
    assert shown_by_status(client) == counted_by_status(school) and sum(shown_by_status(client).values()) == 1
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not [q for q in ctx.captured_queries if "original_value" in q["sql"] and "GROUP BY" in q["sql"]]  # kept
    card = register(school, logistics_admin, custodian=teacher)
    services.card_lend(card=card, by=logistics_admin, to="初二(1)班", due=timezone.localdate() + dt.timedelta(days=7))
    assert shown_by_status(client) == counted_by_status(school) and shown_by_status(client)["lent"] == 1
