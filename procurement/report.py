"""The procurement section of the term report: requests and approvals, money by budget line and by
method, budget execution, the largest purchases named with their amounts, days from request to
acceptance, against the previous term. Facts only; a fixed number of aggregate queries whatever the
number of requests.

Purchases accepted in the term above the school's notable amount (logistics.chronicle) become
工作纪事 entries by rule (`record_purchase`), written when the delivery is booked; the engine tells
them month by month at the head of the section.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.expressions import HoursBetween
from logistics.reports.facts import Fact, Link, Part, RankItem, Ranking, Section, Sheet, rate, term_bounds
from logistics.reports.numbers import money

from procurement.models import APPROVED_STATUSES, BudgetLine, Method, Requisition, Status

RULE = "procurement.large_purchase"
LARGEST = 3  # purchases named in the section


def _submitted_in(school: School, term: Term) -> Any:
    start, end = term_bounds(term)
    return Requisition.objects.for_school(school).filter(submitted_at__gte=start, submitted_at__lt=end)


def _accepted_in(school: School, term: Term) -> Any:
    start, end = term_bounds(term)
    return Requisition.objects.for_school(school).filter(accepted_at__gte=start, accepted_at__lt=end)


def _totals(school: School, term: Term) -> dict[str, Any]:
    submitted = _submitted_in(school, term).aggregate(
        requests=Count("pk"),
        approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        money=Sum("total", filter=Q(status__in=APPROVED_STATUSES)),
    )
    accepted = _accepted_in(school, term).aggregate(
        accepted=Count("pk"), spent=Sum("purchase_amount"), days=Avg(HoursBetween("accepted_at", "submitted_at")),
    )
    return {**submitted, **accepted}


def purchase_title(req_lines: list[dict[str, Any]], amount: Decimal) -> str:
    """"购置投影机8台，计3.44万元": the dearest line names the purchase ("等" when there are more)."""
    if not req_lines:
        return f"完成采购，计{money(amount)}"
    top = max(req_lines, key=lambda x: x["amount"])
    more = "等" if len(req_lines) > 1 else ""
    return f"购置{top['name']}{top['quantity']}{top['unit']}{more}，计{money(amount)}"


def _ordered_in(school: School, term: Term) -> Any:
    start, end = term_bounds(term)
    return Requisition.objects.for_school(school).filter(ordered_at__gte=start, ordered_at__lt=end)


def largest(school: School, term: Term) -> list[tuple[Requisition, str]]:
    """The term's largest purchases (ordered in the term) with their titles (two queries)."""
    reqs = list(_ordered_in(school, term).order_by(F("purchase_amount").desc(nulls_last=True), "-total", "pk")[:LARGEST])
    from procurement.models import RequisitionLine

    lines: dict[int, list[dict[str, Any]]] = {}
    for row in RequisitionLine.objects.filter(requisition__in=reqs).values("requisition_id", "name", "quantity", "unit", "amount"):
        lines.setdefault(row["requisition_id"], []).append(row)
    return [(r, purchase_title(lines.get(r.pk, []), r.purchase_amount or r.total)) for r in reqs]


@registry.provider("procurement", order=45, title="物资采购与验收")
def procurement_section(school: School, term: Term) -> Section:
    now = _totals(school, term)
    previous_term = term.previous()
    before = _totals(school, previous_term) if previous_term else {}

    def prev(key: str) -> Any:
        return before.get(key) if before.get("requests") or before.get("accepted") else None

    link = Link("procurement:requisition-list", {"date_from": term.start.isoformat(), "date_to": term.end.isoformat()})

    by_line = list(
        _submitted_in(school, term).filter(status__in=APPROVED_STATUSES)
        .values("budget_line_id", "budget_line__name").annotate(money=Sum("total")).order_by("-money")
    )
    by_method = list(
        _accepted_in(school, term).exclude(method="").values("method").annotate(money=Sum("purchase_amount")).order_by("-money")
    )
    methods = dict(Method.choices)
    years = {term.start.year, term.end.year}
    budget = BudgetLine.objects.for_school(school).filter(year__in=years).aggregate(s=Sum("amount"))["s"]
    used = (
        Requisition.objects.for_school(school).filter(budget_line__year__in=years, status__in=APPROVED_STATUSES).aggregate(s=Sum("total"))["s"]
    )
    execution = rate(used or 0, budget) if budget else None

    named = largest(school, term)
    note = ("金额较大的采购有：" + "；".join(title for _r, title in named) + "。") if named else ""
    requests = Part("requests", "请购与审批", facts=[
        Fact("procurement.requests", "受理请购", now["requests"], unit="件", previous=prev("requests"), link=link, headline=True),
        Fact("procurement.approved", "审批通过", now["approved"], unit="件", previous=prev("approved"), headline=True),
        Fact("procurement.rejected", "退回", now["rejected"], unit="件", link=link.with_params(status=Status.REJECTED)),
        Fact("procurement.money", "批准采购金额", now["money"], kind="money", unit="", previous=prev("money"), sentence_break=True),
        Fact("procurement.execution", "预算执行率", execution, kind="rate", unit="", base=budget),
    ], ranking=Ranking("procurement.budget_lines", "预算项目", [
        RankItem(row["budget_line__name"] or "未列预算项目", row["money"] or 0) for row in by_line
    ], kind="money", unit="") if by_line else None)
    purchases = Part("purchases", "采购与验收", facts=[
        Fact("procurement.accepted", "验收入库", now["accepted"], unit="批", previous=prev("accepted"),
             link=link.with_params(status=Status.ACCEPTED)),
        Fact("procurement.spent", "采购金额", now["spent"], kind="money", unit="", previous=prev("spent")),
        Fact("procurement.days", "从请购到验收平均用时", now["days"], kind="hours", unit="", previous=prev("days")),
    ], ranking=Ranking("procurement.methods", "采购方式", [
        RankItem(str(methods.get(row["method"], row["method"])), row["money"] or 0) for row in by_method
    ], kind="money", unit="") if by_method else None, note=note)
    return Section(
        parts=[requests, purchases],
        subject="采购",
        period=(term.start, term.end),
        annex=lambda: _sheets(school, term),
        events_title="重点采购项目",
    )


def _sheets(school: School, term: Term) -> list[Sheet]:
    rows = list(
        _submitted_in(school, term).order_by("submitted_at", "pk")
        .values_list("number", "submitted_at", "purpose", "total", "status", "supplier", "purchase_amount", "accepted_at")
    )
    labels = dict(Status.choices)
    return [Sheet("采购", ["单号", "提交时间", "用途", "预算金额", "状态", "供应商", "采购金额", "验收时间"],
                  [[n, timezone.localtime(s).replace(tzinfo=None) if s else None, p, t, str(labels.get(st, st)), sup, amt,
                    timezone.localtime(a).replace(tzinfo=None) if a else None] for n, s, p, t, st, sup, amt, a in rows],
                  kinds=["text", "datetime", "text", "money", "text", "text", "money", "datetime"])]


def record_purchase(req: Requisition) -> None:
    """A purchase accepted above the school's notable amount becomes a 工作纪事 entry (idempotent per
    request). Called by the booking service inside its transaction."""
    try:
        from logistics.chronicle.services import notable_amount, record_by_rule
    except ImportError:  # pragma: no cover - the chronicle is part of the core
        return
    amount = req.purchase_amount or req.total
    if amount is None or amount <= notable_amount(req.school):
        return
    lines = list(req.lines.values("name", "quantity", "unit", "amount"))
    when = timezone.localtime(req.accepted_at).date() if req.accepted_at else timezone.localdate()
    record_by_rule(req, school=req.school, domain="procurement", kind="project", title=purchase_title(lines, amount).split("，计")[0],
                   date=when, amount=amount, summary=req.purpose[:200], rule=RULE)
