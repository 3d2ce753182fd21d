"""Reporting a repair and following one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.models import Room, School, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError, refuse_unless

from repairs import notify as n
from logistics import photos as photo_lib
from repairs import rules
from repairs.models import Category, PendingPhoto, RepairSettings, Status, Ticket, TicketCounter, TicketPhoto, Urgency


# --- Reporting --------------------------------------------------------------------------------

def _next_number(school: School, year: int) -> str:
    """The next BX<year>-<n> of the school (inside the caller's transaction)."""
    last = next_in_sequence(TicketCounter, school=school, year=year)
    if last is None:
        raise WorkflowError(_("Could not number the ticket; please try again."))
    return f"BX{year}-{last:06d}"


def _by_token(school: School, token: str) -> Ticket | None:
    # No ORDER BY: the lookup must use the (school, token) index, not walk the list's ordered index.
    found = list(Ticket.objects.filter(school=school, token=token).order_by()[:1])
    return found[0] if found else None


def _asset_for(school: School, asset: Any, number: str) -> Any:
    """The asset card the report names (a card, or its typed/scanned number), of this school only."""
    from assets.selectors import card_by_number

    if asset is not None:
        if asset.school_id != school.pk:
            raise WorkflowError(_("No asset %(number)s on this school's ledger.") % {"number": asset.number})
        return asset
    number = (number or "").strip()
    if not number:
        return None
    found = card_by_number(school, number)
    if found is None:
        raise WorkflowError(_("No asset %(number)s on this school's ledger.") % {"number": number[:40]})
    return found


def ticket_submit(
    *,
    school: School,
    reporter: User,
    room: Room,
    category: Category,
    description: str,
    urgency: str = Urgency.NORMAL,
    photos: Sequence[Any] = (),
    held: Sequence[PendingPhoto] = (),
    token: str = "",
    reporter_phone: str = "",
    asset_number: str = "",
    asset: Any = None,
) -> Ticket:
    """Open a ticket. The same `token` (from the form) twice returns the first ticket: a double tap
    on submit makes one ticket. Photos are re-encoded before the transaction; `held` are the
    reporter's photos kept from a failed try of the same form (see `photos_hold`), attached
    first and then let go."""
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
    if any(h.owner_id != reporter.pk or h.school_id != school.pk for h in held):
        raise WorkflowError(_("That photo belongs to someone else's report."))
    if len(photos) + len(held) > photo_lib.MAX_PHOTOS:
        raise WorkflowError(_("At most %(n)d photos.") % {"n": photo_lib.MAX_PHOTOS})
    asset = _asset_for(school, asset, asset_number)
    processed = [_unhold(h) for h in held] + photo_lib.process_all(photos)
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
                asset=asset,
                category=category,
                description=description,
                urgency=urgency,
                submitted_at=now,
                due_at=sla.due_at(now, urgency),
            )
            _save_photos(ticket, processed, by=reporter, kind=TicketPhoto.Kind.REPORT)
            held_photos_discard(photos=held)
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


# --- Photos held across a failed submission ------------------------------------------------------

def photos_hold(*, school: School, owner: User, token: str, uploads: Sequence[Any]) -> list[PendingPhoto]:
    """Keep the good photos of a report form that failed (a missing field, a refusal) for the same
    person and form token, re-encoded as for a ticket (no EXIF), up to the form's photo limit.
    Uploads with a problem are skipped: the form names them."""
    token = (token or "")[:40]
    if not token:
        return []
    room = photo_lib.MAX_PHOTOS - PendingPhoto.objects.filter(school=school, owner=owner, token=token).count()
    good = [u for u in uploads if photo_lib.problem_with(u) is None][:max(room, 0)]
    processed = photo_lib.process_all(good)
    kept = []
    for p in processed:
        pending = PendingPhoto(school=school, owner=owner, token=token, width=p.width, height=p.height)
        pending.image.save(p.image.name, p.image, save=False)
        pending.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
        pending.save()
        kept.append(pending)
    return kept


def held_photos(*, school: School, owner: User, token: str) -> list[PendingPhoto]:
    """The photos kept for this person's form, oldest first."""
    if not token:
        return []
    return list(PendingPhoto.objects.filter(school=school, owner=owner, token=token[:40]))


def held_photos_discard(*, photos: Iterable[PendingPhoto]) -> None:
    """Forget held photos; their files go once the transaction commits (a rollback keeps them)."""
    photos = list(photos)
    if not photos:
        return
    PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
    names = [(f.storage, f.name) for p in photos for f in (p.image, p.thumbnail) if f.name]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def held_photos_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete held photos whose form was abandoned (the periodic task runs this)."""
    stale = list(PendingPhoto.objects.filter(created_at__lt=timezone.now() - older_than)[:5000])
    with transaction.atomic():
        held_photos_discard(photos=stale)
    return len(stale)


def _unhold(pending: PendingPhoto) -> photo_lib.ProcessedPhoto:
    """A held photo as a processed one (it was re-encoded when it was held)."""
    with pending.image.open("rb") as image, pending.thumbnail.open("rb") as thumb:
        stem = pending.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return photo_lib.ProcessedPhoto(ContentFile(image.read(), f"{stem}.jpg"), ContentFile(thumb.read(), f"{stem}_t.jpg"),
                                        pending.width, pending.height)


def ticket_follow(*, ticket: Ticket, user: User) -> Ticket:
    """Add `user` as a follower: they are told of every change, like the reporter."""
    refuse_unless(rules.follow(ticket, user))
    ticket.watchers.add(user)
    return ticket
