"""What every signed-in page reads (the session, the person's membership, roles and permissions, the
unread count) is kept in the cache between pages (logistics.options.kept, logistics.sessions) and
never outlives a change: a role taken away, a permission withdrawn, a membership ended, a school
closed or added, a logout."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from logistics.models import Membership, Role
from tests.factories import PASSWORD, SchoolFactory, member

pytestmark = pytest.mark.django_db

EXPORT = "repairs:ticket-export"


def status(client: Client, name: str = EXPORT) -> int:
    return client.get(reverse(name)).status_code


def test_a_role_taken_away_closes_its_pages_on_the_next_request(client_for: Any, school: Any, logistics_admin: Any) -> None:
    client = client_for(logistics_admin)
    assert status(client) == status(client) == 200  # the second from what was kept
    Membership.objects.get(user=logistics_admin, school=school).roles.remove(Group.objects.get(name=Role.LOGISTICS_ADMIN))
    assert status(client) == 403


def test_a_permission_withdrawn_from_a_role_is_withdrawn_from_everyone_holding_it(client_for: Any, logistics_admin: Any) -> None:
    client = client_for(logistics_admin)
    assert status(client) == 200
    Group.objects.get(name=Role.LOGISTICS_ADMIN).permissions.remove(Permission.objects.get(codename="export_ticket"))
    assert status(client) == 403


@pytest.mark.parametrize("closed", ["membership", "school"])
def test_an_ended_membership_or_a_closed_school_leaves_the_person_without_a_school(client_for: Any, school: Any, logistics_admin: Any,
                                                                                 closed: str) -> None:
    client = client_for(logistics_admin)
    assert status(client) == 200
    record = Membership.objects.get(user=logistics_admin, school=school) if closed == "membership" else school
    record.is_active = False
    record.save()
    assert status(client) == 403


def test_a_second_school_offers_the_switcher_on_the_next_page(client_for: Any, logistics_admin: Any) -> None:
    client = client_for(logistics_admin)
    assert "data-school-switch" not in client.get(reverse("home")).content.decode()
    member(SchoolFactory(code="north", name="北城小学"), Role.STAFF, user=logistics_admin)
    assert "data-school-switch" in client.get(reverse("home")).content.decode()


def test_a_session_ended_by_logout_does_not_sign_in_again_from_the_cache(school: Any, teacher: Any) -> None:
    client = Client()
    assert client.post(reverse("login"), {"username": "teacher", "password": PASSWORD}).status_code == 302
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    assert stolen.get(reverse("home")).status_code == 302  # to the login page


def test_a_kept_value_is_built_again_when_its_records_or_its_time_say_so() -> None:
    from logistics.options import kept, move_on

    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert kept("test", "k", build) == kept("test", "k", build) == 1
    assert kept("test", "k", build, fresh=lambda value: value > 1) == 2  # out of date with time
    assert kept("test", "k", build, fresh=lambda value: value > 1) == 2
    move_on("test")  # one of its records changed
    assert kept("test", "k", build) == 3
