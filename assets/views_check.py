"""The class asset check page: a class teacher's classes, each card in place / damaged / missing."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.lists import int_param
from logistics.models import SchoolClass
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from assets.models_check import CheckResult, ClassCheck
from assets.services.class_check import class_cards, class_check_submit
from assets.services.stock import WorkflowError


def _classes(request: HttpRequest) -> list[SchoolClass]:
    qs = SchoolClass.objects.for_school(request.school).select_related("room").order_by("grade", "name")
    if can(request.user, request.school, "assets.move_card"):
        return list(qs)
    return list(qs.filter(head_teacher_id=request.user.pk))


@permission_required("assets.view_assetcard")
def class_check(request: HttpRequest) -> HttpResponse:
    require_school(request)
    classes = _classes(request)
    if not classes:
        raise Http404
    chosen_pk = int_param(request.GET.get("class") or request.POST.get("class"), classes[0].pk, low=1)
    chosen = next((c for c in classes if c.pk == chosen_pk), None)
    if chosen is None:
        raise Http404
    cards = list(class_cards(chosen))
    month = timezone.localdate().replace(day=1)
    if request.method == "POST":
        results = {}
        for card in cards:
            result = request.POST.get(f"r{card.pk}", CheckResult.OK)
            results[card.pk] = (result if result in CheckResult.values else CheckResult.OK, request.POST.get(f"n{card.pk}", "")[:200])
        try:
            check = class_check_submit(school_class=chosen, by=request.user, results=results)
        except WorkflowError as e:
            messages.error(request, str(e))
        else:
            damaged = check.lines.filter(result=CheckResult.DAMAGED).count()
            messages.success(request, _("Checked. %(n)d repair tickets opened.") % {"n": damaged} if damaged else _("Checked: all in place."))
            return redirect(f"{request.path}?class={chosen.pk}")
    done = ClassCheck.objects.filter(school_class=chosen, month=month).prefetch_related("lines__ticket").first()
    return render(request, "assets/class_check.html", {"classes": classes, "chosen": chosen, "cards": cards, "done": done,
                                                       "month": month, "results": CheckResult.choices})
