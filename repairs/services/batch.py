"""Jobs of the Celery beat: auto-acceptance and the overdue digest."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import School
from logistics.notifications import notify

from repairs import notify as n
from repairs.models import RepairSettings, Status, Ticket
from repairs.signals import ticket_accepted


# --- Batch jobs (Celery beat) -----------------------------------------------------------------------

def tickets_auto_accept(*, now: dt.datetime | None = None) -> int:
    """Accept tickets left done and silent for the school's `auto_accept_days`. Each row is claimed
    by a conditional UPDATE, so two workers (or the reporter clicking at that moment) never both win."""
    now = now or timezone.now()
    days_by_school = dict(RepairSettings.objects.values_list("school_id", "auto_accept_days"))
    default_days = RepairSettings._meta.get_field("auto_accept_days").default
    candidates = Ticket.objects.filter(status=Status.DONE, done_at__lte=now - dt.timedelta(days=1)).values_list("pk", "school_id", "done_at")
    accepted = 0
    for pk, school_id, done_at in candidates.iterator():
        if done_at > now - dt.timedelta(days=days_by_school.get(school_id, default_days)):
            continue
        with transaction.atomic():
            if not Ticket.objects.filter(pk=pk, status=Status.DONE).update(
                status=Status.ACCEPTED, accepted_at=now, auto_accepted=True, updated_at=now
            ):
                continue
            ticket = Ticket.objects.select_related("school", "room__building", "category", "reporter", "assignee").get(pk=pk)
            audit.record(ticket, "repairs.ticket.accepted", by=None, school=ticket.school, from_state=Status.DONE, to_state=Status.ACCEPTED,
                         note=_("Accepted automatically: no answer from the reporter."), data={"auto": True})
            ticket_accepted.send(sender=Ticket, ticket=ticket, by=None)
            n.tell(ticket, [ticket.reporter, ticket.assignee, *ticket.watchers.all()], by=None,
                   compose=lambda t=ticket: (n.subject(t, _("accepted automatically")), n.place(t)))
            accepted += 1
    return accepted


def overdue_digest_send(*, now: dt.datetime | None = None) -> int:
    """Tell each school's logistics office which tickets are past their SLA. Returns schools told."""
    now = now or timezone.now()
    told = 0
    school_ids = Ticket.objects.overdue(now=now).values_list("school_id", flat=True).distinct()
    for school in School.objects.filter(pk__in=list(school_ids), is_active=True):
        overdue = Ticket.objects.for_school(school).overdue(now=now).select_related("room__building", "category").order_by("due_at")
        total = overdue.count()
        lines = [
            f"{t.number} {t.room} · {t.category.name} · {t.get_status_display()} · "
            + _("due %(due)s") % {"due": timezone.localtime(t.due_at).strftime("%m-%d %H:%M")}
            for t in overdue[:30]
        ]

        def compose(total: int = total, lines: list[str] = lines) -> tuple[str, str]:
            more = _("… and %(n)d more.") % {"n": total - len(lines)} if total > len(lines) else ""
            return (_("%(n)d repair tickets are overdue") % {"n": total}, "\n".join([*lines, more]).strip())

        recipients = n.office_of(school)
        if recipients:
            notify(recipients, school=school, compose=compose, url=reverse("repairs:ticket-list") + "?overdue=1")
            told += 1
    return told
