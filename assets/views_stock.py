"""Consumables screens: the stock list, one item (its 出入库 ledger by month and the steps), receiving,
and the issues awaiting approval."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.lists import keyset_page
from logistics.permissions import can, permission_required
from logistics.scoping import get_scoped_or_404, require_school

from assets.forms_stock import CountForm, IssueForm, ItemLimitsForm, MonthForm, ReceiveForm, ReturnForm
from assets.models_stock import IssueStatus, StockIssue, StockItem, qty
from assets.selectors import stock_items_of, stock_ledger
from assets.services import stock
from assets.services.stock import WorkflowError


@permission_required("assets.view_stockitem")
def stock_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    qs = stock_items_of(request.school)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(spec__icontains=q))
    if request.GET.get("low"):
        qs = qs.filter(min_stock__gt=0, low=True)
    page = keyset_page(qs, request.GET, ordering=("name", "spec", "id"))
    pending = StockIssue.objects.for_school(request.school).filter(status=IssueStatus.PENDING).count()
    return render(request, "assets/stock_list.html", {"page": page, "q": q, "low": bool(request.GET.get("low")), "pending": pending})


def _item(request: HttpRequest, pk: int) -> StockItem:
    return get_scoped_or_404(request, StockItem, pk=pk)


def _render_item(request: HttpRequest, item: StockItem, status: int = 200, **forms: object) -> HttpResponse:
    school = request.school
    month_form = MonthForm(request.GET or None)
    today = timezone.localdate()
    month = month_form.cleaned_data.get("month") if month_form.is_valid() else None
    month = month or today.replace(day=1)
    ledger = stock_ledger(item, year=month.year, month=month.month)
    figures = stock_items_of(school).get(pk=item.pk)
    manages = can(request.user, school, "assets.manage_stock")
    return render(request, "assets/stock_item.html", {
        "item": item, "figures": figures, "ledger": ledger, "month": month, "manages": manages,
        "stocks": item.stocks.select_related("warehouse").order_by("warehouse__name"),
        "issues": item.issues.select_related("to_person", "to_department").filter(status=IssueStatus.ISSUED)
                             .order_by("-issued_on", "-id")[:10],
        "issue_form": forms.get("issue_form") or (IssueForm(school=school) if manages else None),
        "count_form": forms.get("count_form") or (CountForm(school=school) if manages else None),
        "limits_form": forms.get("limits_form") or (ItemLimitsForm(instance=item) if manages else None),
        "return_form": ReturnForm() if manages else None,
    }, status=status)


@permission_required("assets.view_stockitem")
def stock_export(request: HttpRequest) -> HttpResponse:
    from logistics.exports import respond

    from assets.export_stocktake import STOCK

    return respond(request, STOCK)


@permission_required("assets.view_stockitem")
def stock_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, _item(request, pk))


@permission_required("assets.manage_stock")
def stock_receive(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = ReceiveForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = stock.receive(school=request.school, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("%(item)s: %(n)s received.") % {"item": receipt.item, "n": qty(receipt.quantity)})
            return redirect(receipt.item)
    return render(request, "assets/stock_receive.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@permission_required("assets.manage_stock")
def stock_issue(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = IssueForm(request.POST, school=request.school)
    if not form.is_valid():
        return _render_item(request, item, status=400, issue_form=form)
    try:
        row = stock.issue(item=item, by=request.user, **form.cleaned_data)
    except WorkflowError as e:
        form.add_error(None, str(e))
        return _render_item(request, item, status=400, issue_form=form)
    if row.status == IssueStatus.PENDING:
        messages.info(request, _("More than %(n)s at once: the issue waits for approval.") % {"n": qty(item.approval_over)})
    else:
        messages.success(request, _("%(n)s %(unit)s issued to %(who)s.") % {"n": qty(row.quantity), "unit": item.unit,
                                                                             "who": row.recipient_label})
    return redirect(item)


@require_POST
@permission_required("assets.manage_stock")
def stock_count(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = CountForm(request.POST, school=request.school)
    if not form.is_valid():
        return _render_item(request, item, status=400, count_form=form)
    try:
        move = stock.count(item=item, by=request.user, **form.cleaned_data)
    except WorkflowError as e:
        form.add_error(None, str(e))
        return _render_item(request, item, status=400, count_form=form)
    messages.success(request, _("The count agrees with the books.") if move is None else
                     _("Books adjusted by %(n)s.") % {"n": qty(move.quantity)})
    return redirect(item)


@require_POST
@permission_required("assets.manage_stock")
def stock_limits(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = ItemLimitsForm(request.POST, instance=item)
    if not form.is_valid():
        return _render_item(request, item, status=400, limits_form=form)
    form.save()
    messages.success(request, _("Saved."))
    return redirect(item)


@require_POST
@permission_required("assets.manage_stock")
def stock_return(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(request, StockIssue, pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            stock.take_back(issue_row=row, by=request.user, **form.cleaned_data)
            messages.success(request, _("Taken back into store."))
        except WorkflowError as e:
            messages.error(request, str(e))
    else:
        messages.error(request, _("Enter the quantity that comes back."))
    return redirect(row.item)


@permission_required("assets.view_stockissue")
def stock_pending(request: HttpRequest) -> HttpResponse:
    require_school(request)
    rows = (StockIssue.objects.for_school(request.school).filter(status=IssueStatus.PENDING)
            .select_related("item", "to_person", "to_department", "requested_by").order_by("requested_at", "id")[:200])
    return render(request, "assets/stock_pending.html", {"rows": rows,
                                                         "approves": can(request.user, request.school, "assets.approve_stock_issue")})


@require_POST
@permission_required("assets.approve_stock_issue")
def stock_decide(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(request, StockIssue, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            stock.issue_approve(issue_row=row, by=request.user)
            messages.success(request, _("Approved and issued."))
        else:
            stock.issue_reject(issue_row=row, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect("assets:stock-pending")
