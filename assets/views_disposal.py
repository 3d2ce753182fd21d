"""Disposal screens: the list, a new request (cards by number), one request with its steps, and the
printable disposal list (资产处置清单)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from logistics.exports import respond
from logistics.lists import keyset_page
from logistics.permissions import can, permission_required
from logistics.scoping import get_scoped_or_404, require_school

from assets.export import DISPOSALS
from assets.filters import DisposalFilter
from assets.forms import DATE
from assets.models import AssetCard
from assets.models_disposal import Disposal, DisposalStatus, Way
from assets.services import disposal as service
from assets.services.disposal import WorkflowError, may_approve

MAX_CARDS = 2000


class DisposalForm(forms.Form):
    numbers = forms.CharField(label=gettext_lazy("Asset numbers"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("One or more, separated by spaces, commas or new lines."))
    way = forms.ChoiceField(label=gettext_lazy("Way"), choices=Way.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)
    appraisal_note = forms.CharField(label=gettext_lazy("Technical appraisal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    appraisal_file = forms.FileField(label=gettext_lazy("Appraisal file"), required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_numbers(self) -> list[AssetCard]:
        wanted = [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["numbers"]) if n]
        if not wanted:
            raise forms.ValidationError(_("Enter at least one asset number."))
        if len(wanted) > MAX_CARDS:
            raise forms.ValidationError(_("At most %(n)d cards in one request.") % {"n": MAX_CARDS})
        cards = list(AssetCard.objects.for_school(self.school).filter(number__in=wanted))
        missing = sorted(set(wanted) - {c.number for c in cards})
        if missing:
            raise forms.ValidationError(_("Not on this school's ledger: %(numbers)s") % {"numbers": "、".join(missing[:20])})
        return cards


class ExecuteForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Disposed on"), widget=DATE)
    proceeds = forms.DecimalField(label=gettext_lazy("Proceeds (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0"),
                                  required=False)


@permission_required("assets.view_disposal")
def disposal_list(request: HttpRequest) -> HttpResponse:
    require_school(request)
    disposal_filter = DisposalFilter(request.GET, queryset=Disposal.objects.for_school(request.school))
    page = keyset_page(disposal_filter.qs, request.GET, ordering=("-requested_at", "-id"), related=("requested_by",))
    form = disposal_filter.form
    return render(request, "assets/disposal_list.html", {"page": page, "form": form, "filtered": bool(form.filters()),
                                                         "status": form.filters().get("status", "")})


@permission_required("assets.view_disposal")
def disposal_export(request: HttpRequest) -> HttpResponse:
    return respond(request, DISPOSALS)  # the list's filters; small at once, large as a job


@permission_required("assets.request_disposal")
def disposal_create(request: HttpRequest) -> HttpResponse:
    require_school(request)
    initial = {"numbers": " ".join(request.GET.getlist("number"))[:2000]}
    form = DisposalForm(request.POST or None, request.FILES or None, school=request.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disposal = service.disposal_request(school=request.school, by=request.user, cards=data["numbers"], way=data["way"],
                                                reason=data["reason"], appraisal_note=data["appraisal_note"],
                                                appraisal_file=data["appraisal_file"])
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Disposal %(number)s requested.") % {"number": disposal.number})
            return redirect(disposal)
    return render(request, "assets/disposal_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, disposal: Disposal, *, template: str = "assets/disposal_detail.html", status: int = 200,
            execute_form: ExecuteForm | None = None) -> HttpResponse:
    lines = list(disposal.lines.select_related("card__asset_class", "card__room__building", "card__department").order_by("card__number"))
    school = request.school
    return render(request, template, {
        "disposal": disposal, "lines": lines, "today": timezone.localdate(),
        "may_approve": disposal.status == DisposalStatus.REQUESTED and may_approve(request.user, disposal),
        "may_execute": disposal.status == DisposalStatus.APPROVED and can(request.user, school, "assets.request_disposal"),
        "execute_form": execute_form or ExecuteForm(initial={"on": timezone.localdate()}),
    }, status=status)


@permission_required("assets.view_disposal")
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped_or_404(request, Disposal, pk=pk))


@permission_required("assets.view_disposal")
def disposal_print(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped_or_404(request, Disposal, pk=pk), template="assets/disposal_print.html")


@require_POST
@permission_required("assets.view_disposal")
def disposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = get_scoped_or_404(request, Disposal, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            service.disposal_approve(disposal=disposal, by=request.user, approval_file=request.FILES.get("approval_file"),
                                     note=request.POST.get("note", "")[:200])
            messages.success(request, _("Approved."))
        else:
            service.disposal_reject(disposal=disposal, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(disposal)


@require_POST
@permission_required("assets.request_disposal")
def disposal_execute(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = get_scoped_or_404(request, Disposal, pk=pk)
    form = ExecuteForm(request.POST)
    if not form.is_valid():
        return _detail(request, disposal, status=400, execute_form=form)
    try:
        service.disposal_execute(disposal=disposal, by=request.user, **form.cleaned_data)
        messages.success(request, _("Disposed of: the cards have left the active ledger."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(disposal)
