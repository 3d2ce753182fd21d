from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from logistics.audit import history_of
from logistics.models import Role
from logistics.notifications import Notification
from repairs import services
from repairs.models import Category, Material, RepairSettings, Status, Ticket, Urgency
from repairs.services import WorkflowError
from tests.factories import member
from tests.repairs.conftest import submit


def actions(ticket: Ticket) -> list[str]:
    return [e.action.rsplit(".", 1)[-1] for e in history_of(ticket)]


# --- Reporting ------------------------------------------------------------------------------------

def test_tickets_are_numbered_per_school_and_year(school, other_school, teacher, outsider, room, other_room, category):
    Category.ensure_defaults(other_school)
    year = timezone.localtime().year
    first = submit(school, teacher, room, category)
    second = submit(school, teacher, room, category)
    elsewhere = submit(other_school, outsider, other_room, Category.objects.get(school=other_school, name="水"))
    assert (first.number, second.number) == (f"BX{year}-000001", f"BX{year}-000002")
    assert elsewhere.number == f"BX{year}-000001"


def test_the_deadline_follows_the_schools_sla_for_the_urgency(school, teacher, room, category):
    settings = RepairSettings.for_school(school)
    settings.urgent_hours = 2
    settings.save()
    urgent = submit(school, teacher, room, category, urgency=Urgency.URGENT)
    low = submit(school, teacher, room, category, urgency=Urgency.LOW)
    assert urgent.due_at - urgent.submitted_at == dt.timedelta(hours=2)
    assert low.due_at - low.submitted_at == dt.timedelta(days=7)


def test_the_same_form_token_twice_makes_one_ticket(school, teacher, room, category):
    first = submit(school, teacher, room, category, token="abc123")
    again = submit(school, teacher, room, category, token="abc123")
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1


def test_a_new_report_tells_the_logistics_office_not_the_reporter(school, teacher, logistics_admin, room, category):
    ticket = submit(school, teacher, room, category)
    notes = Notification.objects.filter(school=school)
    assert [n.recipient for n in notes] == [logistics_admin]
    assert ticket.number in notes[0].subject


def test_reporting_in_another_schools_room_is_refused(school, teacher, other_room, category):
    with pytest.raises(WorkflowError):
        submit(school, teacher, other_room, category)
    assert not Ticket.objects.exists()


def test_someone_without_a_membership_cannot_report(school, outsider, room, category):
    with pytest.raises(WorkflowError):
        submit(school, outsider, room, category)
    assert not Ticket.objects.exists()


def test_a_retired_category_cannot_be_chosen(school, teacher, room, category):
    category.is_active = False
    category.save()
    with pytest.raises(WorkflowError):
        submit(school, teacher, room, category)


def test_an_empty_description_is_refused(school, teacher, room, category):
    with pytest.raises(WorkflowError):
        submit(school, teacher, room, category, description="   ")


def test_the_building_is_copied_from_the_room(ticket, room):
    assert ticket.building_id == room.building_id


# --- The whole way ---------------------------------------------------------------------------------

def test_a_ticket_goes_from_report_to_closed_with_every_step_recorded(done, teacher, repairer, logistics_admin):
    ticket = services.ticket_accept(ticket=done, by=teacher, rating=5, comment="很好")
    ticket = services.ticket_close(ticket=ticket, by=logistics_admin)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert all([ticket.dispatched_at, ticket.started_at, ticket.done_at, ticket.accepted_at, ticket.closed_at])
    assert (ticket.rating, ticket.labour_hours, ticket.assignee) == (5, Decimal("1.5"), repairer)
    assert actions(ticket) == ["submitted", "dispatched", "started", "material_added", "done", "accepted", "closed"]
    assert [e.actor for e in history_of(ticket)] == [teacher, logistics_admin, repairer, repairer, repairer, teacher, logistics_admin]
    assert Material.objects.get(ticket=ticket).total == Decimal("37.00")


def test_dispatch_tells_the_reporter_and_the_repairer(dispatched, teacher, repairer):
    recipients = set(Notification.objects.filter(subject__contains=dispatched.number).values_list("recipient__username", flat=True))
    assert {"teacher", "repairer"} <= recipients


# --- Refusals change nothing -------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["teacher", "repairer", "principal", "outsider"])
def test_only_the_logistics_office_of_the_school_dispatches(request, ticket, repairer, who):
    with pytest.raises(WorkflowError):
        services.ticket_dispatch(ticket=ticket, by=request.getfixturevalue(who), repairer=repairer)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.SUBMITTED, None)
    assert actions(ticket) == ["submitted"]


def test_a_second_dispatch_is_refused_and_says_who_has_it(dispatched, logistics_admin, school):
    other = member(school, Role.REPAIRER, username="li")
    with pytest.raises(WorkflowError, match="王师傅"):
        services.ticket_dispatch(ticket=dispatched, by=logistics_admin, repairer=other)
    dispatched.refresh_from_db()
    assert dispatched.assignee.username == "repairer"


def test_a_reassignment_is_its_own_step(dispatched, logistics_admin, school):
    other = member(school, Role.REPAIRER, username="li")
    ticket = services.ticket_reassign(ticket=dispatched, by=logistics_admin, repairer=other)
    assert ticket.assignee == other
    assert actions(ticket)[-1] == "reassigned"


def test_dispatch_to_someone_who_is_not_a_repairer_is_refused(ticket, logistics_admin, teacher):
    with pytest.raises(WorkflowError):
        services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=teacher)
    with pytest.raises(WorkflowError):
        services.ticket_dispatch(ticket=ticket, by=logistics_admin)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SUBMITTED


def test_a_repairer_cannot_complete_someone_elses_ticket(in_progress, school):
    colleague = member(school, Role.STAFF, Role.REPAIRER, username="zhao")
    with pytest.raises(WorkflowError):
        services.ticket_mark_done(ticket=in_progress, by=colleague)
    with pytest.raises(WorkflowError):
        services.ticket_add_material(ticket=in_progress, by=colleague, name="x", quantity=Decimal(1), unit="个")
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS and in_progress.done_at is None
    assert not in_progress.materials.exists()


def test_a_reporter_cannot_accept_a_ticket_that_is_not_done(in_progress, teacher):
    with pytest.raises(WorkflowError, match="尚未维修完成"):
        services.ticket_accept(ticket=in_progress, by=teacher, rating=5)
    in_progress.refresh_from_db()
    assert (in_progress.status, in_progress.rating) == (Status.IN_PROGRESS, None)


def test_only_the_reporter_accepts(done, logistics_admin, repairer):
    for someone in (logistics_admin, repairer):
        with pytest.raises(WorkflowError):
            services.ticket_accept(ticket=done, by=someone, rating=5)
    assert Ticket.objects.get(pk=done.pk).status == Status.DONE


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_a_rating_outside_one_to_five_is_refused(done, teacher, rating):
    with pytest.raises(WorkflowError):
        services.ticket_accept(ticket=done, by=teacher, rating=rating)
    assert Ticket.objects.get(pk=done.pk).status == Status.DONE


def test_nobody_from_another_school_touches_the_ticket(done, outsider):
    for attempt in (
        lambda: services.ticket_accept(ticket=done, by=outsider, rating=5),
        lambda: services.ticket_reject(ticket=done, by=outsider, reason="x"),
        lambda: services.ticket_cancel(ticket=done, by=outsider, reason="x"),
        lambda: services.ticket_close(ticket=done, by=outsider),
        lambda: services.ticket_change_urgency(ticket=done, by=outsider, urgency=Urgency.URGENT),
        lambda: services.ticket_follow(ticket=done, user=outsider),
    ):
        with pytest.raises(WorkflowError):
            attempt()
    done.refresh_from_db()
    assert done.status == Status.DONE and not done.watchers.exists()


def test_a_rejected_repair_goes_back_to_the_repairer(done, teacher, repairer):
    ticket = services.ticket_reject(ticket=done, by=teacher, reason="灯还是闪")
    assert (ticket.status, ticket.done_at, ticket.reject_count) == (Status.REJECTED, None, 1)
    assert Notification.objects.filter(recipient=repairer, subject__contains=ticket.number, body="灯还是闪").exists()
    ticket = services.ticket_start(ticket=ticket, by=repairer)
    ticket = services.ticket_mark_done(ticket=ticket, by=repairer)
    assert ticket.status == Status.DONE
    assert actions(ticket)[-3:] == ["rejected", "started", "done"]


def test_a_rejection_needs_a_reason(done, teacher):
    with pytest.raises(WorkflowError):
        services.ticket_reject(ticket=done, by=teacher, reason=" ")
    assert Ticket.objects.get(pk=done.pk).status == Status.DONE


def test_the_reporter_may_cancel_before_work_starts_but_not_after(ticket, teacher, repairer, logistics_admin):
    services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=repairer)
    started = services.ticket_start(ticket=ticket, by=repairer)
    with pytest.raises(WorkflowError):
        services.ticket_cancel(ticket=started, by=teacher)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS


def test_the_reporter_cancels_a_waiting_ticket(ticket, teacher):
    assert services.ticket_cancel(ticket=ticket, by=teacher).status == Status.CANCELLED


def test_the_office_cancels_with_a_reason_only(in_progress, logistics_admin):
    with pytest.raises(WorkflowError):
        services.ticket_cancel(ticket=in_progress, by=logistics_admin, reason="")
    ticket = services.ticket_cancel(ticket=in_progress, by=logistics_admin, reason="学校统一改造")
    assert (ticket.status, ticket.cancel_reason) == (Status.CANCELLED, "学校统一改造")


def test_someone_else_cannot_cancel_a_teachers_ticket(ticket, class_teacher):
    with pytest.raises(WorkflowError):
        services.ticket_cancel(ticket=ticket, by=class_teacher)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SUBMITTED


def test_a_duplicate_is_merged_and_its_reporter_follows_the_original(school, ticket, class_teacher, room, category, logistics_admin):
    duplicate = submit(school, class_teacher, room, category, description="灯不亮")
    merged = services.ticket_merge(ticket=duplicate, into=ticket, by=logistics_admin)
    assert (merged.status, merged.merged_into) == (Status.MERGED, ticket)
    assert class_teacher in ticket.watchers.all()
    assert actions(ticket)[-1] == "duplicate_merged"


def test_merging_into_a_finished_or_the_same_ticket_is_refused(school, done, teacher, room, category, logistics_admin):
    fresh = submit(school, teacher, room, category)
    with pytest.raises(WorkflowError):
        services.ticket_merge(ticket=fresh, into=fresh, by=logistics_admin)
    services.ticket_accept(ticket=done, by=teacher, rating=4)
    with pytest.raises(WorkflowError):
        services.ticket_merge(ticket=fresh, into=done, by=logistics_admin)
    assert Ticket.objects.get(pk=fresh.pk).status == Status.SUBMITTED


def test_changing_the_urgency_moves_the_deadline(ticket, logistics_admin):
    ticket = services.ticket_change_urgency(ticket=ticket, by=logistics_admin, urgency=Urgency.URGENT)
    assert ticket.due_at - ticket.submitted_at == dt.timedelta(hours=4)
    assert history_of(ticket).last().data == {"urgency": "urgent"}


def test_an_outside_contractors_job_is_recorded_by_the_office(ticket, logistics_admin):
    services.ticket_dispatch(ticket=ticket, by=logistics_admin, contractor="格力特约维修站")
    services.ticket_start(ticket=ticket, by=logistics_admin)
    done = services.ticket_mark_done(ticket=ticket, by=logistics_admin, contractor_cost=Decimal("450"))
    assert (done.status, done.contractor, done.contractor_cost) == (Status.DONE, "格力特约维修站", Decimal("450"))


def test_bulk_dispatch_dispatches_what_it_can_and_reports_the_rest(school, ticket, dispatched, teacher, room, category, logistics_admin, repairer):
    fresh = submit(school, teacher, room, category)
    done, refused = services.tickets_bulk_dispatch(school=school, ticket_ids=[fresh.pk, dispatched.pk], by=logistics_admin, repairer=repairer)
    assert [t.pk for t in done] == [fresh.pk]
    assert [t.pk for t, _reason in refused] == [dispatched.pk]


def test_followers_hear_about_each_change(ticket, class_teacher, logistics_admin, repairer):
    services.ticket_follow(ticket=ticket, user=class_teacher)
    services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=repairer)
    assert Notification.objects.filter(recipient=class_teacher, subject__contains=ticket.number).exists()


def test_a_material_needs_a_positive_quantity(in_progress, repairer):
    with pytest.raises(WorkflowError):
        services.ticket_add_material(ticket=in_progress, by=repairer, name="灯管", quantity=Decimal("0"), unit="支")
    assert not in_progress.materials.exists()


def test_a_material_line_can_be_removed_while_working(in_progress, repairer):
    material = services.ticket_add_material(ticket=in_progress, by=repairer, name="灯管", quantity=Decimal("1"), unit="支")
    services.ticket_remove_material(material=material, by=repairer)
    assert not in_progress.materials.exists()
    assert actions(in_progress)[-1] == "material_removed"


# --- Batch jobs ---------------------------------------------------------------------------------

def test_a_ticket_left_done_is_accepted_after_the_schools_days(done, teacher):
    now = timezone.now()
    assert services.tickets_auto_accept(now=now + dt.timedelta(days=2)) == 0
    assert services.tickets_auto_accept(now=now + dt.timedelta(days=3, minutes=1)) == 1
    done.refresh_from_db()
    assert (done.status, done.auto_accepted, done.rating) == (Status.ACCEPTED, True, None)
    entry = history_of(done).last()
    assert (entry.action, entry.actor) == ("repairs.ticket.accepted", None)
    assert Notification.objects.filter(recipient=teacher, subject__contains=done.number).exists()
    assert services.tickets_auto_accept(now=now + dt.timedelta(days=10)) == 0


def test_auto_acceptance_respects_a_longer_school_setting(done, school):
    RepairSettings.objects.filter(school=school).update(auto_accept_days=5)
    assert services.tickets_auto_accept(now=timezone.now() + dt.timedelta(days=4)) == 0
    assert services.tickets_auto_accept(now=timezone.now() + dt.timedelta(days=5, minutes=1)) == 1


def test_the_overdue_digest_goes_to_the_office(school, ticket, logistics_admin):
    assert services.overdue_digest_send(now=timezone.now()) == 0
    assert services.overdue_digest_send(now=timezone.now() + dt.timedelta(days=3)) == 1
    digest = Notification.objects.filter(recipient=logistics_admin).first()
    assert "1" in digest.subject and ticket.number in digest.body and digest.url.endswith("?overdue=1")


def test_the_beat_tasks_call_the_services(done, settings):
    from repairs import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert tasks.auto_accept_done_tickets.apply().get() == 0
    assert tasks.send_overdue_digest.apply().get() == 0
    assert "repairs-auto-accept" in settings.CELERY_BEAT_SCHEDULE and "repairs-overdue-digest" in settings.CELERY_BEAT_SCHEDULE
