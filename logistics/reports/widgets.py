"""The reports entry in the navigation and the home card of the current term's report."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from logistics import widgets

widgets.register_nav(widgets.NavItem("reports", _("Term reports"), "reports:index", "file-earmark-text", order=70,
                                     permissions=("logistics.view_termreport",)))


@widgets.widget("reports-term", _("Term report"), "reports/widgets/term.html", permissions=("logistics.view_termreport",), order=60)
def term_report(request: HttpRequest) -> dict | None:
    from logistics.models import Term
    from logistics.reports.models import TermReport

    term = Term.objects.for_school(request.school).current()
    if term is None:
        return None
    latest = TermReport.objects.for_school(request.school).filter(term=term).order_by("-version").first()
    issued = TermReport.objects.for_school(request.school).filter(term=term, status=TermReport.Status.ISSUED).count()
    return {"term": term, "latest": latest, "issued": issued}


@widgets.district_column("reports-state", _("This term's report"), order=60)
def district_report_state(schools: list) -> dict[int, str]:
    """None, draft or issued, for each school's current term (two queries for all the schools)."""
    from django.utils import timezone

    from logistics.models import Term
    from logistics.reports.models import TermReport

    today = timezone.localdate()
    terms = dict(Term.objects.filter(school__in=schools, start__lte=today, end__gte=today).values_list("school_id", "pk"))
    states = set(TermReport.objects.filter(term_id__in=terms.values()).values_list("term_id", "status"))
    labels = {TermReport.Status.ISSUED: TermReport.Status.ISSUED.label, TermReport.Status.DRAFT: TermReport.Status.DRAFT.label}
    answer: dict[int, str] = {}
    for school_id, term_id in terms.items():
        held = {status for t, status in states if t == term_id}
        state = TermReport.Status.ISSUED if TermReport.Status.ISSUED in held else TermReport.Status.DRAFT if held else None
        answer[school_id] = str(labels[state]) if state else str(_("None yet"))
    return answer
