"""The assets section of the term report: cards added this term (count, value, by class, the notable
items named: "新增投影机8台"), by funding source, disposals carried out, the stocktake closed with its
账实相符率, consumables issued, each against the previous term (the same span of it while the term
runs). Facts only; a fixed number of aggregate queries whatever the size of the ledger. The term's
events (a stocktake closed, a disposal carried out) come from the 工作纪事 entries the services add
by rule (domain "assets"), which the engine attaches to the section.

存在的不足 drawn from the ledger: a 账实相符率 below `RATE_TARGET`, 盘亏 cards still on the ledger
(not yet written off through a 损失核销 disposal), cards on the ledger with neither a holder nor a
room, loans past their due date, warranties that ran out during the term. The stocktake's rate is
compared with the last stocktake closed in the previous term.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.facts import Fact, Link, Part, Problem, RankItem, Ranking, Section, Sheet, Table
from logistics.reports.numbers import percent
from logistics.reports.numbers import value as written

from assets.models import ACTIVE_STATUSES, AssetCard, Funding, Status
from assets.models_disposal import Disposal, DisposalLine, DisposalStatus
from assets.models_stock import IssueStatus, StockIssue
from assets.models_stocktake import Result, Stocktake, StocktakeLine, StocktakeStatus

if TYPE_CHECKING:
    from logistics.reports.composer import Context

NOTABLE = 5  # the items named in the sentence on what was added
RATE_TARGET = 98.0  # a stocktake's 账实相符率 below this is a 不足
FUNDING_WORDS = {Funding.FISCAL: "财政拨款", Funding.OWN: "学校自筹", Funding.DONATION: "社会捐赠", Funding.OTHER: "其他来源"}


def _span(term: Term) -> tuple[dt.date, dt.date, bool]:
    today = timezone.localdate()
    last = min(term.end, today)
    return term.start, last, last < term.end


def _previous_span(term: Term, days: int, running: bool) -> tuple[dt.date, dt.date] | None:
    previous = term.previous()
    if previous is None:
        return None
    if running:
        return previous.start, min(previous.end, previous.start + dt.timedelta(days=days))
    return previous.start, previous.end


def _added(school: School, start: dt.date, end: dt.date) -> dict[str, Any]:
    return AssetCard.objects.for_school(school).filter(booked_on__gte=start, booked_on__lte=end).aggregate(
        n=Count("pk"), items=Sum("quantity"), value=Sum("original_value"))


def _disposed(school: School, start: dt.date, end: dt.date) -> dict[str, Any]:
    return DisposalLine.objects.filter(disposal__school=school, disposal__status=DisposalStatus.EXECUTED,
                                       disposal__executed_on__gte=start, disposal__executed_on__lte=end).aggregate(
        n=Count("pk"), value=Sum("original_value"))


def _issued(school: School, start: dt.date, end: dt.date) -> dict[str, Any]:
    return StockIssue.objects.for_school(school).filter(status=IssueStatus.ISSUED, issued_on__gte=start, issued_on__lte=end).aggregate(
        n=Count("pk"), value=Sum("amount"))


def notable_sentence(rows: list[dict[str, Any]], top: int = NOTABLE) -> str:
    """"新增投影机8台、学生课桌椅400套" from the added cards grouped by name and unit, dearest first."""
    named = [f"{r['name']}{r['items']}{r['unit']}" for r in rows[:top] if r["items"]]
    return ("新增" + "、".join(named)) if named else ""


# --- 存在的不足 ---------------------------------------------------------------------------------------

LOSS_KIND, UNPLACED_KIND, LOAN_KIND, WARRANTY_KIND = "assets.loss_pending", "assets.unplaced", "assets.loan_overdue", "assets.warranty"


def _count(problem: Problem) -> str:
    return written("count", problem.count, problem.unit)


def _loss_detail(problem: Problem, ctx: Context) -> str:
    return f"清查中盘亏的资产尚有{_count(problem)}未履行报损核销手续，仍记在账上。"


def _unplaced_detail(problem: Problem, ctx: Context) -> str:
    share = percent(float(problem.count) * 100 / float(problem.total)) if problem.count and problem.total else ""
    return f"在账资产中有{_count(problem)}既未登记使用人，也未登记存放地点" + (f"，占在账资产的{share}。" if share else "。")


def _loan_detail(problem: Problem, ctx: Context) -> str:
    return f"{ctx.until}，仍有{_count(problem)}超过约定的归还日期。"


def _warranty_detail(problem: Problem, ctx: Context) -> str:
    return f"本学期有{_count(problem)}保修期届满，此后的维修费用需由学校承担。"


registry.problem_kind(
    LOSS_KIND,
    leads=["{subject}尚未核销", "部分{subject}未及时报损核销"],
    detail=_loss_detail,
    plans=["查明{subject}的去向和原因，按规定报批后办理损失核销，做到账实相符。", "对{count}{subject}落实责任，履行报损审批手续后及时核销。"],
)
registry.problem_kind(
    UNPLACED_KIND,
    leads=["部分{subject}未落实使用人和存放地点", "{subject}的保管责任不够明确"],
    detail=_unplaced_detail,
    plans=["逐件核实{subject}的实际使用人和存放地点，把保管责任落实到人、到室。", "结合下一次资产清查补登{subject}的使用人和存放地点，做到物有其主、物有其位。"],
)
registry.problem_kind(
    LOAN_KIND,
    leads=["{subject}逾期未还", "部分{subject}未按期归还"],
    detail=_loan_detail,
    plans=["对逾期未还的{count}{subject}及时催还，并在资产台账上跟踪到位。", "完善资产出借登记，到期前提醒借用人按时归还。"],
)
registry.problem_kind(
    WARRANTY_KIND,
    leads=["部分{subject}已过保修期", "{subject}保修陆续到期"],
    detail=_warranty_detail,
    plans=["对已过保修期的{subject}制定维护保养计划，必要时签订维保合同。", "梳理已过保修期的{count}{subject}，安排定期巡检保养，降低故障率。"],
)


def _ledger_problems(school: School, start: dt.date, end: dt.date) -> list[Problem]:
    """The ledger's state at the cut-off: one aggregate over the active cards, one over the 盘亏 lines."""
    on_ledger = AssetCard.objects.for_school(school).filter(status__in=ACTIVE_STATUSES)
    rows = on_ledger.aggregate(
        n=Count("pk"),
        unplaced=Count("pk", filter=Q(custodian__isnull=True, custodian_class__isnull=True, room__isnull=True)),
        overdue=Count("pk", filter=Q(status=Status.LENT, lent_due__lt=end)),
        lapsed=Count("pk", filter=Q(warranty_until__gte=start, warranty_until__lt=end)),
    )
    lost = (StocktakeLine.objects.filter(stocktake__school=school, stocktake__status=StocktakeStatus.CLOSED, result=Result.MISSING,
                                         card__status__in=ACTIVE_STATUSES).values("card_id").distinct().count())
    problems = []
    if lost:
        problems.append(Problem("assets.loss_pending", LOSS_KIND, "盘亏资产", unit="项", count=lost, weight=1.6,
                                link=Link("assets:stocktake-list")))
    if rows["overdue"]:
        problems.append(Problem("assets.loan_overdue", LOAN_KIND, "出借资产", unit="项", count=rows["overdue"], weight=1.2,
                                link=Link("assets:card-list", {"status": Status.LENT})))
    if rows["unplaced"]:
        problems.append(Problem("assets.unplaced", UNPLACED_KIND, "在账资产", unit="项", count=rows["unplaced"], total=rows["n"], weight=1.0))
    if rows["lapsed"]:
        problems.append(Problem("assets.warranty", WARRANTY_KIND, "设备", unit="项", count=rows["lapsed"], weight=0.6))
    return problems


def _closed_stocktake(school: School, start: dt.date, end: dt.date) -> Stocktake | None:
    return (Stocktake.objects.for_school(school).filter(status=StocktakeStatus.CLOSED, closed_at__date__gte=start,
                                                        closed_at__date__lte=end).order_by("-closed_at").first())


@registry.provider("assets", order=30, title="资产管理")
def assets_section(school: School, term: Term) -> Section:
    start, end, running = _span(term)
    before = _previous_span(term, (end - start).days, running)
    now = _added(school, start, end)
    prev = _added(school, *before) if before else {}
    added_cards = AssetCard.objects.for_school(school).filter(booked_on__gte=start, booked_on__lte=end)
    by_class = list(added_cards.values("asset_class__name").annotate(n=Count("pk"), items=Sum("quantity"), value=Sum("original_value"))
                    .order_by("-value", "asset_class__name"))
    by_name = list(added_cards.values("name", "unit").annotate(items=Sum("quantity"), value=Sum("original_value"))
                   .order_by("-value", "name")[:NOTABLE])
    by_funding = dict(added_cards.values_list("funding").annotate(v=Sum("original_value")).order_by())

    def previous(values: dict[str, Any], key: str) -> Any:
        return values.get(key) if values and values.get("n") else None

    added = Part("added", "资产新增", facts=[
        Fact("assets.added", "新增固定资产", now["n"] or 0, unit="项", previous=previous(prev, "n"), headline=True,
             link=Link("assets:card-list")),
        Fact("assets.added_value", "原值合计", now["value"] or Decimal("0"), kind="money", unit="", previous=previous(prev, "value"),
             headline=True),
        # "其中学校自筹12万元，财政拨款1.8万元": 其中 once, before the first.
        *[Fact(f"assets.funding.{key}", ("其中" if i == 0 else "") + FUNDING_WORDS.get(key, key), value, kind="money", unit="")
          for i, (key, value) in enumerate(sorted(((k, v) for k, v in by_funding.items() if v), key=lambda kv: -kv[1]))],
    ], ranking=Ranking("assets.classes", "资产类别", [RankItem(r["asset_class__name"], r["n"]) for r in by_class], unit="项")
        if by_class else None,
        table=Table("assets.classes", "表　本学期新增资产分类统计", ["类别", "卡片（项）", "数量", "原值（元）"],
                    [[r["asset_class__name"], r["n"], r["items"], r["value"]] for r in by_class],
                    kinds=["text", "count", "count", "money"]) if len(by_class) > 1 else None,
        note=notable_sentence(by_name))

    out = _disposed(school, start, end)
    prev_out = _disposed(school, *before) if before else {}
    disposed = Part("disposed", "资产处置", facts=[
        Fact("assets.disposed", "报废处置资产", out["n"] or 0, unit="项", previous=previous(prev_out, "n"),
             link=Link("assets:disposal-list", {"status": DisposalStatus.EXECUTED})),
        Fact("assets.disposed_value", "原值", out["value"] or Decimal("0"), kind="money", unit="", previous=previous(prev_out, "value")),
    ])

    closed = _closed_stocktake(school, start, end)
    counted = Part("stocktake", "资产清查", facts=[])
    problems = _ledger_problems(school, start, end)
    if closed is not None:
        from assets.services.stocktake import figures

        f = figures(closed)
        # Against the last stocktake closed in the previous term (a count a term apart, whatever its span).
        previous_term = term.previous()
        last = _closed_stocktake(school, previous_term.start, previous_term.end) if previous_term else None
        last_figures = figures(last) if last is not None else None
        last_rate = float(last_figures["rate"]) if last_figures and last_figures["expected"] else None
        counted.facts = [
            Fact("assets.stocktake.items", "清查资产", f["expected"], unit="项", link=Link("assets:stocktake-detail", args=(closed.pk,))),
            Fact("assets.stocktake.value", "原值", f["expected_value"], kind="money", unit=""),
            Fact("assets.stocktake.rate", "账实相符率", float(f["rate"]), kind="rate", unit="", base=f["expected"], headline=True,
                 previous=last_rate, whole_previous_term=True,
                 previous_link=Link("assets:stocktake-detail", args=(last.pk,)) if last_rate is not None else None),
            Fact("assets.stocktake.missing", "盘亏", f["missing"], unit="项", sentence_break=True),
            Fact("assets.stocktake.damaged", "损坏", f["damaged"], unit="项"),
            Fact("assets.stocktake.moved", "位置不符", f["moved"], unit="项"),
            Fact("assets.stocktake.surplus", "盘盈", f["surplus"], unit="项"),
        ]
        if f["expected"] and float(f["rate"]) < RATE_TARGET:
            problems.insert(0, Problem("assets.stocktake.rate", "low_rate", "资产账实相符率", value=float(f["rate"]), target=RATE_TARGET,
                                       link=Link("assets:stocktake-detail", args=(closed.pk,)), weight=1.8))

    used = _issued(school, start, end)
    prev_used = _issued(school, *before) if before else {}
    consumables = Part("consumables", "低值易耗品", facts=[
        Fact("assets.consumables.issued", "发放低值易耗品", used["n"] or 0, unit="次", previous=previous(prev_used, "n"),
             link=Link("assets:stock-list")),
        Fact("assets.consumables.value", "金额", used["value"] or Decimal("0"), kind="money", unit="", previous=previous(prev_used, "value")),
    ])

    def annex() -> list[Sheet]:
        rows = list(added_cards.order_by("number").values_list("number", "asset_class__name", "name", "quantity", "unit",
                                                                "original_value", "booked_on")[:20000])
        return [Sheet("本学期新增资产", ["资产编号", "类别", "名称", "数量", "单位", "原值（元）", "入账日期"], [list(r) for r in rows],
                      kinds=["text", "text", "text", "int", "text", "money", "date"])]

    return Section(
        parts=[added, disposed, counted, consumables],
        problems=problems,
        annex=annex,
        subject="资产",
        period=(term.start, term.end),
        same_span=running,
        events_title="资产管理重点工作",
    )
