"""A list filter's choices come from the cache, and a change to what they list shows at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from logistics.models import Membership, Role
from logistics.options import options
from repairs.models import Category
from tests.factories import BuildingFactory, member

LIST = reverse("repairs:ticket-list")


def choices(client, name: str) -> list[str]:
    """The labels the ticket list's `name` select offers (its first, "all", option left out)."""
    return [label for _, label in client.get(LIST).context["form"].options[name][1:]]


def test_the_lists_are_read_once_then_come_from_the_cache(client_for, logistics_admin, building):
    client = client_for(logistics_admin)
    with CaptureQueriesContext(connection) as cold:
        client.get(LIST)
    with CaptureQueriesContext(connection) as warm:
        client.get(LIST)
    assert len(cold) - len(warm) >= 3  # the three lists (and the navigation's counts, for an approver)
    assert not any('FROM "repairs_category"' in q["sql"] or 'FROM "logistics_building"' in q["sql"] for q in warm.captured_queries)


def test_a_new_category_and_a_renamed_one_show_at_once(client_for, logistics_admin, school):
    client = client_for(logistics_admin)
    Category.ensure_defaults(school)
    before = choices(client, "category")
    added = Category.objects.create(school=school, name="空调", order=99)
    assert choices(client, "category") == [*before, "空调"]
    added.name = "空调与新风"
    added.save()
    assert choices(client, "category")[-1] == "空调与新风"
    added.delete()
    assert choices(client, "category") == before


def test_a_building_of_the_school_shows_at_once(client_for, logistics_admin, building, school):
    client = client_for(logistics_admin)
    assert choices(client, "building") == [building.name]
    BuildingFactory(campus=building.campus, code="Z", name="综合楼")
    assert choices(client, "building") == [building.name, "综合楼"]


def test_a_role_granted_taken_away_or_a_name_changed_shows_at_once(client_for, logistics_admin, repairer, teacher, school):
    client = client_for(logistics_admin)
    assert choices(client, "assignee") == ["王师傅"]
    membership = Membership.objects.get(user=teacher, school=school)
    membership.roles.add(Group.objects.get(name=Role.REPAIRER))
    assert sorted(choices(client, "assignee")) == sorted(["王师傅", "李老师"])
    Group.objects.get(name=Role.REPAIRER).memberships.remove(membership)  # from the role's side
    assert choices(client, "assignee") == ["王师傅"]
    repairer.full_name = "王建军"
    repairer.save()
    assert choices(client, "assignee") == ["王建军"]
    Membership.objects.filter(user=repairer).update(is_active=False)  # a bulk update sends no signal …
    Membership.objects.get(user=repairer).save()  # … the admin's save does
    assert choices(client, "assignee") == []


def test_another_schools_change_leaves_this_schools_list(client_for, logistics_admin, school, other_school):
    Category.ensure_defaults(school)
    Category.ensure_defaults(other_school)
    mine = options("repairs.category", school)
    Category.objects.create(school=other_school, name="外校的类别")
    with CaptureQueriesContext(connection) as ctx:
        assert options("repairs.category", school) == mine
    assert len(ctx) == 0


def test_without_the_cache_the_lists_are_read_from_the_database(client_for, logistics_admin, repairer, settings):
    # Redis out of reach (nobody listens on this port): the page still answers, with the lists.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6399/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    client = client_for(logistics_admin)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [label for _, label in response.context["form"].options["assignee"][1:]] == ["王师傅"]


def test_the_setting_at_zero_reads_every_time(client_for, logistics_admin, building, settings):
    settings.LIST_OPTIONS_CACHE_SECONDS = 0
    client = client_for(logistics_admin)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    assert sum('FROM "logistics_building"' in q["sql"] for q in ctx.captured_queries) == 1


@pytest.fixture
def other_school(db):
    from tests.factories import SchoolFactory

    return SchoolFactory(code="west", name="西城中学")
