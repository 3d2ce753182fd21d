"""Reporting a repair and following one."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Room, School, User
from logistics.permissions import can
from logistics.workflow import WorkflowError, refuse_unless

from repairs import notify as n
from repairs import photos as photo_lib
from repairs import rules
from repairs.models import Category, RepairSettings, Status, Ticket, TicketCounter, TicketPhoto, Urgency


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


def _by_token(school: School, token: str) -> Ticket | None:
    # No ORDER BY: the lookup must use the (school, token) index, not walk the list's ordered index.
    found = list(Ticket.objects.filter(school=school, token=token).order_by()[:1])
    return found[0] if found else None


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
    if token and (existing := _by_token(school, token)):
        return existing
    if not can(reporter, school, "repairs.add_ticket"):
        raise WorkflowError(_("You may not report repairs in this school."))
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
        if token and (existing := _by_token(school, token)):
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
    refuse_unless(rules.follow(ticket, user))
    ticket.watchers.add(user)
    return ticket
