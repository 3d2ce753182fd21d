"""Screens of the procurement app. Thin: a scoped fetch, a form, a service, a message, a redirect."""

from __future__ import annotations

import uuid
from typing import Any, Callable

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from logistics import audit
from logistics.lists import keyset_page
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from procurement import services
from procurement.export import export_response
from procurement.filters import RequisitionFilter, drawn_fields
from procurement.forms import AcceptanceForm, DecisionForm, LineFormSet, OrderForm, RejectForm, RequisitionForm
from procurement.models import Acceptance, AcceptanceLine, AcceptanceMember, ApprovalStep, Requisition, Status
from procurement.rules import current_step, requisition_actions_for
from procurement.selectors import (
    LIST_ORDER, LIST_RELATED, awaiting, budget_left, get_requisition_for, visible_requisitions,
)
from procurement.services import WorkflowError
from procurement.services.acceptance import received_so_far


# What each audited step of a request reads as in its history.
VERBS = {
    "changed": gettext_lazy("changed"), "numbered": gettext_lazy("numbered"), "submitted": gettext_lazy("submitted"),
    "tiered": gettext_lazy("approval chain set"), "restarted": gettext_lazy("approval started again"),
    "step_approved": gettext_lazy("step approved"), "approved": gettext_lazy("approved"), "rejected": gettext_lazy("rejected"),
    "withdrawn": gettext_lazy("withdrawn"), "ordered": gettext_lazy("purchase recorded"), "delivery_recorded": gettext_lazy("delivery recorded"),
    "acceptance_confirmed": gettext_lazy("acceptance confirmed"), "paid": gettext_lazy("paid"), "accepted": gettext_lazy("accepted"), "closed": gettext_lazy("closed"),
}


# --- Lists --------------------------------------------------------------------------------------

@permission_required("procurement.view_requisition")
def requisition_list(request: HttpRequest) -> HttpResponse:
    f = RequisitionFilter(request.GET, queryset=visible_requisitions(request), school=request.school, user=request.user)
    page = keyset_page(f.qs, request.GET, ordering=LIST_ORDER, related=LIST_RELATED)
    sees_all = can(request.user, request.school, "procurement.view_all_requisitions")
    return render(request, "procurement/requisition_list.html",
                  {"page": page, "fields": drawn_fields(f.form), "sees_all": sees_all, "filtered": bool(f.form.filters()),
                   "base": reverse("procurement:requisition-list")})


@permission_required("procurement.export_requisition")
def requisition_export(request: HttpRequest) -> HttpResponse:
    return export_response(request)


@permission_required("procurement.view_requisition")
def approvals(request: HttpRequest) -> HttpResponse:
    """The approvals waiting for this person (or for whom they stand in), oldest first."""
    require_school(request)
    qs = awaiting(user=request.user, school=request.school)
    page = keyset_page(qs, request.GET, ordering=("submitted_at", "id"), related=LIST_RELATED)
    return render(request, "procurement/approvals.html", {"page": page, "base": reverse("procurement:requisition-list")})


# --- One request --------------------------------------------------------------------------------

def _with_trail(req: Requisition) -> Requisition:
    req._prefetched_objects_cache = {"steps": list(ApprovalStep.objects.filter(requisition=req).select_related("person", "decided_by", "on_behalf_of"))}
    return req


@permission_required("procurement.view_requisition")
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _with_trail(get_requisition_for(request, pk))
    steps = sorted(req._prefetched_objects_cache["steps"], key=lambda s: (s.round, s.order))
    acceptances = (
        Acceptance.objects.filter(requisition=req).select_related("recorded_by")
        .prefetch_related(Prefetch("members", queryset=AcceptanceMember.objects.select_related("user")),
                          Prefetch("lines", queryset=AcceptanceLine.objects.select_related("line").prefetch_related("cards")))
    )
    left = budget_left(req.budget_line, excluding=req)
    return render(request, "procurement/requisition_detail.html", {
        "req": req, "lines": req.lines.select_related("asset_class", "catalogue_item"), "steps": steps,
        "current": current_step(req), "actions": requisition_actions_for(req, request.user),
        "acceptances": acceptances, "budget_left": left, "over_budget": left is not None and req.total > left,
        "decision_form": DecisionForm(), "reject_form": RejectForm(), "history": [(h, VERBS.get(h.action.rsplit(".", 1)[-1], h.action)) for h in audit.history_of(req).select_related("actor")],
        "quotes": req.quotes.all(), "buyers": req.buyers.all(), "may_pay": can(request.user, request.school, "procurement.record_payment"),
        "today": timezone.localdate(),
    })


def _edit(request: HttpRequest, req: Requisition | None) -> HttpResponse:
    school = request.school
    if request.method == "POST":
        form = RequisitionForm(request.POST, school=school)
        formset = LineFormSet(request.POST, prefix="lines", form_kwargs={"school": school})
        if form.is_valid() and formset.is_valid():
            try:
                req = services.requisition_save(school=school, by=request.user, requisition=req, lines=formset.lines(),
                                                token=request.POST.get("token", "") if req is None else "", **form.cleaned_data)
                if "submit" in request.POST and req.status != Status.PENDING:
                    req = services.requisition_submit(requisition=req, by=request.user)
                    messages.success(request, _("Request %(number)s submitted for approval.") % {"number": req.number})
                else:
                    messages.success(request, _("Request saved."))
                return redirect(req)
            except WorkflowError as e:
                form.add_error(None, str(e))
    else:
        initial: dict[str, Any] = {}
        lines: list[dict[str, Any]] = []
        if req is not None:
            initial = {"purpose": req.purpose, "department": req.department_id, "needed_by": req.needed_by,
                       "budget_line": req.budget_line_id, "funding": req.funding}
            lines = [{"name": x.name, "spec": x.spec, "unit": x.unit, "quantity": x.quantity, "unit_price": x.unit_price,
                      "fixed_asset": x.fixed_asset, "asset_class": x.asset_class_id, "catalogue_item": x.catalogue_item_id} for x in req.lines.all()]
        else:
            membership = request.membership
            initial = {"department": getattr(membership, "department_id", None)}
        form = RequisitionForm(initial=initial, school=school)
        formset = LineFormSet(initial=lines, prefix="lines", form_kwargs={"school": school})
    token = (request.POST.get("token") or "")[:40] if request.method == "POST" else uuid.uuid4().hex
    return render(request, "procurement/requisition_form.html", {"form": form, "formset": formset, "req": req, "token": token})


@permission_required("procurement.add_requisition")
def requisition_create(request: HttpRequest) -> HttpResponse:
    require_school(request)
    return _edit(request, None)


@permission_required("procurement.view_requisition")
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_requisition_for(request, pk)
    from procurement import rules

    if (refused := rules.edit(req, request.user)) is not None:
        messages.error(request, refused)
        return redirect(req)
    return _edit(request, req)


def _step(view: Callable[[HttpRequest, Requisition], Any]) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST step on one request: scoped fetch (404 for another school), the service, a message."""

    @require_POST
    @permission_required("procurement.view_requisition")
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        req = get_requisition_for(request, pk)
        try:
            done = view(request, req)
            if isinstance(done, HttpResponse):
                return done
            if done:
                messages.success(request, done)
        except WorkflowError as e:
            messages.error(request, str(e))
        return redirect(req)

    wrapped.__name__ = view.__name__
    return wrapped


@_step
def requisition_submit(request: HttpRequest, req: Requisition) -> str:
    req = services.requisition_submit(requisition=req, by=request.user)
    return _("Request %(number)s submitted for approval.") % {"number": req.number}


@_step
def requisition_withdraw(request: HttpRequest, req: Requisition) -> str:
    services.requisition_withdraw(requisition=req, by=request.user)
    return _("Request withdrawn.")


@_step
def requisition_approve(request: HttpRequest, req: Requisition) -> str:
    form = DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        raise WorkflowError(" ".join(str(e) for errors in form.errors.values() for e in errors))
    req = services.requisition_approve(requisition=req, by=request.user, note=form.cleaned_data["note"], minutes=form.cleaned_data["minutes"])
    return _("Approved.")


@_step
def requisition_reject(request: HttpRequest, req: Requisition) -> str:
    form = RejectForm(request.POST)
    if not form.is_valid():
        raise WorkflowError(_("Give the reason for rejecting."))
    services.requisition_reject(requisition=req, by=request.user, reason=form.cleaned_data["reason"])
    return _("Rejected; the requester is told.")


@permission_required("procurement.purchase_requisition")
def requisition_order(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_requisition_for(request, pk)
    if request.method == "POST":
        form = OrderForm(request.POST, school=request.school)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.requisition_order(
                    requisition=req, by=request.user, method=d["method"], supplier=d["supplier"], amount=d["amount"],
                    contract_number=d["contract_number"], ordered_on=d["ordered_on"], warranty_until=d["warranty_until"],
                    gov_reference=d["gov_reference"], buyers=list(d["buyers"]), quotes=form.quotes(),
                )
                messages.success(request, _("Purchase recorded."))
                return redirect(req)
            except WorkflowError as e:
                form.add_error(None, str(e))
    else:
        form = OrderForm(school=request.school, initial={"amount": req.total, "ordered_on": timezone.localdate(), "buyers": [request.user.pk]})
    return render(request, "procurement/requisition_order.html", {"req": req, "form": form})


@permission_required("procurement.purchase_requisition")
def acceptance_create(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_requisition_for(request, pk)
    lines = list(req.lines.all())
    left = received_so_far(req)
    kwargs = {"school": request.school, "lines": lines, "left": left}
    if request.method == "POST":
        form = AcceptanceForm(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.acceptance_record(
                    requisition=req, by=request.user, accepted_on=d["accepted_on"], team=list(d["team"]), quantities=form.quantities(),
                    invoice_number=d["invoice_number"], spec_match=d["spec_match"], quality=d["quality"], conclusion=d["conclusion"],
                )
                messages.success(request, _("Acceptance recorded; each member of the team confirms it."))
                return redirect(req)
            except WorkflowError as e:
                form.add_error(None, str(e))
    else:
        form = AcceptanceForm(initial={"accepted_on": timezone.localdate(), "team": [request.user.pk, req.requester_id]}, **kwargs)
    return render(request, "procurement/acceptance_form.html", {"req": req, "form": form})


@require_POST
@permission_required("procurement.view_requisition")
def acceptance_confirm(request: HttpRequest, pk: int, acceptance_pk: int) -> HttpResponse:
    req = get_requisition_for(request, pk)
    acceptance = Acceptance.objects.filter(requisition=req, pk=acceptance_pk).first()
    if acceptance is None:
        from django.http import Http404

        raise Http404
    try:
        services.acceptance_confirm(acceptance=acceptance, by=request.user)
        messages.success(request, _("Acceptance confirmed."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(req)


@require_POST
@permission_required("procurement.record_payment")
def acceptance_pay(request: HttpRequest, pk: int, acceptance_pk: int) -> HttpResponse:
    import datetime as dt

    req = get_requisition_for(request, pk)
    acceptance = Acceptance.objects.filter(requisition=req, pk=acceptance_pk).first()
    if acceptance is None:
        from django.http import Http404

        raise Http404
    try:
        paid_on = dt.date.fromisoformat(request.POST.get("paid_on", ""))
    except ValueError:
        messages.error(request, _("Enter the payment date."))
        return redirect(req)
    try:
        services.acceptance_pay(acceptance=acceptance, by=request.user, paid_on=paid_on)
        messages.success(request, _("Payment recorded."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(req)


# --- Paper forms ----------------------------------------------------------------------------------

@permission_required("procurement.view_requisition")
def requisition_print(request: HttpRequest, pk: int) -> HttpResponse:
    req = _with_trail(get_requisition_for(request, pk))
    steps = [s for s in sorted(req._prefetched_objects_cache["steps"], key=lambda s: s.order) if s.round == req.round]
    return render(request, "procurement/requisition_print.html", {"req": req, "lines": req.lines.all(), "steps": steps})


@permission_required("procurement.view_requisition")
def acceptance_print(request: HttpRequest, pk: int, acceptance_pk: int) -> HttpResponse:
    req = get_requisition_for(request, pk)
    acceptance = (
        Acceptance.objects.filter(requisition=req, pk=acceptance_pk)
        .prefetch_related(Prefetch("members", queryset=AcceptanceMember.objects.select_related("user")),
                          Prefetch("lines", queryset=AcceptanceLine.objects.select_related("line").prefetch_related("cards")))
        .first()
    )
    if acceptance is None:
        from django.http import Http404

        raise Http404
    return render(request, "procurement/acceptance_print.html", {"req": req, "acceptance": acceptance})


@permission_required("procurement.view_requisition")
def step_minutes(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """A collective decision's minutes, served only to those who see the request (never from a
    public media URL), as a download."""
    from django.http import FileResponse, Http404

    req = get_requisition_for(request, pk)
    step = ApprovalStep.objects.filter(requisition=req, pk=step_pk).exclude(minutes="").first()
    if step is None:
        raise Http404
    try:
        handle = step.minutes.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=step.minutes.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
