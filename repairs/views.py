"""Screens of the repairs app. Thin: a scoped fetch, a form, a service, a message, a redirect."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics import audit
from logistics.lists import keyset_page, safe_next
from logistics.models import Room
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from repairs import services
from repairs.export import export_response
from repairs.forms import (
    AcceptForm,
    BulkDispatchForm,
    DispatchForm,
    DoneForm,
    MaterialForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    TicketReportForm,
    UrgencyForm,
)
from repairs.models import OPEN_STATUSES, UNFINISHED_STATUSES, Category, Material, PendingPhoto, Status, Ticket, TicketPhoto
from repairs.rules import ticket_actions_for
from repairs.filters import TicketFilter
from repairs.selectors import LIST_ORDER, LIST_RELATED, get_ticket_for, unfinished, visible_tickets
from repairs.services import WorkflowError
from repairs.services.reporting import held_photos, held_photos_discard, photos_hold
from repairs.services.work import MaterialLine


# --- Lists --------------------------------------------------------------------------------------

@permission_required("repairs.view_ticket")
def ticket_list(request: HttpRequest) -> HttpResponse:
    ticket_filter = TicketFilter(request.GET, queryset=visible_tickets(request), school=request.school, user=request.user)
    page = keyset_page(ticket_filter.qs, request.GET, ordering=LIST_ORDER, related=LIST_RELATED)
    return render(
        request,
        "repairs/ticket_list.html",
        {"page": page, "form": ticket_filter.form, "sees_all": can(request.user, request.school, "repairs.view_all_tickets"),
         "filtered": bool(ticket_filter.form.filters()), "now": timezone.now()},
    )


@permission_required("repairs.export_ticket")
def ticket_export(request: HttpRequest) -> HttpResponse:
    return export_response(request)  # the list's filter and visibility, small at once or as a job


def _queue_qs(request: HttpRequest) -> Any:
    now = timezone.now()
    return (
        visible_tickets(request)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            priority=Case(
                When(status=Status.SUBMITTED, then=Value(0)),
                When(status__in=UNFINISHED_STATUSES, due_at__lt=now, then=Value(1)),
                When(status=Status.REJECTED, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
    )


@permission_required("repairs.dispatch_ticket")
def queue(request: HttpRequest) -> HttpResponse:
    """The office's dispatch queue: new first, then overdue, then the rest of the open tickets."""
    qs = _queue_qs(request)
    if request.GET.get("status") in Status.values:
        qs = qs.filter(status=request.GET["status"])
    page = keyset_page(qs, request.GET, ordering=("priority", "due_at", "id"), related=LIST_RELATED)
    return render(
        request,
        "repairs/queue.html",
        {"page": page, "form": BulkDispatchForm(school=request.school), "now": timezone.now(), "statuses": Status.choices},
    )


@require_POST
@permission_required("repairs.dispatch_ticket")
def queue_bulk_dispatch(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = BulkDispatchForm(request.POST, school=request.school)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("repairs:queue")
    done, refused = services.tickets_bulk_dispatch(
        school=request.school,
        ticket_ids=[t.pk for t in form.cleaned_data["tickets"]],
        by=request.user,
        repairer=form.cleaned_data["repairer"],
        contractor=form.cleaned_data["contractor"] or "",
    )
    if done:
        messages.success(request, _("%(n)d tickets dispatched: %(numbers)s.") % {"n": len(done), "numbers": "、".join(t.number for t in done)})
    for ticket, reason in refused:
        messages.error(request, f"{ticket.number}: {reason}")
    return redirect("repairs:queue")


@permission_required("repairs.work_ticket")
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The repairer's phone list: their dispatched, started and returned jobs, most urgent first."""
    require_school(request)
    jobs = (
        visible_tickets(request)
        .filter(unfinished(), assignee=request.user)
        .select_related("room", "building", "category", "reporter")
        .order_by("due_at", "pk")[:200]
    )
    recent = (
        visible_tickets(request)
        .filter(assignee=request.user, status=Status.DONE)
        .select_related("room", "building", "category")
        .order_by("-done_at")[:10]
    )
    return render(request, "repairs/my_jobs.html", {"jobs": jobs, "recent": recent, "now": timezone.now()})


# --- Reporting ------------------------------------------------------------------------------------

def _similar(request: HttpRequest, room_id: Any, category_id: Any = None) -> list[Ticket]:
    """The open tickets of a room (same category first); `visible` marks those the person may open."""
    if not str(room_id or "").isdigit():
        return []
    # A room has a handful of open tickets: fetch them by the (school, room, …) index, sort here.
    qs = Ticket.objects.for_school(request.school).filter(room_id=room_id, status__in=OPEN_STATUSES).select_related("category").order_by()
    tickets = sorted(qs[:50], key=lambda t: t.submitted_at, reverse=True)
    if str(category_id or "").isdigit():
        tickets.sort(key=lambda t: t.category_id != int(category_id))
    tickets = tickets[:5]
    visible = set(visible_tickets(request).filter(pk__in=[t.pk for t in tickets]).values_list("pk", flat=True))
    for t in tickets:
        t.visible = t.pk in visible
    return tickets


@permission_required("repairs.add_ticket")
def ticket_report(request: HttpRequest) -> HttpResponse:
    require_school(request)
    Category.ensure_defaults(request.school)
    held: list[PendingPhoto] = []
    if request.method == "POST":
        # Photos kept from an earlier try of this form (same person, same form token), minus those
        # the person ticked to remove.
        token = request.POST.get("token", "")
        held = held_photos(school=request.school, owner=request.user, token=token)
        removed = set(request.POST.getlist("remove_photo"))
        held_photos_discard(photos=[h for h in held if str(h.pk) in removed])
        held = [h for h in held if str(h.pk) not in removed]
        form = TicketReportForm(request.POST, request.FILES, school=request.school, user=request.user, held=len(held))
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_submit(
                    school=request.school,
                    reporter=request.user,
                    room=data["room"],
                    category=data["category"],
                    description=data["description"],
                    urgency=data["urgency"],
                    photos=data["photos"],
                    held=held,
                    token=data["token"],
                    reporter_phone=data["reporter_phone"],
                    asset_number=data["asset_number"],
                )
            except WorkflowError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Your report is in: ticket %(number)s. You will be told when it is dispatched.") % {"number": ticket.number})
                return redirect(ticket)
        # The form failed: keep the good photos just chosen, so the person need not choose them again.
        held += photos_hold(school=request.school, owner=request.user, token=form["token"].value() or "",
                            uploads=request.FILES.getlist("photos"))
    else:
        initial: dict[str, Any] = {"reporter_phone": request.user.phone or ""}
        room_id = request.GET.get("room", "")
        if room_id.isdigit() and Room.objects.for_school(request.school).filter(pk=room_id).exists():
            initial["room"] = int(room_id)
        initial["asset_number"] = request.GET.get("asset", "")[:40]  # "report a repair" from an asset's card or label
        form = TicketReportForm(initial=initial, school=request.school, user=request.user)
    room_id = form["room"].value()
    category_id = form["category"].value()
    return render(
        request,
        "repairs/ticket_report.html",
        {"form": form, "held": held, "similar": _similar(request, room_id, category_id), "category_id": str(category_id or "")},
    )


@permission_required("repairs.add_ticket")
def ticket_similar(request: HttpRequest) -> HttpResponse:
    """The open tickets of a room (same category first): the report form shows them as you choose."""
    require_school(request)
    category_id = request.GET.get("category", "")
    return render(
        request,
        "repairs/_similar.html",
        {"similar": _similar(request, request.GET.get("room"), category_id), "category_id": category_id},
    )


# --- Detail and actions ----------------------------------------------------------------------------

def _render_detail(request: HttpRequest, ticket: Ticket, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    reporter = ticket.reporter_id == user.pk
    actions = ticket_actions_for(ticket, user)
    context = {
        "ticket": ticket,
        "photos": list(ticket.photos.all()),
        "materials": list(ticket.materials.all()),
        "history": list(audit.history_of(ticket)),
        "following": ticket.is_open and not reporter and ticket.watchers.filter(pk=user.pk).exists(),
        "can": actions,
        "office": can(user, ticket.school_id, "repairs.dispatch_ticket"),
        "now": timezone.now(),
        "dispatch_form": forms.get("dispatch_form") or (DispatchForm(school=request.school) if actions["dispatch"] or actions["reassign"] else None),
        "urgency_form": UrgencyForm(initial={"urgency": ticket.urgency}) if actions["urgency"] else None,
        "merge_form": forms.get("merge_form") or (MergeForm(school=request.school) if actions["merge"] else None),
        "note_form": forms.get("note_form") or NoteForm(),
        "material_form": forms.get("material_form") or MaterialForm(school=request.school),
        "done_form": forms.get("done_form") or DoneForm(
            school=request.school, contractor=bool(ticket.contractor),
            # After a rejection the hours already recorded are the starting point.
            initial={"labour_hours": ticket.labour_hours if ticket.reject_count else None, "work_summary": ticket.work_summary}),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "reason_form": ReasonForm(),
    }
    context["material_total"] = sum((m.total for m in context["materials"]), start=0)
    return render(request, "repairs/ticket_detail.html", context, status=status)


@permission_required("repairs.view_ticket")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_ticket_for(request, pk))


def _back(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return redirect(safe_next(request, request.POST.get("next")) or ticket)


def _form_kwargs(form_class: Any, request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    """What a step's form needs besides the POST: the school (its choices and its repair limits,
    shown as field errors), and for done whether an outside contractor did the job."""
    if form_class is DoneForm:
        return {"school": request.school, "contractor": bool(ticket.contractor)}
    if form_class in (DispatchForm, MergeForm, MaterialForm):
        return {"school": request.school}
    return {}


def _action(
    perm: str, form_class: Any | None, run: Callable[[HttpRequest, Ticket, dict[str, Any]], str], *, form_name: str = "", files: bool = False
) -> Callable[..., HttpResponse]:
    """A POST-only step on one ticket: visible-or-404, role-or-403, form, service, message, back."""

    @require_POST
    @permission_required(perm)
    def view(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        ticket = get_ticket_for(request, pk)
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST, request.FILES if files else None, **_form_kwargs(form_class, request, ticket))
            if not form.is_valid():
                if form_name:  # re-show the page with what the person typed and the errors next to it
                    messages.error(request, _("Please correct the errors below."))
                    companions = form.companions() if hasattr(form, "companions") else {}
                    return _render_detail(request, ticket, status=400, **{**companions, form_name: form})
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return _back(request, ticket)
            data = form.cleaned_data
        data.update(kwargs)
        try:
            messages.success(request, run(request, ticket, data))
        except WorkflowError as e:
            messages.error(request, str(e))
        return _back(request, ticket)

    return view


def _dispatch(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    service = services.ticket_reassign if ticket.status == Status.DISPATCHED and request.POST.get("reassign") else services.ticket_dispatch
    ticket = service(ticket=ticket, by=request.user, repairer=data["repairer"], contractor=data["contractor"] or "")
    return _("%(number)s dispatched to %(who)s.") % {"number": ticket.number, "who": ticket.handler_label}


def _urgency(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    ticket = services.ticket_change_urgency(ticket=ticket, by=request.user, urgency=data["urgency"])
    return _("Urgency is now “%(u)s”; due by %(due)s.") % {"u": ticket.get_urgency_display(), "due": timezone.localtime(ticket.due_at).strftime("%Y-%m-%d %H:%M")}


def _merge(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_merge(ticket=ticket, into=data["into"], by=request.user)
    return _("%(number)s merged into %(other)s.") % {"number": ticket.number, "other": data["into"].number}


def _cancel(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_cancel(ticket=ticket, by=request.user, reason=data.get("reason", ""))
    return _("Ticket %(number)s cancelled.") % {"number": ticket.number}


def _start(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_start(ticket=ticket, by=request.user)
    return _("Work started on %(number)s.") % {"number": ticket.number}


def _note(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_add_note(ticket=ticket, by=request.user, note=data["note"], photos=data["photos"])
    return _("Note saved.")


def _material(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    if data.get("stock") is not None:
        m = services.ticket_add_stock_material(ticket=ticket, by=request.user, stock=data["stock"], quantity=data["quantity"])
        return _("Recorded: %(material)s, taken from the store at ¥%(cost)s each.") % {"material": m, "cost": m.unit_cost}
    m = services.ticket_add_material(ticket=ticket, by=request.user, name=data["name"], quantity=data["quantity"], unit=data["unit"],
                                     unit_cost=data["unit_cost"])
    return _("Recorded: %(material)s.") % {"material": m}


def _material_delete(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    material = Material.objects.filter(ticket=ticket, pk=data["material_pk"]).first()
    if material is None:
        raise WorkflowError(_("That material line is already gone."))
    services.ticket_remove_material(material=material, by=request.user)
    if material.stock_issue_id:
        return _("Removed: %(material)s; it is back in the store.") % {"material": material}
    return _("Removed: %(material)s.") % {"material": material}


def _done(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    material = MaterialLine(**data["material"]) if data.get("material") else None
    services.ticket_mark_done(ticket=ticket, by=request.user, labour_hours=data["labour_hours"], work_summary=data["work_summary"],
                              contractor_cost=data["contractor_cost"], material=material)
    if material is not None:
        name, unit = (material.stock.item.name, material.stock.item.unit) if material.stock is not None else (material.name, material.unit)
        return _("%(number)s marked done, with %(material)s recorded; the reporter is asked to accept it.") % {
            "number": ticket.number, "material": f"{name} {material.quantity.normalize():f}{unit}"}
    return _("%(number)s marked done; the reporter is asked to accept it.") % {"number": ticket.number}


def _accept(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_accept(ticket=ticket, by=request.user, rating=data["rating"], comment=data["comment"])
    return _("Thank you: the repair is accepted.")


def _reject(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_reject(ticket=ticket, by=request.user, reason=data.get("reason", ""))
    return _("Sent back to the repairer.")


def _close(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> str:
    services.ticket_close(ticket=ticket, by=request.user)
    return _("Ticket %(number)s closed.") % {"number": ticket.number}


ticket_dispatch = _action("repairs.dispatch_ticket", DispatchForm, _dispatch, form_name="dispatch_form")
ticket_urgency = _action("repairs.dispatch_ticket", UrgencyForm, _urgency)
ticket_merge = _action("repairs.dispatch_ticket", MergeForm, _merge, form_name="merge_form")
ticket_cancel = _action("repairs.view_ticket", ReasonForm, _cancel)
ticket_start = _action("repairs.work_ticket", None, _start)
ticket_note = _action("repairs.work_ticket", NoteForm, _note, form_name="note_form", files=True)
ticket_material_add = _action("repairs.work_ticket", MaterialForm, _material, form_name="material_form")
ticket_material_delete = _action("repairs.work_ticket", None, _material_delete)
ticket_done = _action("repairs.work_ticket", DoneForm, _done, form_name="done_form")
ticket_accept = _action("repairs.view_ticket", AcceptForm, _accept, form_name="accept_form")
ticket_reject = _action("repairs.view_ticket", ReasonForm, _reject)
ticket_close = _action("repairs.dispatch_ticket", None, _close)


@require_POST
@permission_required("repairs.add_ticket")
def ticket_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an open ticket the person may see; another's report they may not see is a 404."""
    ticket = get_ticket_for(request, pk)
    try:
        services.ticket_follow(ticket=ticket, user=request.user)
        messages.success(request, _("You now follow %(number)s and will be told of every change.") % {"number": ticket.number})
    except WorkflowError as e:
        messages.error(request, str(e))
        return redirect("repairs:ticket-report")
    return redirect(ticket)


# --- Photos ---------------------------------------------------------------------------------------

@permission_required("repairs.view_ticket")
def photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    """Photos are served only to people who may see the ticket (never from a public media URL)."""
    found = TicketPhoto.objects.filter(pk=pk, ticket__in=visible_tickets(request).values("pk")).first()
    if found is None:
        raise Http404
    file = found.thumbnail if thumb else found.image
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required("repairs.add_ticket")
def held_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The thumbnail of a photo held for a report form: only its owner, in the school it was chosen in."""
    require_school(request)
    found = PendingPhoto.objects.filter(pk=pk, owner=request.user, school=request.school).first()
    if found is None:
        raise Http404
    try:
        handle = found.thumbnail.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
