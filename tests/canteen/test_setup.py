"""The set-up screens outside the admin: who may see and change them, the school's rows only, bad
input refused next to its field with nothing saved, text shown as text, rows taken out of use (never
deleted) and every change audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen.models import AgeBand, Canteen, ChecklistItem, Fridge, Meal, Staff, Supplier
from logistics.audit import AuditEntry
from logistics.chronicle.models import ChronicleEntry as Entry
from logistics.models import Role
from tests.canteen.conftest import jpeg
from tests.canteen.factories import StaffFactory
from tests.factories import member

pytestmark = pytest.mark.django_db

SECTIONS = ("canteens", "meals", "fridges", "staff", "suppliers", "checklist")


def list_url(section: str) -> str:
    return reverse("canteen:setup-list", args=[section])


def add_url(section: str) -> str:
    return reverse("canteen:setup-add", args=[section])


def edit_url(section: str, pk: int) -> str:
    return reverse("canteen:setup-edit", args=[section, pk])


def staff_data(canteen: Any, **changes: Any) -> dict[str, Any]:
    data = {"canteen": canteen.pk, "name": "孙师傅", "post": "切配", "certificate_no": "JKZ202600099", "certificate_issued": "2026-03-01",
            "certificate_expires": "2027-02-28", "on_duty": "on", "is_active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def canteen_data(**changes: Any) -> dict[str, Any]:
    data = {"name": "教工食堂", "operator": "", "licence_no": "JY13301010000009", "licence_expires": "2029-06-30", "opens_at": "06:30",
            "menu_band": "9-11", "sample_min_grams": 125, "sample_hours": 48, "certificate_notice_days": 30, "rapid_test_limit": "50",
            "is_active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("section", SECTIONS)
def test_the_set_up_lists_access_matrix(section: str, access: Any, client_for: Any, canteen: Any, manager: Any, vice: Any, principal: Any,
                                        logistics_admin: Any, teacher: Any, district: Any) -> None:
    access(client_for, list_url(section), {None: 302, manager: 200, vice: 200, principal: 200, logistics_admin: 200, teacher: 403,
                                           district: 403})
    # Reading is not changing: the canteen manager and the logistics office add; the leaders read.
    access(client_for, add_url(section), {None: 302, manager: 200, logistics_admin: 200, vice: 403, principal: 403, teacher: 403,
                                          district: 403})


def test_the_set_up_index_and_roster_access(access: Any, client_for: Any, canteen: Any, manager: Any, principal: Any, teacher: Any,
                                            logistics_admin: Any) -> None:
    access(client_for, reverse("canteen:setup"), {None: 302, manager: 200, principal: 200, teacher: 403})
    # The office edits a canteen; the principal may open it but not save it.
    url = edit_url("canteens", canteen.pk)
    access(client_for, url, {logistics_admin: 200, principal: 403})
    access(client_for, url, {principal: 403}, method="post", data=canteen_data(name=canteen.name))
    access(client_for, url, {logistics_admin: 302}, method="post", data=canteen_data(name=canteen.name, menu_band="6-8"))
    canteen.refresh_from_db()
    assert canteen.menu_band == AgeBand.AGE_6_8
    access(client_for, reverse("canteen:setup-roster"), {None: 302, manager: 200, principal: 200, teacher: 403})
    access(client_for, reverse("canteen:setup-roster"), {principal: 403, teacher: 403}, method="post", data={"on_duty": []})
    assert client_for(manager).get(list_url("nonsense")).status_code == 404


def test_another_schools_rows_are_404_and_its_canteen_cannot_be_chosen(client_for: Any, canteen: Any, other_canteen: Any,
                                                                       other_school: Any, manager: Any) -> None:
    theirs = {"canteens": other_canteen, "staff": StaffFactory(canteen=other_canteen), "fridges": Fridge.objects.create(canteen=other_canteen, name="西冰箱"),
              "meals": other_canteen.meals.first(), "suppliers": Supplier.objects.create(school=other_school, name="西城配送"),
              "checklist": ChecklistItem.objects.create(school=other_school, group="环境", text="地面干净")}
    client = client_for(manager)
    for section, row in theirs.items():
        assert client.get(edit_url(section, row.pk)).status_code == 404, section
        assert client.post(edit_url(section, row.pk), {"name": "改名"}).status_code == 404, section
    # Their canteen id in our form is an invalid choice: nothing is saved.
    response = client.post(add_url("staff"), staff_data(other_canteen))
    assert response.status_code == 400
    assert "canteen" in response.context["form"].errors
    assert not Staff.objects.filter(name="孙师傅").exists()
    # Their own manager does not see our rows.
    their_manager = member(other_school, Role.STAFF, Role.CANTEEN_MANAGER, username="west-canteen")
    assert client_for(their_manager).get(edit_url("canteens", canteen.pk)).status_code == 404
    assert canteen.name.encode() not in client_for(their_manager).get(list_url("canteens")).content


def test_the_manager_adds_a_staff_member_with_a_photo_and_it_is_audited(client_for: Any, canteen: Any, manager: Any) -> None:
    response = client_for(manager).post(add_url("staff"), {**staff_data(canteen), "photo": jpeg("face.jpg")})
    assert response.status_code == 302
    person = Staff.objects.get(name="孙师傅")
    assert (person.canteen, person.certificate_expires, person.on_duty) == (canteen, dt.date(2027, 2, 28), True)
    assert person.photo.name.endswith(".jpg") and "face" not in person.photo.name  # re-encoded, no EXIF, a new name
    entry = AuditEntry.objects.get(object_id=person.pk, action="canteen.staff.created")
    assert entry.actor == manager


def test_a_certificate_expiring_before_its_issue_is_refused_with_the_rest_kept(client_for: Any, canteen: Any, manager: Any) -> None:
    response = client_for(manager).post(add_url("staff"), staff_data(canteen, certificate_issued="2026-03-01", certificate_expires="2026-02-01"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "certificate_expires" in form.errors
    assert form["name"].value() == "孙师傅" and form["certificate_no"].value() == "JKZ202600099"
    assert not Staff.objects.filter(name="孙师傅").exists()
    assert not AuditEntry.objects.filter(action="canteen.staff.created").exists()


def test_a_certificate_longer_than_a_year_or_issued_tomorrow_is_refused(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    too_long = client.post(add_url("staff"), staff_data(canteen, certificate_issued="2026-03-01", certificate_expires="2028-03-01"))
    assert "certificate_expires" in too_long.context["form"].errors
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = client.post(add_url("staff"), staff_data(canteen, certificate_issued=tomorrow, certificate_expires=None))
    assert "certificate_issued" in future.context["form"].errors
    assert not Staff.objects.filter(name="孙师傅").exists()


def test_a_photo_that_is_not_a_picture_is_refused(client_for: Any, canteen: Any, manager: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("face.jpg", b"=cmd|' /C calc'!A0", content_type="image/jpeg")
    response = client_for(manager).post(add_url("staff"), {**staff_data(canteen), "photo": fake})
    assert response.status_code == 400 and "photo" in response.context["form"].errors
    assert not Staff.objects.filter(name="孙师傅").exists()


def test_an_expired_licence_is_refused_for_a_canteen_and_a_supplier(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(add_url("canteens"), canteen_data(licence_expires=yesterday))
    assert response.status_code == 400
    assert "licence_expires" in response.context["form"].errors
    assert "expired" in str(response.context["form"].errors["licence_expires"]) or "过期" in str(response.context["form"].errors["licence_expires"])
    response = client.post(add_url("suppliers"), {"name": "新鲜肉联厂", "licence_no": "JY1", "licence_expires": yesterday, "is_active": "on"})
    assert response.status_code == 400 and "licence_expires" in response.context["form"].errors
    assert not Canteen.objects.filter(name="教工食堂").exists() and not Supplier.objects.filter(name="新鲜肉联厂").exists()
    # A contracted operator without a licence number is refused too.
    response = client.post(add_url("canteens"), canteen_data(operator="某某餐饮管理有限公司", licence_no="", licence_expires=""))
    assert "licence_no" in response.context["form"].errors


def test_a_duplicate_name_or_meal_is_refused(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    response = client.post(add_url("canteens"), canteen_data(name=canteen.name))
    assert response.status_code == 400 and "name" in response.context["form"].errors
    response = client.post(add_url("meals"), {"canteen": canteen.pk, "kind": "lunch", "serves_at": "12:00", "is_active": "on"})
    assert response.status_code == 400
    assert Meal.objects.filter(canteen=canteen, kind="lunch").count() == 1


def test_a_formula_or_script_in_a_text_field_is_shown_as_text(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    client.post(add_url("suppliers"), {"name": "<script>alert(1)</script>", "products": "=HYPERLINK(\"http://x\")", "licence_no": "JY2",
                                       "licence_expires": "2029-01-01", "is_active": "on"})
    supplier = Supplier.objects.get(licence_no="JY2")
    assert supplier.name == "<script>alert(1)</script>"  # stored as typed
    page = client.get(list_url("suppliers")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    edit = client.get(edit_url("suppliers", supplier.pk)).content.decode()
    assert "<script>alert(1)</script>" not in edit


def test_the_manager_edits_a_canteen_band_and_a_kindergarten_has_none(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    response = client.post(edit_url("canteens", canteen.pk), canteen_data(name=canteen.name, menu_band="15-17"))
    assert response.status_code == 302
    canteen.refresh_from_db()
    assert canteen.menu_band == AgeBand.AGE_15_17
    entry = AuditEntry.objects.get(object_id=canteen.pk, action="canteen.canteen.changed")
    assert "menu_band" in entry.data["fields"]
    client.post(edit_url("canteens", canteen.pk), canteen_data(name=canteen.name, menu_band="9-11", is_kindergarten="on"))
    canteen.refresh_from_db()
    assert canteen.is_kindergarten and canteen.menu_band == AgeBand.NONE


def test_a_fridge_is_taken_out_of_use_not_deleted(client_for: Any, canteen: Any, fridge: Any, manager: Any) -> None:
    client = client_for(manager)
    response = client.post(edit_url("fridges", fridge.pk), {"canteen": canteen.pk, "name": fridge.name})
    assert response.status_code == 302
    fridge.refresh_from_db()
    assert not fridge.is_active
    assert AuditEntry.objects.filter(object_id=fridge.pk, action="canteen.fridge.deactivated").exists()
    page = client.get(list_url("fridges")).content.decode()
    assert fridge.name in page and "data-inactive" in page


def test_dropping_a_supplier_needs_a_reason_and_tells_the_chronicle(client_for: Any, supplier: Any, manager: Any) -> None:
    client = client_for(manager)
    data = {"name": supplier.name, "licence_no": supplier.licence_no, "licence_expires": "2028-06-30"}
    response = client.post(edit_url("suppliers", supplier.pk), data)
    assert response.status_code == 400 and "dropped_reason" in response.context["form"].errors
    supplier.refresh_from_db()
    assert supplier.is_active
    response = client.post(edit_url("suppliers", supplier.pk), {**data, "dropped_reason": "蔬菜农残两次阳性"})
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert not supplier.is_active and supplier.dropped_reason == "蔬菜农残两次阳性" and supplier.dropped_on == timezone.localdate()
    assert Entry.objects.filter(title__contains=supplier.name).exists()
    # Back in use: the reason is cleared, the licence still has to be valid.
    response = client.post(edit_url("suppliers", supplier.pk), {**data, "is_active": "on"})
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_active and supplier.dropped_reason == "" and supplier.dropped_on is None


def test_the_duty_roster_sets_who_is_checked_each_morning(client_for: Any, canteen: Any, cooks: list[Any], manager: Any) -> None:
    client = client_for(manager)
    response = client.post(reverse("canteen:setup-roster"), {"on_duty": [cooks[0].pk, cooks[2].pk]})
    assert response.status_code == 302
    assert [s.on_duty for s in Staff.objects.filter(pk__in=[c.pk for c in cooks]).order_by("pk")] == [True, False, True]
    assert AuditEntry.objects.filter(action="canteen.staff.roster", object_id=cooks[1].pk, to_state="off").count() == 1
    outsider_staff = StaffFactory()
    response = client.post(reverse("canteen:setup-roster"), {"on_duty": [outsider_staff.pk]})
    assert response.status_code == 400
    assert Staff.objects.get(pk=cooks[0].pk).on_duty


def test_a_checklist_item_is_added_for_the_kindergarten_template(client_for: Any, manager: Any, school: Any) -> None:
    page = client_for(manager).get(list_url("checklist")).content.decode()
    standard = ChecklistItem.objects.filter(school=school).count()
    assert standard > 0 and page.count("data-setup-row") == standard  # the standard checklist is there to edit
    response = client_for(manager).post(add_url("checklist"), {"group": "晨午检", "text": "幼儿晨检一摸二看三问四查", "for_kindergarten": "on",
                                                               "order": 5, "is_active": "on"})
    assert response.status_code == 302
    item = ChecklistItem.objects.get(text="幼儿晨检一摸二看三问四查")
    assert item.school == school and item.for_kindergarten


def test_a_set_up_list_costs_the_same_with_many_rows(client_for: Any, canteen: Any, manager: Any, django_assert_num_queries: Any) -> None:
    client = client_for(manager)
    url = list_url("staff")
    client.get(url)  # warm the navigation counts
    StaffFactory(canteen=canteen)
    with django_assert_num_queries(2) as few:  # the person and the rows: the session, roles and counts are kept
        client.get(url)
    for _ in range(25):
        StaffFactory(canteen=canteen)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_editing_a_staff_member_keeps_the_photo_unless_a_new_one_is_sent(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    client.post(add_url("staff"), {**staff_data(canteen), "photo": jpeg("face.jpg")})
    person = Staff.objects.get(name="孙师傅")
    first = person.photo.name
    page = client.get(edit_url("staff", person.pk)).content.decode()
    assert "data-has-photo" in page and first not in page  # the stored file is not linked from the form
    assert client.post(edit_url("staff", person.pk), staff_data(canteen, post="面点")).status_code == 302
    person.refresh_from_db()
    assert person.photo.name == first and person.post == "面点"
    client.post(edit_url("staff", person.pk), {**staff_data(canteen), "photo": jpeg("new.jpg")})
    person.refresh_from_db()
    assert person.photo.name != first


def test_a_staff_members_name_is_asked_for_as_a_persons_name(client_for: Any, canteen: Any, manager: Any) -> None:
    form = client_for(manager).get(add_url("staff")).context["form"]
    assert str(form["name"].label) == "姓名"
