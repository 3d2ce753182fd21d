"""People in many schools: one searchable switcher page, and pages that cost the same for 2 schools or 121."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from logistics.models import Membership, Role, School
from logistics.scoping import SESSION_KEY
from tests.factories import SchoolFactory, member

pytestmark = pytest.mark.django_db


def district_viewer(home: School, n_schools: int, username: str, *, role: str = Role.DISTRICT_VIEWER) -> Any:
    """A person holding `role` in `home` and in `n_schools - 1` more schools, all sorting after `home`."""
    user = member(home, Role.STAFF, role, username=username, full_name="区教育局督导")
    for school in SchoolFactory.create_batch(n_schools - 1, name=f"{username}区第N中学"):
        member(school, role, user=user)
    assert Membership.objects.filter(user=user).count() == n_schools
    return user


def page_cost(client: Any, url: str) -> tuple[int, int]:
    """(queries, bytes) of a page; visit it once before, so session and per-process caches are warm."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_the_home_page_costs_the_same_for_two_schools_and_for_121(
    client_for: Any, school: School, django_assert_max_num_queries: Any
) -> None:
    # Staff of an education group: nothing on the home page is about the other schools but the switcher link.
    few = client_for(district_viewer(school, 2, "few", role=Role.STAFF))
    many = client_for(district_viewer(school, 121, "many", role=Role.STAFF))
    few.get(reverse("home")), many.get(reverse("home"))
    few_queries, few_bytes = page_cost(few, reverse("home"))
    with django_assert_max_num_queries(few_queries):
        many_queries, many_bytes = page_cost(many, reverse("home"))
    assert many_queries == few_queries
    # Only the number in "切换学校（共 N 所）" may differ, not a form per school.
    assert abs(many_bytes - few_bytes) < 8, (few_bytes, many_bytes)
    page = many.get(reverse("home")).content.decode()
    assert "切换学校（共 121 所）" in page
    assert 'name="school"' not in page  # no hidden switch form in the navigation


def test_a_district_viewers_pages_cost_the_same_queries_for_two_schools_and_for_121(
    client_for: Any, school: School, django_assert_max_num_queries: Any
) -> None:
    few = client_for(district_viewer(school, 2, "few"))
    many = client_for(district_viewer(school, 121, "many"))
    # The home page's roll-up table has a row per school (that is its content); its queries do not grow.
    few.get(reverse("home")), many.get(reverse("home")), few.get(reverse("room-list")), many.get(reverse("room-list"))
    few_queries, _ = page_cost(few, reverse("home"))
    with django_assert_max_num_queries(few_queries):
        page_cost(many, reverse("home"))
    # Any other page: the same queries and the same size.
    few_queries, few_bytes = page_cost(few, reverse("room-list"))
    with django_assert_max_num_queries(few_queries):
        many_queries, many_bytes = page_cost(many, reverse("room-list"))
    assert abs(many_bytes - few_bytes) < 8, (few_bytes, many_bytes)


def test_the_navigation_names_the_current_school_and_links_to_the_switcher(client_for: Any, school: School) -> None:
    page = client_for(district_viewer(school, 3, "nav")).get(reverse("room-list")).content.decode()
    assert school.name in page
    assert f'{reverse("school-switch")}?next=/places/rooms/' in page


def test_someone_in_one_school_is_not_offered_the_switcher(client_for: Any, teacher: Any) -> None:
    page = client_for(teacher).get(reverse("home")).content.decode()
    assert "data-school-switch" not in page


def test_the_switcher_lists_a_page_of_schools_and_pages_on(client_for: Any, school: School) -> None:
    client = client_for(district_viewer(school, 45, "pager"))
    first = client.get(reverse("school-switch")).content.decode()
    assert first.count('name="school"') == 20
    assert "第 1 / 3 页" in first
    last = client.get(reverse("school-switch"), {"page": 3}).content.decode()
    assert last.count('name="school"') == 5
    assert client.get(reverse("school-switch"), {"page": "x' or 1=1"}).status_code == 200


def test_the_search_finds_a_school_by_part_of_its_name(client_for: Any, school: School) -> None:
    user = district_viewer(school, 30, "search")
    wanted = SchoolFactory(code="hill7", name="青山湖畔实验小学")
    member(wanted, Role.DISTRICT_VIEWER, user=user)
    client = client_for(user)
    page = client.get(reverse("school-switch"), {"q": "湖畔"}).content.decode()
    assert page.count('name="school"') == 1
    assert f'name="school" value="{wanted.pk}"' in page
    assert "青山湖畔实验小学" in page
    by_code = client.get(reverse("school-switch"), {"q": "HILL"}).content.decode()
    assert f'name="school" value="{wanted.pk}"' in by_code
    nothing = client.get(reverse("school-switch"), {"q": "不存在的学校"}).content.decode()
    assert "没有匹配的学校" in nothing


def test_the_search_never_lists_a_school_one_does_not_belong_to(client_for: Any, teacher: Any, other_school: School) -> None:
    page = client_for(teacher).get(reverse("school-switch"), {"q": other_school.name[:2]}).content.decode()
    assert other_school.name not in page


def test_switching_moves_the_session_to_the_chosen_school_and_lands_home(client_for: Any, school: School) -> None:
    user = district_viewer(school, 3, "mover")
    target = Membership.objects.filter(user=user).exclude(school=school).first().school
    client = client_for(user)
    response = client.post(reverse("school-switch"), {"school": target.pk, "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == target.pk
    assert f"您正在{target.name}工作" in client.get(reverse("school-switch")).content.decode()


def test_switching_to_a_school_not_ones_own_is_refused(
    client_for: Any, teacher: Any, school: School, other_school: School
) -> None:
    client = client_for(teacher)
    response = client.post(reverse("school-switch"), {"school": other_school.pk}, follow=True)
    assert "您不是该学校的成员" in response.content.decode()
    assert client.session.get(SESSION_KEY) != other_school.pk
    assert response.wsgi_request.school == school


def test_switching_to_an_inactive_school_is_refused(client_for: Any, school: School) -> None:
    user = district_viewer(school, 2, "closed")
    closed = Membership.objects.filter(user=user).exclude(school=school).get().school
    School.objects.filter(pk=closed.pk).update(is_active=False)
    client = client_for(user)
    assert closed.name not in client.get(reverse("school-switch")).content.decode()
    response = client.post(reverse("school-switch"), {"school": closed.pk}, follow=True)
    assert "您不是该学校的成员" in response.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_switch_never_redirects_off_the_site(client_for: Any, school: School, target: str) -> None:
    user = district_viewer(school, 2, "safe")
    other = Membership.objects.filter(user=user).exclude(school=school).get().school
    response = client_for(user).post(reverse("school-switch"), {"school": other.pk, "next": target})
    assert response["Location"] == reverse("home")
    page = client_for(user).get(reverse("school-switch"), {"next": target}).content.decode()
    # Neither the back link nor the search form carries it (the navigation's own link quotes it, harmlessly).
    assert 'href="https://evil' not in page and 'href="//evil' not in page and 'href="javascript' not in page
    assert 'name="next" value="https://evil' not in page and 'name="next" value="//evil' not in page


def test_the_switcher_needs_a_login_and_a_csrf_token(client: Any, client_for: Any, school: School) -> None:
    response = client.get(reverse("school-switch"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    user = district_viewer(school, 2, "csrf")
    strict.force_login(user)
    other = Membership.objects.filter(user=user).exclude(school=school).get().school
    assert strict.post(reverse("school-switch"), {"school": other.pk}).status_code == 403
    assert strict.session.get(SESSION_KEY) != other.pk
