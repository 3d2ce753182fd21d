"""Every write and state change of a repair ticket.

Each service has the same shape: lock the row, check the state (django-fsm's `can_proceed`) and the
actor (role permissions of the ticket's school, and who the ticket belongs to), transition, record the
audit entry, notify the people concerned. Anything not allowed raises `WorkflowError` with a message
for the person, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Sequence

from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from logistics import audit
from logistics.models import Membership, Role, Room, School, User
from logistics.notifications import notify

from repairs import notify as n
from repairs import photos as photo_lib
from repairs.models import (
    BEFORE_WORK_STATUSES,
    Category,
    Material,
    RepairSettings,
    Status,
    Ticket,
    TicketCounter,
    TicketPhoto,
    Urgency,
)


class WorkflowError(Exception):
    """A refused change; `str(e)` is a translated message for the person who tried it."""


# --- Who may do what --------------------------------------------------------------------------

def _perms(user: Any, school: Any) -> frozenset[str]:
    """The repairs permissions `user` holds through their roles in `school` (not any other school)."""
    if user is None or not getattr(user, "is_active", False):
        return frozenset()
    cache = getattr(user, "_repairs_perms", None)
    if cache is None:
        cache = user._repairs_perms = {}
    school_id = school.pk if hasattr(school, "pk") else school
    if school_id not in cache:
        cache[school_id] = frozenset(
            Permission.objects.filter(
                content_type__app_label="repairs",
                group__memberships__user=user,
                group__memberships__school_id=school_id,
                group__memberships__is_active=True,
            ).values_list("codename", flat=True)
        )
    return cache[school_id]


def can(user: Any, school: Any, codename: str) -> bool:
    return codename in _perms(user, school)


def _require(user: Any, school: Any, codename: str, message: str) -> None:
    if not can(user, school, codename):
        raise WorkflowError(message)


def _lock(ticket: Ticket) -> Ticket:
    """Lock the ticket's row, then read it afresh. Two statements on purpose: after waiting for a
    lock, PostgreSQL re-checks the locked row but not the rows outer-joined to it, so a joined
    `assignee` could come back empty although `assignee_id` is set."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True).get()
    return Ticket.objects.select_related("school", "room__building", "category", "reporter", "assignee").get(pk=ticket.pk)


def _may_work(ticket: Ticket, user: Any) -> bool:
    """The assigned repairer; for an outside contractor's job, the office records the work."""
    if not can(user, ticket.school_id, "work_ticket"):
        return False
    if ticket.assignee_id:
        return ticket.assignee_id == user.pk
    return can(user, ticket.school_id, "dispatch_ticket")


def _state_refused(ticket: Ticket) -> WorkflowError:
    return WorkflowError(
        _("Ticket %(number)s is “%(status)s”; that step is not possible now.") % {"number": ticket.number, "status": ticket.get_status_display()}
    )


def _check_school(ticket: Ticket, user: Any) -> None:
    if not Membership.objects.filter(user=user, school_id=ticket.school_id, is_active=True).exists():
        raise WorkflowError(_("This ticket belongs to another school."))


# --- Reporting --------------------------------------------------------------------------------

def _next_number(school: School, year: int) -> str:
    """Take the next number of the school's year. Must run inside the caller's transaction: the
    UPDATE takes the counter row's lock (PostgreSQL row lock, SQLite write lock) until commit, so
    concurrent reporters queue here and never share a number."""
    for _attempt in range(3):
        if TicketCounter.objects.filter(school=school, year=year).update(last=F("last") + 1):
            last = TicketCounter.objects.filter(school=school, year=year).values_list("last", flat=True).get()
            return f"BX{year}-{last:06d}"
        try:
            with transaction.atomic():
                TicketCounter.objects.create(school=school, year=year, last=1)
            return f"BX{year}-{1:06d}"
        except IntegrityError:
            continue  # another reporter created the row first: take the lock through the UPDATE
    raise WorkflowError(_("Could not number the ticket; please try again."))


def ticket_submit(
    *,
    school: School,
    reporter: User,
    room: Room,
    category: Category,
    description: str,
    urgency: str = Urgency.NORMAL,
    photos: Sequence[Any] = (),
    token: str = "",
    reporter_phone: str = "",
    asset_number: str = "",
) -> Ticket:
    """Open a ticket. The same `token` (from the form) twice returns the first ticket: a double tap
    on submit makes one ticket. Photos are re-encoded before the transaction."""
    token = (token or "")[:40]
    if token and (existing := Ticket.objects.filter(school=school, token=token).first()):
        return existing
    _require(reporter, school, "add_ticket", _("You may not report repairs in this school."))
    if room.building.campus.school_id != school.pk:
        raise WorkflowError(_("That place belongs to another school."))
    if category.school_id != school.pk or not category.is_active:
        raise WorkflowError(_("Choose one of this school's repair categories."))
    if urgency not in Urgency.values:
        raise WorkflowError(_("Choose an urgency."))
    description = (description or "").strip()
    if not description:
        raise WorkflowError(_("Say what is wrong."))
    if len(photos) > photo_lib.MAX_PHOTOS:
        raise WorkflowError(_("At most %(n)d photos.") % {"n": photo_lib.MAX_PHOTOS})
    processed = photo_lib.process_all(photos)
    sla = RepairSettings.for_school(school)
    now = timezone.now()
    try:
        with transaction.atomic():
            number = _next_number(school, timezone.localtime(now).year)
            ticket = Ticket.objects.create(
                school=school,
                number=number,
                token=token,
                reporter=reporter,
                reporter_phone=reporter_phone or (reporter.phone or ""),
                room=room,
                building_id=room.building_id,
                asset_number=asset_number,
                category=category,
                description=description,
                urgency=urgency,
                submitted_at=now,
                due_at=sla.due_at(now, urgency),
            )
            _save_photos(ticket, processed, by=reporter, kind=TicketPhoto.Kind.REPORT)
            audit.record(ticket, "repairs.ticket.submitted", by=reporter, school=school, to_state=Status.SUBMITTED, note=description[:200])
            n.tell(
                ticket,
                n.office_of(school),
                by=reporter,
                compose=lambda: (
                    n.subject(ticket, _("new report") if urgency != Urgency.URGENT else _("new URGENT report")),
                    _("%(who)s reported: %(place)s — %(text)s") % {"who": reporter.display_name, "place": n.place(ticket), "text": description},
                ),
            )
    except IntegrityError:
        # Two taps raced past the first check: the other one committed the ticket with this token.
        if token and (existing := Ticket.objects.filter(school=school, token=token).first()):
            return existing
        raise
    return ticket


def _save_photos(ticket: Ticket, processed: Iterable[photo_lib.ProcessedPhoto], *, by: User, kind: str) -> None:
    for p in processed:
        photo = TicketPhoto(ticket=ticket, kind=kind, width=p.width, height=p.height, uploaded_by=by)
        photo.image.save(p.image.name, p.image, save=False)
        photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
        photo.save()


def ticket_follow(*, ticket: Ticket, user: User) -> Ticket:
    """Add `user` as a follower: they are told of every change, like the reporter."""
    _check_school(ticket, user)
    _require(user, ticket.school_id, "add_ticket", _("You may not follow repairs in this school."))
    if not ticket.is_open:
        raise WorkflowError(_("Ticket %(number)s is finished; there is nothing to follow.") % {"number": ticket.number})
    ticket.watchers.add(user)
    return ticket


# --- Dispatch (the logistics office) ---------------------------------------------------------

def _check_handler(ticket: Ticket, repairer: User | None, contractor: str) -> None:
    if bool(repairer) == bool(contractor.strip()):
        raise WorkflowError(_("Choose a repairer or name an outside contractor (one of the two)."))
    if repairer is not None and not Membership.objects.active().with_role(Role.REPAIRER).filter(user=repairer, school_id=ticket.school_id).exists():
        raise WorkflowError(_("%(name)s is not a repairer of this school.") % {"name": repairer.display_name})


@transaction.atomic
def ticket_dispatch(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office dispatches repairs."))
    if not can_proceed(ticket.dispatch):
        if ticket.status == Status.DISPATCHED:
            raise WorkflowError(
                _("Ticket %(number)s has just been dispatched to %(who)s by someone else.")
                % {"number": ticket.number, "who": ticket.handler_label}
            )
        raise _state_refused(ticket)
    _check_handler(ticket, repairer, contractor)
    ticket.dispatch(repairer=repairer, contractor=contractor.strip(), by=by, at=timezone.now())
    ticket.save()
    audit.record(
        ticket, "repairs.ticket.dispatched", by=by, school=ticket.school, from_state=Status.SUBMITTED, to_state=ticket.status,
        note=ticket.handler_label, data={"repairer": repairer.pk if repairer else None, "contractor": ticket.contractor},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("dispatched to %(who)s") % {"who": ticket.handler_label}), n.place(ticket)),
    )
    return ticket


@transaction.atomic
def ticket_reassign(*, ticket: Ticket, by: User, repairer: User | None = None, contractor: str = "") -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office dispatches repairs."))
    if not can_proceed(ticket.reassign):
        raise _state_refused(ticket)
    _check_handler(ticket, repairer, contractor)
    before = ticket.handler_label
    previous = ticket.assignee
    ticket.reassign(repairer=repairer, contractor=contractor.strip(), by=by)
    ticket.save()
    audit.record(
        ticket, "repairs.ticket.reassigned", by=by, school=ticket.school, from_state=Status.DISPATCHED, to_state=ticket.status,
        note=f"{before} → {ticket.handler_label}", data={"repairer": repairer.pk if repairer else None, "contractor": ticket.contractor},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, previous, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("now with %(who)s") % {"who": ticket.handler_label}), n.place(ticket)),
    )
    return ticket


def tickets_bulk_dispatch(
    *, school: School, ticket_ids: Iterable[int], by: User, repairer: User | None = None, contractor: str = ""
) -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Dispatch several tickets to one repairer; each in its own transaction, so one refusal (say,
    dispatched meanwhile by a colleague) leaves the others dispatched. Returns (done, refused)."""
    done: list[Ticket] = []
    refused: list[tuple[Ticket, str]] = []
    for ticket in Ticket.objects.for_school(school).filter(pk__in=list(ticket_ids)).order_by("submitted_at", "pk"):
        try:
            done.append(ticket_dispatch(ticket=ticket, by=by, repairer=repairer, contractor=contractor))
        except WorkflowError as e:
            refused.append((ticket, str(e)))
    return done, refused


@transaction.atomic
def ticket_change_urgency(*, ticket: Ticket, by: User, urgency: str) -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office changes the urgency."))
    if urgency not in Urgency.values:
        raise WorkflowError(_("Choose an urgency."))
    if ticket.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REJECTED):
        raise _state_refused(ticket)
    if ticket.urgency == urgency:
        return ticket
    before = ticket.get_urgency_display()
    ticket.urgency = urgency
    ticket.due_at = RepairSettings.for_school(ticket.school).due_at(ticket.submitted_at, urgency)
    ticket.save(update_fields=["urgency", "due_at", "updated_at"])
    audit.record(
        ticket, "repairs.ticket.urgency_changed", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
        note=f"{before} → {ticket.get_urgency_display()}", data={"urgency": urgency},
    )
    n.tell(
        ticket,
        [ticket.reporter, ticket.assignee, *ticket.watchers.all()],
        by=by,
        compose=lambda: (n.subject(ticket, _("urgency now “%(u)s”") % {"u": ticket.get_urgency_display()}), n.place(ticket)),
    )
    return ticket


@transaction.atomic
def ticket_merge(*, ticket: Ticket, into: Ticket, by: User) -> Ticket:
    """Close `ticket` as a duplicate of `into`; its reporter and followers follow `into` instead."""
    # Lock both rows in id order so two merges in opposite directions cannot deadlock.
    first, second = sorted([ticket, into], key=lambda t: t.pk)
    if first.pk == second.pk:
        raise WorkflowError(_("A ticket cannot be merged into itself."))
    locked = {t.pk: t for t in (_lock(first), _lock(second))}
    ticket, into = locked[ticket.pk], locked[into.pk]
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office merges tickets."))
    if into.school_id != ticket.school_id:
        raise WorkflowError(_("Ticket %(number)s belongs to another school.") % {"number": into.number})
    if not into.is_open:
        raise WorkflowError(_("Ticket %(number)s is finished; merge into an open ticket.") % {"number": into.number})
    if not can_proceed(ticket.merge):
        raise _state_refused(ticket)
    before = ticket.status
    ticket.merge(into=into, at=timezone.now())
    ticket.save()
    into.watchers.add(ticket.reporter, *ticket.watchers.all())
    audit.record(ticket, "repairs.ticket.merged", by=by, school=ticket.school, from_state=before, to_state=ticket.status,
                 note=into.number, data={"into": into.pk})
    audit.record(into, "repairs.ticket.duplicate_merged", by=by, school=ticket.school, from_state=into.status, to_state=into.status,
                 note=ticket.number, data={"duplicate": ticket.pk})
    n.tell(
        ticket,
        [ticket.reporter, *ticket.watchers.all()],
        by=by,
        compose=lambda: (
            n.subject(ticket, _("merged into %(other)s") % {"other": into.number}),
            _("The same fault was already reported; you now follow %(other)s.") % {"other": into.number},
        ),
    )
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, by: User, reason: str = "") -> Ticket:
    """The reporter may cancel before work starts; the office may cancel any unfinished ticket, with a reason."""
    ticket = _lock(ticket)
    _check_school(ticket, by)
    reason = (reason or "").strip()
    office = can(by, ticket.school_id, "dispatch_ticket")
    if not can_proceed(ticket.cancel):
        raise _state_refused(ticket)
    if not office:
        if ticket.reporter_id != by.pk:
            raise WorkflowError(_("Only the reporter or the logistics office may cancel this ticket."))
        if ticket.status not in BEFORE_WORK_STATUSES:
            raise WorkflowError(_("Work has started on %(number)s; ask the logistics office to cancel it.") % {"number": ticket.number})
    elif not reason:
        raise WorkflowError(_("Give the reason for cancelling."))
    before = ticket.status
    ticket.cancel(reason=reason, at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.cancelled", by=by, school=ticket.school, from_state=before, to_state=ticket.status, note=reason)
    n.tell(
        ticket,
        n.concerned(ticket),
        by=by,
        compose=lambda: (n.subject(ticket, _("cancelled")), reason or _("Cancelled by %(who)s.") % {"who": by.display_name}),
    )
    return ticket


# --- Work (the repairer) ------------------------------------------------------------------------

@transaction.atomic
def ticket_start(*, ticket: Ticket, by: User) -> Ticket:
    ticket = _lock(ticket)
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if not can_proceed(ticket.start):
        raise _state_refused(ticket)
    before = ticket.status
    ticket.start(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.started", by=by, school=ticket.school, from_state=before, to_state=ticket.status)
    n.tell(ticket, [ticket.reporter, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("work started")), n.place(ticket)))
    return ticket


def _check_working(ticket: Ticket, by: User) -> None:
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if ticket.status != Status.IN_PROGRESS:
        raise WorkflowError(_("Start the work on %(number)s first.") % {"number": ticket.number})


def ticket_add_note(*, ticket: Ticket, by: User, note: str, photos: Sequence[Any] = ()) -> Ticket:
    """A work note, with up to three photos (before/after)."""
    note = (note or "").strip()
    if not note and not photos:
        raise WorkflowError(_("Write a note or add a photo."))
    if len(photos) > photo_lib.MAX_PHOTOS:
        raise WorkflowError(_("At most %(n)d photos.") % {"n": photo_lib.MAX_PHOTOS})
    processed = photo_lib.process_all(photos)
    with transaction.atomic():
        ticket = _lock(ticket)
        _check_working(ticket, by)
        _save_photos(ticket, processed, by=by, kind=TicketPhoto.Kind.WORK)
        audit.record(ticket, "repairs.ticket.noted", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                     note=note, data={"photos": len(processed)})
    return ticket


@transaction.atomic
def ticket_add_material(*, ticket: Ticket, by: User, name: str, quantity: Decimal, unit: str, unit_cost: Decimal = Decimal("0")) -> Material:
    ticket = _lock(ticket)
    _check_working(ticket, by)
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name or not unit:
        raise WorkflowError(_("Give the material's name and unit."))
    if quantity is None or quantity <= 0:
        raise WorkflowError(_("The quantity must be more than zero."))
    if unit_cost is None or unit_cost < 0:
        raise WorkflowError(_("The unit cost cannot be negative."))
    material = Material.objects.create(ticket=ticket, name=name, quantity=quantity, unit=unit, unit_cost=unit_cost, added_by=by)
    audit.record(ticket, "repairs.ticket.material_added", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                 note=f"{name} {quantity.normalize():f}{unit}", data={"material": material.pk, "unit_cost": str(unit_cost)})
    return material


@transaction.atomic
def ticket_remove_material(*, material: Material, by: User) -> None:
    ticket = _lock(material.ticket)
    _check_working(ticket, by)
    Material.objects.filter(pk=material.pk, ticket=ticket).delete()
    audit.record(ticket, "repairs.ticket.material_removed", by=by, school=ticket.school, from_state=ticket.status, to_state=ticket.status,
                 note=f"{material.name} {material.quantity.normalize():f}{material.unit}")


@transaction.atomic
def ticket_mark_done(
    *, ticket: Ticket, by: User, labour_hours: Decimal | None = None, work_summary: str = "", contractor_cost: Decimal | None = None
) -> Ticket:
    ticket = _lock(ticket)
    if not _may_work(ticket, by):
        raise WorkflowError(_("Only the repairer it was dispatched to may work on %(number)s.") % {"number": ticket.number})
    if not can_proceed(ticket.finish):
        raise _state_refused(ticket)
    if labour_hours is not None:
        if labour_hours < 0:
            raise WorkflowError(_("Labour hours cannot be negative."))
        ticket.labour_hours = labour_hours
    if contractor_cost is not None:
        if contractor_cost < 0:
            raise WorkflowError(_("The contractor's charge cannot be negative."))
        ticket.contractor_cost = contractor_cost
    if work_summary.strip():
        ticket.work_summary = work_summary.strip()
    ticket.finish(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.done", by=by, school=ticket.school, from_state=Status.IN_PROGRESS, to_state=ticket.status,
                 note=ticket.work_summary, data={"labour_hours": str(ticket.labour_hours)})
    days = RepairSettings.for_school(ticket.school).auto_accept_days
    n.tell(
        ticket,
        [ticket.reporter, *ticket.watchers.all()],
        by=by,
        compose=lambda: (
            n.subject(ticket, _("done — please check and accept")),
            _("If you do nothing, it is accepted automatically after %(days)d days.") % {"days": days},
        ),
    )
    return ticket


# --- Acceptance (the reporter) --------------------------------------------------------------------

@transaction.atomic
def ticket_accept(*, ticket: Ticket, by: User, rating: int, comment: str = "") -> Ticket:
    ticket = _lock(ticket)
    if ticket.reporter_id != by.pk:
        raise WorkflowError(_("Only the reporter accepts the repair."))
    _check_school(ticket, by)
    if not can_proceed(ticket.accept):
        raise WorkflowError(_("Ticket %(number)s is not done yet; it can be accepted once the repairer marks it done.") % {"number": ticket.number})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise WorkflowError(_("Rate the repair from 1 to 5 stars."))
    ticket.accept(rating=rating, comment=(comment or "").strip(), auto=False, at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.accepted", by=by, school=ticket.school, from_state=Status.DONE, to_state=ticket.status,
                 note=ticket.rating_comment, data={"rating": rating})
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("accepted, %(stars)d/5") % {"stars": rating}), ticket.rating_comment))
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    ticket = _lock(ticket)
    if ticket.reporter_id != by.pk:
        raise WorkflowError(_("Only the reporter may reject the repair."))
    _check_school(ticket, by)
    if not can_proceed(ticket.reject):
        raise _state_refused(ticket)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Say what is still wrong, so the repairer knows."))
    ticket.reject()
    ticket.save()
    audit.record(ticket, "repairs.ticket.rejected", by=by, school=ticket.school, from_state=Status.DONE, to_state=ticket.status, note=reason)
    n.tell(ticket, [ticket.assignee, ticket.dispatched_by, *ticket.watchers.all()], by=by,
           compose=lambda: (n.subject(ticket, _("not accepted, back to the repairer")), reason))
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, by: User) -> Ticket:
    ticket = _lock(ticket)
    _require(by, ticket.school_id, "dispatch_ticket", _("Only the logistics office closes tickets."))
    if not can_proceed(ticket.close):
        raise _state_refused(ticket)
    ticket.close(at=timezone.now())
    ticket.save()
    audit.record(ticket, "repairs.ticket.closed", by=by, school=ticket.school, from_state=Status.ACCEPTED, to_state=ticket.status)
    return ticket


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
