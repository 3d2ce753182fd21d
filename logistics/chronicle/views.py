"""Screens of the 工作纪事: the month's list, an entry, the form (a minute on a phone), withdrawing.
Thin: a scoped fetch, a form, a service, a message, a redirect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.chronicle import services
from logistics.chronicle.forms import EntryForm, WithdrawForm
from logistics.chronicle.models import ChronicleEntry, ChroniclePhoto
from logistics.chronicle.selectors import entries_of_month
from logistics.lists import int_param
from logistics.models import Term
from logistics.permissions import can, permission_required
from logistics.scoping import get_scoped_or_404, require_school
from logistics.workflow import WorkflowError


def _month(request: HttpRequest) -> tuple[int, int]:
    """?month=2026-10; anything else (or nothing) is this month."""
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = timezone.localdate()
    return today.year, today.month


@permission_required("chronicle.view_chronicleentry")
def entry_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    year, month = _month(request)
    first = dt.date(year, month, 1)
    before = (first - dt.timedelta(days=1)).replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    entries = list(entries_of_month(request.school, year, month, include_withdrawn=True))
    return render(request, "chronicle/entry_list.html", {
        "entries": entries, "month": first, "before": before, "after": after,
        "can_add": can(request.user, request.school, "chronicle.add_chronicleentry"),
        "term": Term.objects.for_school(request.school).current(on=first if first <= timezone.localdate() else None),
    })


@permission_required("chronicle.view_chronicleentry")
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(request, ChronicleEntry.objects.select_related("kind", "created_by", "withdrawn_by"), pk=pk)
    return _render_detail(request, entry)


def _render_detail(request: HttpRequest, entry: ChronicleEntry, withdraw_form: WithdrawForm | None = None, status: int = 200) -> HttpResponse:
    frozen = services.issued_term_of(entry.school, entry.date) is not None
    return render(request, "chronicle/entry_detail.html", {
        "entry": entry, "photos": list(entry.photos.all()), "links": list(entry.links.all()), "people": list(entry.people.all()),
        "frozen": frozen,
        "can_edit": not frozen and not entry.is_withdrawn and can(request.user, request.school, "chronicle.change_chronicleentry"),
        "can_withdraw": not entry.is_withdrawn and can(request.user, request.school, "chronicle.withdraw_chronicleentry"),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }, status=status)


def _term_for(request: HttpRequest, entry: ChronicleEntry | None = None) -> Term | None:
    terms = Term.objects.for_school(request.school)
    if entry is not None:
        return terms.filter(start__lte=entry.date, end__gte=entry.date).first()
    return terms.current()


@permission_required("chronicle.add_chronicleentry")
def entry_add(request: HttpRequest) -> HttpResponse:
    require_school(request)
    term = _term_for(request)
    if term is None:
        messages.error(request, _("There is no current term: add the term first."))
        return redirect("chronicle:entry-list")
    services.ensure_kinds(request.school)
    initial = {"date": min(timezone.localdate(), term.end)}
    if (domain := request.GET.get("domain")) in dict(ChronicleEntry._meta.get_field("domain").choices):
        initial["domain"] = domain
    form = EntryForm(request.POST or None, request.FILES or None, school=request.school, term=term, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(
                school=request.school, by=request.user, kind=form.cleaned_data["kind"], links=form.linked,
                people=form.cleaned_data.get("people") or [], photos=form.cleaned_data.get("photos") or [], **form.values(),
            )
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Recorded in the chronicle."))
            return redirect("chronicle:entry-detail", pk=entry.pk)
    return render(request, "chronicle/entry_form.html", {"form": form, "term": term, "entry": None},
                  status=400 if form.is_bound and form.errors else 200)


@permission_required("chronicle.change_chronicleentry")
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(request, ChronicleEntry.objects.select_related("kind"), pk=pk)
    if entry.is_withdrawn or services.issued_term_of(entry.school, entry.date):
        messages.error(request, _("The term's report has been issued or the entry withdrawn; it can no longer be changed."))
        return redirect("chronicle:entry-detail", pk=entry.pk)
    term = _term_for(request, entry)
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry, school=request.school, term=term)
    if request.method == "POST" and form.is_valid():
        remove = [int_param(v, 0) for v in request.POST.getlist("remove_photo")]
        try:
            services.update_entry(
                entry=entry, by=request.user, kind=form.cleaned_data["kind"], links=form.linked,
                people=form.cleaned_data.get("people") or [], photos=form.cleaned_data.get("photos") or [],
                remove_photos=[r for r in remove if r], **form.values(),
            )
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Saved."))
            return redirect("chronicle:entry-detail", pk=entry.pk)
    return render(request, "chronicle/entry_form.html", {"form": form, "term": term, "entry": entry, "photos": list(entry.photos.all())},
                  status=400 if form.is_bound and form.errors else 200)


@require_POST
@permission_required("chronicle.withdraw_chronicleentry")
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(request, ChronicleEntry, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, entry, form, status=400)
    try:
        services.withdraw_entry(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The entry has been withdrawn."))
    return redirect("chronicle:entry-detail", pk=entry.pk)


@permission_required("chronicle.view_chronicleentry")
def photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    """Photos go only to people who may see the school's chronicle (never a public media URL)."""
    found = ChroniclePhoto.objects.for_school(request.school).filter(pk=pk).first()
    if found is None:
        raise Http404
    try:
        handle = (found.thumbnail if thumb else found.image).open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


