"""The assets section of the term report: cards added this term (count, value, by class, the notable
items named: "新增投影机8台"), by funding source, disposals carried out, the stocktake closed with its
账实相符率, consumables issued, each against the previous term (the same span of it while the term
runs). Facts only; a fixed number of aggregate queries whatever the size of the ledger. The term's
events (a stocktake closed, a disposal carried out) come from the 工作纪事 entries the services add
by rule (domain "assets"), which the engine attaches to the section.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.facts import Fact, Link, Part, RankItem, Ranking, Section, Sheet, Table

from assets.models import AssetCard, Funding
from assets.models_disposal import Disposal, DisposalLine, DisposalStatus
from assets.models_stock import IssueStatus, StockIssue
from assets.models_stocktake import Stocktake, StocktakeStatus

NOTABLE = 5  # the items named in the sentence on what was added
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
        *[Fact(f"assets.funding.{key}", f"其中{FUNDING_WORDS.get(key, key)}", value, kind="money", unit="")
          for key, value in sorted(by_funding.items(), key=lambda kv: -kv[1]) if value],
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

    closed = (Stocktake.objects.for_school(school).filter(status=StocktakeStatus.CLOSED, closed_at__date__gte=start,
                                                          closed_at__date__lte=end).order_by("-closed_at").first())
    counted = Part("stocktake", "资产清查", facts=[])
    if closed is not None:
        from assets.services.stocktake import figures

        f = figures(closed)
        counted.facts = [
            Fact("assets.stocktake.items", "清查资产", f["expected"], unit="项", link=Link("assets:stocktake-detail", args=(closed.pk,))),
            Fact("assets.stocktake.value", "原值", f["expected_value"], kind="money", unit=""),
            Fact("assets.stocktake.rate", "账实相符率", float(f["rate"]), kind="rate", unit="", base=f["expected"], headline=True),
            Fact("assets.stocktake.missing", "盘亏", f["missing"], unit="项", sentence_break=True),
            Fact("assets.stocktake.damaged", "损坏", f["damaged"], unit="项"),
            Fact("assets.stocktake.moved", "位置不符", f["moved"], unit="项"),
            Fact("assets.stocktake.surplus", "盘盈", f["surplus"], unit="项"),
        ]

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
        annex=annex,
        subject="资产",
        period=(term.start, term.end),
        same_span=running,
        events_title="资产管理重点工作",
    )
