"""The depreciation page: the active ledger's original value, accumulated depreciation and net value
by class and by department, the months booked, and (for the office) booking a month by hand."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from assets.models import DepreciationRun
from assets.services.depreciation import depreciate_month, ledger_totals, totals


@permission_required("assets.view_all_cards")
def depreciation(request: HttpRequest) -> HttpResponse:
    require_school(request)
    by_class = ledger_totals(request.school, "asset_class")
    by_department = ledger_totals(request.school, "department")
    return render(request, "assets/depreciation.html", {
        "by_class": by_class, "by_department": by_department, "whole": totals(by_class),
        "runs": DepreciationRun.objects.for_school(request.school)[:24],
        "may_run": can(request.user, request.school, "assets.change_assetcard"),
        "last_month": timezone.localdate().replace(day=1) - dt.timedelta(days=1),
    })


@require_POST
@permission_required("assets.change_assetcard")
def depreciation_run(request: HttpRequest) -> HttpResponse:
    require_school(request)
    try:
        period = dt.date.fromisoformat((request.POST.get("month") or "") + "-01")
    except ValueError:
        messages.error(request, _("Choose the month to book."))
        return redirect("assets:depreciation")
    if period > timezone.localdate() or period.year < 2000:
        messages.error(request, _("A month in the future cannot be booked."))
        return redirect("assets:depreciation")
    run = depreciate_month(school=request.school, period=period, by=request.user)
    messages.success(request, _("%(month)s booked: %(n)d cards.") % {"month": period.strftime("%Y-%m"), "n": run.cards})
    return redirect("assets:depreciation")
