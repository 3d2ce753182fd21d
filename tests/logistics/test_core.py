from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from logistics import audit
from logistics.celery import app as celery_app
from logistics.models import Membership, Role, Room, School, Term, User, chinese_date
from logistics.notifications import Notification, deliver, notify
from tests.factories import PASSWORD, TermFactory, member

pytestmark = pytest.mark.django_db


def test_a_term_is_shown_and_coded_as_schools_write_it(school: Any) -> None:
    term = TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 10))
    assert str(term) == "2025—2026学年第二学期"
    assert term.code == "2025-2026-2"
    assert Term.parse_code("2025-2026-2") == (2025, 2)
    assert Term.parse_code("2025-2027-2") is None
    assert Term.parse_code("2025-2026-3") is None
    assert Term.parse_code("next term") is None


def test_the_current_and_previous_terms_follow_the_calendar(school: Any) -> None:
    first = TermFactory(school=school, year=2025, semester=1, start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 23))
    second = TermFactory(school=school, year=2025, semester=2, start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 10))
    assert Term.objects.for_school(school).current(on=dt.date(2026, 3, 1)) == second
    # In the summer holiday the term that has just ended is still the one to report on.
    assert Term.objects.for_school(school).current(on=dt.date(2026, 8, 1)) == second
    assert second.previous() == first
    assert first.previous() is None


def test_overlapping_or_backward_terms_are_refused(school: Any) -> None:
    TermFactory(school=school, year=2025, semester=1, start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 23))
    overlapping = Term(school=school, year=2025, semester=2, start=dt.date(2026, 1, 10), end=dt.date(2026, 7, 10))
    with pytest.raises(ValidationError, match="重叠"):
        overlapping.full_clean()
    backward = Term(school=school, year=2026, semester=1, start=dt.date(2026, 9, 1), end=dt.date(2026, 8, 1))
    with pytest.raises(ValidationError):
        backward.full_clean()


def test_dates_are_written_in_chinese_numerals() -> None:
    assert chinese_date(dt.date(2026, 7, 10)) == "二〇二六年七月"
    assert chinese_date(dt.date(2026, 12, 25), day=True) == "二〇二六年十二月二十五日"
    assert chinese_date(dt.date(2027, 1, 1), day=True) == "二〇二七年一月一日"


def test_people_log_in_with_username_or_mobile(teacher: User) -> None:
    teacher.phone = "13912345678"
    teacher.save()
    assert authenticate(username="teacher", password=PASSWORD) == teacher
    assert authenticate(username="TEACHER", password=PASSWORD) == teacher
    assert authenticate(username="13912345678", password=PASSWORD) == teacher
    assert authenticate(username="13912345678", password="wrong") is None
    assert authenticate(username="nobody", password=PASSWORD) is None


def test_a_deactivated_person_cannot_log_in(teacher: User) -> None:
    teacher.is_active = False
    teacher.save()
    assert authenticate(username="teacher", password=PASSWORD) is None


def test_the_login_page_signs_in_and_lands_on_the_home_page(teacher: User) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "我的工作台" in response.content.decode()


@pytest.mark.parametrize(
    "role,title",
    [
        (Role.PRINCIPAL, "校长工作台"),
        (Role.VICE_PRINCIPAL, "副校长工作台"),
        (Role.LOGISTICS_ADMIN, "后勤处工作台"),
        (Role.REPAIRER, "我的维修任务"),
        (Role.CLASS_TEACHER, "班主任工作台"),
        (Role.CANTEEN_MANAGER, "食堂工作台"),
        (Role.SAFETY_OFFICER, "安全工作台"),
        (Role.FINANCE, "财务工作台"),
        (Role.DISTRICT_VIEWER, "教育局概览"),
        (Role.STAFF, "我的工作台"),
    ],
)
def test_each_role_has_its_own_home_page(client_for: Any, school: School, role: str, title: str) -> None:
    user = member(school, role)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    assert f"data-home-title>{title}<" in response.content.decode()


def test_the_navigation_shows_only_what_a_role_uses(client_for: Any, teacher: User, logistics_admin: User) -> None:
    teacher_page = client_for(teacher).get(reverse("home")).content.decode()
    admin_page = client_for(logistics_admin).get(reverse("home")).content.decode()
    assert reverse("people-list") not in teacher_page
    assert reverse("people-list") in admin_page


def test_english_is_switchable_per_person(client_for: Any, teacher: User) -> None:
    client = client_for(teacher)
    response = client.post(reverse("profile"), {"full_name": "李老师", "phone": "", "email": "", "language": "en"}, follow=True)
    assert "Your profile has been saved." in response.content.decode()
    assert "My desk" in client.get(reverse("home")).content.decode()
    teacher.refresh_from_db()
    assert teacher.language == "en" and teacher.phone is None


def test_a_profile_with_a_bad_mobile_keeps_what_was_typed(client_for: Any, teacher: User) -> None:
    response = client_for(teacher).post(reverse("profile"), {"full_name": "新名字", "phone": "12345", "email": "", "language": "zh-hans"})
    assert response.status_code == 200
    assert "请输入11位手机号码" in response.content.decode()
    assert 'value="新名字"' in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.full_name == "李老师"


def test_notifications_are_saved_and_mailed_to_people_with_an_address(
    school: School, teacher: User, repairer: User, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the services run has a real broker
    repairer.email = ""
    repairer.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify([teacher, repairer, teacher], school=school, compose=lambda: ("报修单已派工", "王师傅将上门维修"), url="/x/")
    assert len(created) == 2  # each person once
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert Notification.objects.get(recipient=teacher).email_status == Notification.Email.SENT
    assert Notification.objects.get(recipient=repairer).email_status == Notification.Email.NONE


def test_a_failed_mail_stays_pending_and_is_retried(school: Any, teacher: User, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.logistics.test_core.BrokenMailBackend"
    [n] = notify([teacher], school=school, compose=lambda: ("s", "b"))
    assert deliver([n.pk]) == 0
    n.refresh_from_db()
    assert n.email_status == Notification.Email.PENDING and n.email_attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver([n.pk]) == 1
    n.refresh_from_db()
    assert n.email_status == Notification.Email.SENT


class BrokenMailBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_the_unread_count_shows_in_the_shell_and_clears(client_for: Any, school: School, teacher: User) -> None:
    notify([teacher], school=school, compose=lambda: ("新通知", ""))
    client = client_for(teacher)
    assert "data-unread>1<" in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications-read"))
    assert "data-unread" not in client.get(reverse("home")).content.decode()


def test_nobody_marks_someone_elses_notifications_read(client_for: Any, school: School, teacher: User, repairer: User) -> None:
    [n] = notify([repairer], school=school, compose=lambda: ("给维修工", ""))
    client_for(teacher).post(reverse("notifications-read"), {"id": n.pk})
    n.refresh_from_db()
    assert n.read_at is None


def test_the_audit_log_keeps_who_when_from_and_to(school: School, room: Room, logistics_admin: User) -> None:
    audit.record(room, "logistics.room.closed", by=logistics_admin, school=school, from_state="open", to_state="closed", note="漏水")
    [entry] = audit.history_of(room)
    assert (entry.actor, entry.from_state, entry.to_state, entry.note) == (logistics_admin, "open", "closed", "漏水")


def test_seed_demo_creates_the_demo_school_once_with_every_role(capsys: Any) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    school = School.objects.get(code="demo")
    assert School.objects.filter(code="demo").count() == 1
    assert 100 <= Room.objects.for_school(school).count() <= 140
    assert school.classes.count() == 24
    for username, role in [("principal", "principal"), ("vice", "vice_principal"), ("logistics", "logistics_admin"), ("repairer", "repairer"),
                           ("teacher", "staff"), ("headteacher", "class_teacher"), ("canteen", "canteen_manager"), ("safety", "safety_officer"),
                           ("finance", "finance"), ("district", "district_viewer")]:
        assert Membership.objects.get(user__username=username, school=school).has_role(role)
        assert authenticate(username=username, password="demo2026") is not None
    terms = Term.objects.for_school(school)
    assert terms.count() == 3 and terms.current() is not None and terms.current().previous() is not None
    assert "principal" in capsys.readouterr().out


def test_a_district_viewer_sees_a_roll_up_of_their_schools_only(client_for: Any, school: School, other_school: School, room: Room) -> None:
    viewer = member(school, Role.DISTRICT_VIEWER)
    member(other_school, Role.DISTRICT_VIEWER, user=viewer)
    third = School.objects.create(code="north", name="北城小学")
    response = client_for(viewer).get(reverse("home"))
    [rollup] = [context for w, context in response.context["widgets"] if w.key == "core-district"]
    rows = {r["school"].code: r for r in rollup["rows"]}
    assert set(rows) == {"east", "west"}
    assert rows["east"]["rooms"] == 1 and rows["east"]["buildings"] == 1 and rows["west"]["rooms"] == 0
    assert third.name not in response.content.decode()


def test_the_district_roll_up_groups_its_columns_by_app_and_gives_each_school_a_card(client_for: Any, school: School, room: Room) -> None:
    viewer = member(school, Role.DISTRICT_VIEWER)
    response = client_for(viewer).get(reverse("home"))
    [rollup] = [context for w, context in response.context["widgets"] if w.key == "core-district"]
    assert sum(g["span"] for g in rollup["groups"]) == len(rollup["columns"])
    labels = [str(g["label"]) for g in rollup["groups"]]
    assert len(labels) == len(set(labels))  # each app once: its columns sit together
    [card] = rollup["rows"]
    assert {str(g["label"]) for g in card["groups"]} == set(labels)
    [core] = [g for g in card["groups"] if str(g["label"]) == str(labels[0])]
    assert ("rooms", 1) in [(column.key, value) for column, value in core["items"]]
    html = response.content.decode()
    assert 'data-school-card="east"' in html and 'data-district' in html


def test_nobody_else_gets_the_district_roll_up(client_for: Any, principal: User) -> None:
    keys = [w.key for w, _ in client_for(principal).get(reverse("home")).context["widgets"]]
    assert "core-district" not in keys


def test_the_district_table_costs_the_same_for_3_and_30_schools(client_for: Any, django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SchoolFactory

    viewer = None
    costs = []
    for n in (3, 30):
        for i in range(n - (0 if viewer is None else 3)):
            school = SchoolFactory(code=f"d{n}-{i}", name=f"区属第{n}-{i}学校")
            viewer = member(school, Role.DISTRICT_VIEWER, user=viewer) if viewer else member(school, Role.DISTRICT_VIEWER)
        client = client_for(viewer)
        client.get(reverse("home"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        costs.append(len(queries))
        [rollup] = [context for w, context in response.context["widgets"] if w.key == "core-district"]
        assert len(rollup["rows"]) == n
    assert costs[0] == costs[1]


def test_the_district_table_shows_each_schools_repairs_and_report_state(client_for: Any, school: School, other_school: School, room: Room) -> None:
    from repairs import services
    from repairs.models import Category
    from logistics.reports.models import TermReport
    from tests.factories import TermFactory

    viewer = member(school, Role.DISTRICT_VIEWER)
    member(other_school, Role.DISTRICT_VIEWER, user=viewer)
    teacher = member(school, Role.STAFF)
    Category.ensure_defaults(school)
    for i in range(2):
        services.ticket_submit(school=school, reporter=teacher, room=room, category=Category.objects.for_school(school).first(), description=f"坏了{i}")
    term = TermFactory(school=school)
    TermReport.objects.create(school=school, term=term, title="t")
    response = client_for(viewer).get(reverse("home"))
    [rollup] = [context for w, context in response.context["widgets"] if w.key == "core-district"]
    rows = {r["school"].code: r for r in rollup["rows"]}
    assert rows["east"]["repairs-open"] == 2 and rows["west"]["repairs-open"] == 0 and rows["west"]["repairs-satisfaction"] is None
    assert rows["east"]["reports-state"] == "草稿"
    page = response.content.decode()
    assert "未结报修" in page and "本学期总结" in page


def test_every_page_sends_a_content_security_policy_with_a_script_nonce(client_for: Any, principal: User) -> None:
    response = client_for(principal).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_marking_a_notification_read_with_a_bad_id_is_a_400_not_a_500(client_for: Any, principal: User) -> None:
    client = client_for(principal)
    for bad in ("abc", "1e9", "-1", "12345678901234567890123"):
        assert client.post(reverse("notifications-read"), {"id": bad}).status_code == 400
    assert client.post(reverse("notifications-read"), {"id": "999999"}).status_code == 302
