"""The admin names nothing of another school (issue 10, security 4): not in a changelist, not in
its filters, not through the view-on-site shortcut."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from logistics.models import Role
from repairs.models import Category
from tests.factories import BuildingFactory, CampusFactory, DepartmentFactory, RoomFactory, SchoolClassFactory, TermFactory, member
from tests.repairs.conftest import submit

SECRET = "西城"  # every name of the other school carries it (the school is 西城第二中学)


@pytest.fixture
def other_schools_records(other_school, outsider):
    campus = CampusFactory(school=other_school, name="西城北校区")
    building = BuildingFactory(campus=campus, code="XC", name="西城科技楼")
    room = RoomFactory(building=building, code="XC301", name="西城机房")
    department = DepartmentFactory(school=other_school, name="西城财务处")
    SchoolClassFactory(school=other_school, name="西城初二(5)班", room=room)
    TermFactory(school=other_school)
    category = Category.objects.create(school=other_school, name="西城专用类别")
    outsider.memberships.update(department=department, title="西城主任")
    colleague = member(other_school, Role.STAFF, full_name="西城王老师", username="xc-wang")
    return submit(other_school, colleague, room, category)


@pytest.fixture
def own_records(school, building, room, term):
    Category.ensure_defaults(school)
    DepartmentFactory(school=school, name="东城总务处")


def changelists():
    return sorted(
        (f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist", m._meta.label)
        for m in admin.site._registry
    )


def test_a_school_admin_sees_no_name_of_another_school_in_any_changelist_or_filter(
    client_for, logistics_admin, other_schools_records, own_records
):
    client = client_for(logistics_admin)
    opened = []
    for url_name, label in changelists():
        response = client.get(reverse(url_name))
        if response.status_code == 403:  # no role of theirs may view it (e.g. login attempts)
            continue
        assert response.status_code == 200, label
        page = response.content.decode()
        assert SECRET not in page, f"{label} names another school's record"
        opened.append(label)
    assert {"logistics.Building", "logistics.Room", "logistics.Membership", "logistics.Campus", "logistics.Term",
            "logistics.Department", "repairs.Ticket", "repairs.Category"} <= set(opened)


def test_the_filters_still_offer_the_schools_own_records(client_for, logistics_admin, other_schools_records, own_records):
    client = client_for(logistics_admin)
    rooms = client.get(reverse("admin:logistics_room_changelist")).content.decode()
    assert "教学楼A栋" in rooms  # the building filter
    memberships = client.get(reverse("admin:logistics_membership_changelist")).content.decode()
    assert "东城总务处" in memberships  # the department filter
    tickets = client.get(reverse("admin:repairs_ticket_changelist")).content.decode()
    assert "空调/电器" in tickets  # the category filter


def test_a_superuser_still_filters_by_any_school(client, other_schools_records, own_records, school):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(reverse("admin:logistics_room_changelist")).content.decode()
    assert "西城科技楼" in page and "教学楼A栋" in page


def test_the_view_on_site_shortcut_answers_only_for_the_schools_own_objects(
    client_for, logistics_admin, other_schools_records, own_records, school, teacher, room
):
    own = submit(school, teacher, room, Category.objects.for_school(school).first())
    client = client_for(logistics_admin)
    tickets = ContentType.objects.get_for_model(own).pk
    response = client.get(f"/admin/r/{tickets}/{own.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(own.get_absolute_url())
    foreign = client.get(f"/admin/r/{tickets}/{other_schools_records.pk}/")
    missing = client.get(f"/admin/r/{tickets}/987654321/")
    assert foreign.status_code == missing.status_code == 404  # the same answer: nothing to tell apart
    assert client.get(f"/admin/r/{tickets}/abc/").status_code == 404
    assert client.get(f"/admin/r/{ContentType.objects.get_for_model(room).pk}/{room.pk}/").status_code == 302
    assert client.get("/admin/r/999999/1/").status_code == 404


def test_the_core_tables_show_in_groups_and_none_is_lost(client_for, logistics_admin):
    """Fourteen core tables in one column were hard to scan: they show in named groups, and every
    table the person may open is still listed exactly once."""
    response = client_for(logistics_admin).get(reverse("admin:index"))
    core = [app for app in response.context["app_list"] if app["app_label"] == "logistics"]
    listed = [m["object_name"] for app in core for m in app["models"]]
    assert len(listed) == len(set(listed))
    assert {"School", "Campus", "Building", "Room", "Department", "SchoolClass", "Term", "Membership"} <= set(listed)
    assert [app["name"] for app in core][:3] == ["学校与场所", "人员与班级", "学期与总结"]
    assert next(app for app in core if app["name"] == "学校与场所")["models"][0]["object_name"] == "School"
