"""A member of one school can neither read nor change anything of another school, whatever URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from logistics.models import Building, Campus, Department, Membership, Room, SchoolClass, Term
from tests.factories import DepartmentFactory, SchoolClassFactory, TermFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_room: Any, other_school: Any, outsider: Any) -> dict[str, Any]:
    """One record of every core model in the other school."""
    return {
        "school": other_school,
        "campus": other_room.building.campus,
        "building": other_room.building,
        "room": other_room,
        "department": DepartmentFactory(school=other_school, name="外校总务处"),
        "schoolclass": SchoolClassFactory(school=other_school, head_teacher=outsider, name="外校九(9)班"),
        "term": TermFactory(school=other_school),
        "membership": Membership.objects.get(user=outsider),
        "user": outsider,
    }


def test_other_schools_detail_pages_are_not_found(client_for: Any, logistics_admin: Any, theirs: dict) -> None:
    client = client_for(logistics_admin)
    assert client.get(reverse("building-detail", args=[theirs["building"].pk])).status_code == 404
    assert client.get(reverse("room-detail", args=[theirs["room"].pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["building-list", "room-list", "class-list", "people-list", "term-list"])
def test_lists_show_nothing_of_another_school(client_for: Any, logistics_admin: Any, room: Any, theirs: dict, url_name: str) -> None:
    response = client_for(logistics_admin).get(reverse(url_name))
    assert response.status_code == 200
    page = response.content.decode()
    for secret in ("西城第二中学", "西楼", "Z101", "外校主任", theirs["schoolclass"].name, theirs["department"].name):
        assert secret not in page


def test_a_room_search_by_another_schools_building_finds_nothing(client_for: Any, teacher: Any, room: Any, theirs: dict) -> None:
    response = client_for(teacher).get(reverse("room-list"), {"building": theirs["building"].pk})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize("model", ["school", "campus", "building", "room", "department", "schoolclass", "term", "membership", "user"])
def test_admin_cannot_read_or_change_another_schools_records(client_for: Any, logistics_admin: Any, room: Any, theirs: dict, model: str) -> None:
    client = client_for(logistics_admin)
    obj = theirs[model]
    changelist = client.get(reverse(f"admin:logistics_{model}_changelist"))
    assert changelist.status_code in (200, 403)
    if changelist.status_code == 200:
        assert obj.pk not in [o.pk for o in changelist.context["cl"].result_list]
    change_url = reverse(f"admin:logistics_{model}_change", args=[obj.pk])
    # The admin answers "does not exist" (a redirect to the index with a message) or 403, never the form.
    response = client.get(change_url)
    assert response.status_code in (302, 403, 404)
    before = {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields}
    client.post(change_url, {"name": "被改掉了", "code": "hacked", "username": "hacked"})
    obj.refresh_from_db()
    assert {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields} == before


def test_admin_offers_no_building_of_another_school_when_adding_a_room(client_for: Any, logistics_admin: Any, room: Any, theirs: dict) -> None:
    response = client_for(logistics_admin).get(reverse("admin:logistics_room_add"))
    choices = [c[0].value for c in response.context["adminform"].form.fields["building"].choices if c[0]]
    assert room.building.pk in choices
    assert theirs["building"].pk not in choices


def test_admin_refuses_a_room_posted_into_another_schools_building(client_for: Any, logistics_admin: Any, room: Any, theirs: dict) -> None:
    response = client_for(logistics_admin).post(
        reverse("admin:logistics_room_add"), {"building": theirs["building"].pk, "code": "X1", "name": "偷建", "floor": 1, "kind": "office", "is_active": "on"}
    )
    assert response.status_code == 200  # the form again, with an error on the building
    assert "building" in response.context["adminform"].form.errors
    assert not Room.objects.filter(code="X1").exists()


def test_a_person_without_any_membership_sees_nothing(client_for: Any, room: Any) -> None:
    loner = member(room.building.campus.school, "staff")
    Membership.objects.filter(user=loner).delete()
    client = client_for(loner)
    assert client.get(reverse("home")).status_code == 403
    for name in ("building-list", "room-list", "term-list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("room-detail", args=[room.pk])).status_code == 403


def test_switching_to_a_school_one_does_not_belong_to_is_refused(client_for: Any, teacher: Any, other_school: Any, room: Any) -> None:
    client = client_for(teacher)
    response = client.post(reverse("school-switch"), {"school": other_school.pk}, follow=True)
    assert "您不是该学校的成员" in response.content.decode()
    assert client.get(reverse("room-detail", args=[room.pk])).status_code == 200


def test_a_member_of_two_schools_works_in_one_at_a_time(client_for: Any, teacher: Any, room: Any, other_room: Any, other_school: Any) -> None:
    member(other_school, "staff", user=teacher)
    client = client_for(teacher)
    assert client.get(reverse("room-detail", args=[room.pk])).status_code == 200
    assert client.get(reverse("room-detail", args=[other_room.pk])).status_code == 404
    client.post(reverse("school-switch"), {"school": other_school.pk})
    assert client.get(reverse("room-detail", args=[other_room.pk])).status_code == 200
    assert client.get(reverse("room-detail", args=[room.pk])).status_code == 404


def test_roles_count_only_in_the_school_they_were_given_in(client_for: Any, teacher: Any, other_school: Any, room: Any) -> None:
    # The teacher is logistics admin somewhere else: here, people stay hidden from them.
    member(other_school, "logistics_admin", user=teacher)
    client = client_for(teacher)
    assert client.get(reverse("people-list")).status_code == 403
    client.post(reverse("school-switch"), {"school": other_school.pk})
    assert client.get(reverse("people-list")).status_code == 200


def test_core_pages_need_a_login(room: Any) -> None:
    client = Client()
    for url in (reverse("home"), reverse("room-list"), reverse("room-detail", args=[room.pk]), reverse("people-list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_core_model_is_scoped_by_its_school_path(school: Any, other_school: Any, room: Any, other_room: Any) -> None:
    for model in (Campus, Building, Room, Department, SchoolClass, Term, Membership):
        assert model.objects.for_school(other_school).filter(pk__in=model.objects.for_school(school).values("pk")).count() == 0
    assert list(Room.objects.for_school(school)) == [room]
    assert list(Room.objects.for_school(None)) == []


def test_uploads_are_not_served_as_public_media(client_for: Any, logistics_admin: Any, settings: Any) -> None:
    (settings.MEDIA_ROOT / "repairs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "repairs" / "photo.jpg").write_bytes(b"not for everyone")
    assert client_for(logistics_admin).get("/media/repairs/photo.jpg").status_code == 404
