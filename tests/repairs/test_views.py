from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.models import Role
from logistics.notifications import Notification
from repairs import services
from repairs.models import Status, Ticket, Urgency
from tests.factories import RoomFactory, member
from tests.repairs.conftest import submit

REPORT = reverse("repairs:ticket-report")
LIST = reverse("repairs:ticket-list")


def detail(ticket: Ticket) -> str:
    return reverse("repairs:ticket-detail", args=[ticket.pk])


def numbers(response) -> list[str]:
    return [t.number for t in response.context["page"]]


# --- Who may open what -------------------------------------------------------------------------------

def test_the_permission_matrix_of_the_screens(access, client_for, ticket, teacher, repairer, logistics_admin, principal, outsider):
    access(client_for, LIST, {None: 302, teacher: 200, repairer: 200, principal: 200, outsider: 200})
    access(client_for, REPORT, {None: 302, teacher: 200, outsider: 200})
    access(client_for, reverse("repairs:queue"), {None: 302, teacher: 403, repairer: 403, principal: 403, logistics_admin: 200})
    access(client_for, reverse("repairs:my-jobs"), {None: 302, teacher: 403, repairer: 200, logistics_admin: 200})
    access(client_for, reverse("repairs:ticket-export"), {None: 302, teacher: 403, repairer: 403, principal: 200, logistics_admin: 200})
    access(client_for, detail(ticket), {None: 302, teacher: 200, repairer: 404, principal: 200, logistics_admin: 200, outsider: 404})


def test_post_only_actions_refuse_the_wrong_role_and_hide_other_schools(access, client_for, ticket, teacher, repairer, outsider, logistics_admin):
    url = reverse("repairs:ticket-dispatch", args=[ticket.pk])
    access(client_for, url, {None: 302, teacher: 403, repairer: 403, outsider: 404}, method="post", data={"repairer": repairer.pk})
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SUBMITTED
    access(client_for, url, {logistics_admin: 405}, method="get")


def test_staff_see_their_own_tickets_repairers_theirs_leaders_all(school, client_for, teacher, class_teacher, repairer, principal, outsider,
                                                                  room, category, logistics_admin):
    mine = submit(school, teacher, room, category)
    theirs = submit(school, class_teacher, room, category)
    services.ticket_dispatch(ticket=theirs, by=logistics_admin, repairer=repairer)
    assert numbers(client_for(teacher).get(LIST)) == [mine.number]
    assert numbers(client_for(repairer).get(LIST)) == [theirs.number]
    assert set(numbers(client_for(principal).get(LIST))) == {mine.number, theirs.number}
    assert numbers(client_for(outsider).get(LIST)) == []


# --- Reporting ----------------------------------------------------------------------------------------

def test_a_qr_link_pre_fills_the_room(client_for, teacher, room):
    response = client_for(teacher).get(REPORT, {"room": room.pk})
    assert f'<option value="{room.pk}" selected>' in response.content.decode()


def test_another_schools_room_in_the_link_is_ignored(client_for, teacher, other_room):
    response = client_for(teacher).get(REPORT, {"room": other_room.pk})
    assert response.status_code == 200 and " selected>" not in response.content.decode()


def test_a_report_from_the_form_creates_the_ticket_and_shows_its_number(client_for, teacher, room, category):
    data = {"room": room.pk, "category": category.pk, "description": "插座没电", "urgency": "urgent", "token": "tok-1"}
    response = client_for(teacher).post(REPORT, data, follow=True)
    ticket = Ticket.objects.get()
    assert (ticket.reporter, ticket.urgency, ticket.room) == (teacher, Urgency.URGENT, room)
    page = response.content.decode()
    assert f"报修已提交，单号 {ticket.number}" in page and "data-ticket-number" in page


def test_a_double_tap_on_submit_creates_one_ticket(client_for, teacher, room, category):
    client = client_for(teacher)
    data = {"room": room.pk, "category": category.pk, "description": "插座没电", "urgency": "normal", "token": "same-token"}
    first = client.post(REPORT, data)
    second = client.post(REPORT, data)
    assert Ticket.objects.count() == 1
    assert first["Location"] == second["Location"] == detail(Ticket.objects.get())


def test_the_form_carries_a_fresh_token_and_a_button_that_disables_itself(client_for, teacher):
    page = client_for(teacher).get(REPORT).content.decode()
    assert 'name="token"' in page and "data-submit-once" in page and "repairs/report.js" in page


def test_a_missing_field_keeps_what_was_typed(client_for, teacher, room):
    response = client_for(teacher).post(REPORT, {"room": room.pk, "description": "门锁坏了", "urgency": "normal", "token": "x"})
    assert response.status_code == 200
    assert "门锁坏了" in response.content.decode() and response.context["form"].errors["category"]
    assert not Ticket.objects.exists()


def test_the_form_shows_open_tickets_of_the_room_without_another_persons_words(school, client_for, teacher, class_teacher, room, category):
    existing = submit(school, teacher, room, category, description="讲台灯不亮", reporter_phone="13900001111")
    page = client_for(class_teacher).get(REPORT, {"room": room.pk}).content.decode()
    assert f'data-similar-ticket="{existing.number}"' in page
    assert "讲台灯不亮" not in page and "13900001111" not in page
    assert reverse("repairs:ticket-follow", args=[existing.pk]) not in page  # not theirs to open, so not theirs to follow
    fragment = client_for(class_teacher).get(reverse("repairs:ticket-similar"), {"room": room.pk, "category": category.pk}).content.decode()
    assert existing.number in fragment and "讲台灯不亮" not in fragment


def test_following_a_ticket_one_cannot_see_is_refused(school, client_for, teacher, class_teacher, room, category):
    existing = submit(school, teacher, room, category)
    response = client_for(class_teacher).post(reverse("repairs:ticket-follow", args=[existing.pk]))
    assert response.status_code == 404 and not existing.watchers.exists()
    assert client_for(class_teacher).get(reverse("repairs:ticket-detail", args=[existing.pk])).status_code == 404


def test_the_principal_follows_a_ticket_and_hears_of_it(school, client_for, teacher, principal, room, category, logistics_admin, repairer):
    existing = submit(school, teacher, room, category)
    page = client_for(principal).get(REPORT, {"room": room.pk}).content.decode()
    assert reverse("repairs:ticket-follow", args=[existing.pk]) in page  # the principal sees every ticket
    response = client_for(principal).post(reverse("repairs:ticket-follow", args=[existing.pk]))
    assert response.status_code == 302 and Ticket.objects.count() == 1
    services.ticket_dispatch(ticket=existing, by=logistics_admin, repairer=repairer)
    assert Notification.objects.filter(recipient=principal, subject__contains=existing.number).exists()


def test_another_school_cannot_follow(client_for, ticket, outsider):
    assert client_for(outsider).post(reverse("repairs:ticket-follow", args=[ticket.pk])).status_code == 404
    assert not ticket.watchers.exists()


# --- The workflow through the screens ---------------------------------------------------------------------

def test_the_five_steps_through_the_screens_appear_on_the_timeline(client_for, ticket, teacher, logistics_admin, repairer):
    office, worker, reporter = client_for(logistics_admin), client_for(repairer), client_for(teacher)
    office.post(reverse("repairs:ticket-dispatch", args=[ticket.pk]), {"repairer": repairer.pk})
    worker.post(reverse("repairs:ticket-start", args=[ticket.pk]))
    worker.post(reverse("repairs:ticket-material-add", args=[ticket.pk]), {"name": "LED灯管", "quantity": "2", "unit": "支", "unit_cost": "18"})
    worker.post(reverse("repairs:ticket-done", args=[ticket.pk]), {"labour_hours": "1.5", "work_summary": "换灯管"})
    reporter.post(reverse("repairs:ticket-accept", args=[ticket.pk]), {"rating": "5", "comment": "很快"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.labour_hours) == (Status.ACCEPTED, 5, Decimal("1.5"))
    page = reporter.get(detail(ticket)).content.decode()
    for step, person in [("submitted", "李老师"), ("dispatched", "郑主任"), ("material_added", "王师傅"), ("done", "王师傅"), ("accepted", "李老师")]:
        assert f'data-step="repairs.ticket.{step}"' in page
    timeline = page[page.index("data-timeline"):]
    assert [name in timeline for name in ("李老师", "郑主任", "王师傅")] == [True, True, True]
    assert "LED灯管" in page and "¥36.00" in page


def test_a_refused_step_says_why_and_changes_nothing(client_for, in_progress, teacher):
    response = client_for(teacher).post(reverse("repairs:ticket-accept", args=[in_progress.pk]), {"rating": "5"}, follow=True)
    assert "尚未维修完成" in response.content.decode()
    assert Ticket.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_a_second_admin_dispatching_is_told(client_for, dispatched, logistics_admin, school):
    other = member(school, Role.STAFF, Role.REPAIRER, username="li")
    response = client_for(logistics_admin).post(reverse("repairs:ticket-dispatch", args=[dispatched.pk]), {"repairer": other.pk}, follow=True)
    assert "刚刚已被他人派给王师傅" in response.content.decode()


def test_a_dispatch_without_a_repairer_re_shows_the_form(client_for, ticket, logistics_admin):
    response = client_for(logistics_admin).post(reverse("repairs:ticket-dispatch", args=[ticket.pk]), {})
    assert response.status_code == 400 and "二选一" in response.content.decode()


def test_the_reporter_sees_accept_and_reject_only_when_done(client_for, done, teacher, repairer):
    page = client_for(teacher).get(detail(done)).content.decode()
    assert 'data-action="accept"' in page and 'data-action="reject"' in page
    assert 'data-action="accept"' not in client_for(repairer).get(detail(done)).content.decode()


def test_the_reporter_rejects_through_the_screen(client_for, done, teacher):
    client_for(teacher).post(reverse("repairs:ticket-reject", args=[done.pk]), {"reason": "还在闪"})
    assert Ticket.objects.get(pk=done.pk).status == Status.REJECTED


def test_merging_by_number_through_the_screen(school, client_for, ticket, class_teacher, room, category, logistics_admin):
    duplicate = submit(school, class_teacher, room, category)
    client_for(logistics_admin).post(reverse("repairs:ticket-merge", args=[duplicate.pk]), {"into": ticket.number.lower()})
    assert Ticket.objects.get(pk=duplicate.pk).merged_into == ticket


def test_bulk_dispatch_from_the_queue(school, client_for, teacher, room, category, logistics_admin, repairer):
    tickets = [submit(school, teacher, room, category) for _i in range(3)]
    response = client_for(logistics_admin).post(reverse("repairs:queue-bulk-dispatch"), {"tickets": [t.pk for t in tickets[:2]], "repairer": repairer.pk},
                                                follow=True)
    assert sorted(Ticket.objects.filter(status=Status.DISPATCHED).values_list("pk", flat=True)) == sorted(t.pk for t in tickets[:2])
    assert "已派工 2 单" in response.content.decode()


def test_the_queue_puts_new_then_overdue_first(school, client_for, teacher, room, category, logistics_admin, repairer):
    old = submit(school, teacher, room, category, urgency=Urgency.URGENT)
    services.ticket_dispatch(ticket=old, by=logistics_admin, repairer=repairer)
    Ticket.objects.filter(pk=old.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    calm = submit(school, teacher, room, category, urgency=Urgency.LOW)
    services.ticket_dispatch(ticket=calm, by=logistics_admin, repairer=repairer)
    new = submit(school, teacher, room, category)
    response = client_for(logistics_admin).get(reverse("repairs:queue"))
    assert [t.number for t in response.context["page"]] == [new.number, old.number, calm.number]
    assert "data-overdue" in response.content.decode()


def test_the_repairers_phone_list_shows_their_jobs(client_for, dispatched, repairer):
    page = client_for(repairer).get(reverse("repairs:my-jobs")).content.decode()
    assert f'data-job="{dispatched.number}"' in page


# --- Lists: filters, search, pagination, export --------------------------------------------------------------

@pytest.fixture
def several(school, teacher, class_teacher, room, category, water, logistics_admin, repairer):
    other_room = RoomFactory(building=RoomFactory(building__campus=room.building.campus).building, code="B101")
    made = {
        "light": submit(school, teacher, room, category, description="灯管闪烁"),
        "tap": submit(school, class_teacher, other_room, water, description="水龙头漏水", urgency=Urgency.URGENT),
        "socket": submit(school, teacher, room, category, description="插座没电", urgency=Urgency.LOW),
    }
    services.ticket_dispatch(ticket=made["tap"], by=logistics_admin, repairer=repairer)
    Ticket.objects.filter(pk=made["tap"].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    Ticket.objects.filter(pk=made["light"].pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    return made


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "dispatched"}, ["tap"]),
        ({"status": "open"}, ["light", "tap", "socket"]),
        ({"urgency": "urgent"}, ["tap"]),
        ({"overdue": "on"}, ["tap"]),
        ({"q": "漏水"}, ["tap"]),
        ({"q": "BX"}, ["light", "tap", "socket"]),
    ],
)
def test_the_list_filters(client_for, principal, several, query, expected):
    assert sorted(numbers(client_for(principal).get(LIST, query))) == sorted(several[k].number for k in expected)


def test_the_list_filters_by_category_building_repairer_and_date(client_for, principal, several, water, repairer):
    client = client_for(principal)
    tap = several["tap"]
    assert numbers(client.get(LIST, {"category": water.pk})) == [tap.number]
    assert numbers(client.get(LIST, {"building": tap.building_id})) == [tap.number]
    assert numbers(client.get(LIST, {"assignee": repairer.pk})) == [tap.number]
    today = timezone.localdate().isoformat()
    assert several["light"].number not in numbers(client.get(LIST, {"date_from": today, "date_to": today}))


def test_a_stale_filter_value_is_ignored_not_an_error(client_for, principal, several):
    assert len(numbers(client_for(principal).get(LIST, {"category": "999999", "date_from": "not-a-date"}))) == 3


def test_overdue_tickets_are_marked_in_the_list(client_for, principal, several):
    page = client_for(principal).get(LIST).content.decode()
    assert page.count("data-overdue") == 1


def test_keyset_pages_walk_the_list_without_gaps_or_repeats(school, client_for, principal, teacher, room, category):
    made = [submit(school, teacher, room, category) for _i in range(7)]
    client = client_for(principal)
    first = client.get(LIST, {"per_page": 3})
    page = first.context["page"]
    assert page.has_next and not page.has_previous and page.count == 7
    second = client.get(LIST, {"per_page": 3, "before": page.next_cursor, "p": 2})
    third = client.get(LIST, {"per_page": 3, "before": second.context["page"].next_cursor, "p": 3})
    seen = numbers(first) + numbers(second) + numbers(third)
    assert seen == [t.number for t in reversed(made)]
    assert not third.context["page"].has_next
    back = client.get(LIST, {"per_page": 3, "after": second.context["page"].previous_cursor})
    assert numbers(back) == numbers(first)
    assert numbers(client.get(LIST, {"per_page": 3, "page": 2})) == numbers(second)
    assert 'rel="next"' in first.content.decode()


def test_a_garbled_cursor_shows_the_first_page(client_for, principal, several):
    assert len(numbers(client_for(principal).get(LIST, {"before": "yesterday,abc"}))) == 3


def test_the_count_is_capped(client_for, principal, several, monkeypatch):
    from logistics import lists

    monkeypatch.setattr(lists, "COUNT_CAP", 2)
    response = client_for(principal).get(LIST)
    assert response.context["page"].count_capped and "超过 2 条" in response.content.decode()


def test_the_excel_export_has_chinese_headers_dates_and_the_filtered_rows(client_for, principal, several, done):
    response = client_for(principal).get(reverse("repairs:ticket-export"), {"category": done.category_id})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == f"筛选：类别={done.category.name}"  # the filter, above the header
    assert rows[1][:4] == ("单号", "报修时间", "报修人", "联系电话")
    exported = {row[0]: row for row in rows[2:]}
    assert set(exported) == {several["light"].number, several["socket"].number, done.number}
    row = exported[done.number]
    assert isinstance(row[1], dt.datetime) and row[9] == "已完成待验收" and row[18] == 37.0
    assert workbook.active.cell(row=3, column=2).number_format == "yyyy-mm-dd hh:mm"


def test_the_export_follows_visibility(client_for, logistics_admin, other_school, outsider, other_room, several):
    from repairs.models import Category

    Category.ensure_defaults(other_school)
    submit(other_school, outsider, other_room, Category.objects.get(school=other_school, name="电"))
    response = client_for(logistics_admin).get(reverse("repairs:ticket-export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 3  # the filter row, the header, the school's three tickets


# --- Home page -------------------------------------------------------------------------------------------

def test_the_office_home_shows_the_repairs_overview(client_for, logistics_admin, several):
    page = client_for(logistics_admin).get(reverse("home")).content.decode()
    assert 'data-widget="repairs-overview"' in page and 'data-overdue-count>1<' in page and "repairs-weeks" in page
    assert reverse("repairs:queue") in page


def test_the_teacher_home_has_the_big_report_button_and_open_reports(client_for, teacher, several):
    page = client_for(teacher).get(reverse("home")).content.decode()
    assert "data-report-button" in page and several["light"].number in page
    assert 'data-widget="repairs-overview"' not in page


def test_the_repairer_home_shows_their_jobs(client_for, repairer, dispatched):
    page = client_for(repairer).get(reverse("home")).content.decode()
    assert 'data-widget="repairs-my-jobs"' in page and "data-my-jobs>1<" in page


def test_material_quantities_read_as_people_write_them(client_for, in_progress, repairer):
    services.ticket_add_material(ticket=in_progress, by=repairer, name="网线", quantity=Decimal("10.00"), unit="米", unit_cost=Decimal("2.5"))
    services.ticket_add_material(ticket=in_progress, by=repairer, name="腻子粉", quantity=Decimal("1.50"), unit="袋")
    page = client_for(repairer).get(detail(in_progress)).content.decode()
    assert "10 米" in page and "1.5 袋" in page and "E+" not in page and "¥25.00" in page


def test_searching_a_whole_number_finds_that_ticket(client_for, principal, several):
    tap = several["tap"]
    assert numbers(client_for(principal).get(LIST, {"q": tap.number.lower()})) == [tap.number]
