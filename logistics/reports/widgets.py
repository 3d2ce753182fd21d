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
