"""The repairs section of the term report: tickets received and completed, timeliness, categories,
materials and costs, acceptance and ratings, against the previous term; overdue, unfinished,
poorly rated and recurring repairs as problems.

Facts only (the composer writes the prose). A fixed number of aggregate queries whatever the number
of tickets: totals for this and last term (2), by category for this and last term (2), by month,
materials (2), recurring places; plus the two annex lists, each one query.

Each figure that counts tickets links to the ticket list filtered to exactly those tickets
(tests/repairs/test_report_links.py follows every link): the term's tickets less merged duplicates,
in the state they were in at the cut-off (the end of the term, or now while it runs), counted with
the list filter's own predicates (repairs/filters.py). Rates, averages, sums and the differences
from last term count no list of tickets and link to none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.facts import (
    Chart,
    Fact,
    Link,
    Part,
    Problem,
    RankItem,
    Ranking,
    Section,
    Sheet,
    Table,
    rate,
    term_bounds,
)
from logistics.reports.expressions import HoursBetween
from logistics.reports.numbers import value as written
from repairs.filters import is_accepted_by, is_done_by, is_late_at, is_unfinished_at
from repairs.models import UNFINISHED_STATUSES, Material, Status, Ticket, Urgency

if TYPE_CHECKING:
    from logistics.reports.composer import Context

ON_TIME_TARGET = 90.0  # below this share done within the SLA, lateness is a 不足
LOW_RATING = 4.0  # a category rated below this (and below the school's average) is a 不足
MIN_RATED = 3  # ratings needed before a category's average means anything
RECURRING = 3  # the same room and category this many times in a term is a recurring problem
RECURRING_KIND = "repairs.recurring"


def _recurring_detail(problem: Problem, ctx: Context) -> str:
    return f"本学期共报修{written('count', problem.count, problem.unit)}，需要从根本上查找原因。"


# A fault reported again and again in one room: worded as repairs, planned as an overhaul. The
# engine's generic "recurring" kind would not say 报修 or 检修, so repairs brings its own words.
registry.problem_kind(
    RECURRING_KIND,
    leads=["{subject}反复出现", "{subject}多次重复报修"],
    detail=_recurring_detail,
    plans=["对{subject}进行一次彻底检修或更换，从根本上解决反复出现的问题。", "安排专项排查{subject}，找准原因，避免问题反复。"],
)


def _cut_off(term: Term) -> tuple[dt.datetime, dt.date]:
    """When the term's states are read: its end, or now while it runs; and the day the links name
    (the list's `…_by`, `unfinished_at` and `late_at` filters read "the end of that day, or now")."""
    _start, end = term_bounds(term)
    return min(end, timezone.now()), min(term.end, timezone.localdate())


def _totals(tickets: Any, cut: dt.datetime) -> dict[str, Any]:
    done = is_done_by(cut)
    rated = is_accepted_by(cut) & Q(rating__isnull=False)
    return tickets.aggregate(
        received=Count("pk"),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        urgent=Count("pk", filter=Q(urgency=Urgency.URGENT)),
        done=Count("pk", filter=done),
        on_time=Count("pk", filter=done & Q(done_at__lte=F("due_at"))),
        late=Count("pk", filter=is_late_at(cut)),  # done late, or unfinished past the deadline
        unfinished=Count("pk", filter=is_unfinished_at(cut)),
        accepted=Count("pk", filter=is_accepted_by(cut)),
        rated=Count("pk", filter=rated),
        good=Count("pk", filter=rated & Q(rating__gte=4)),
        rating=Avg("rating", filter=rated),
        response=Avg(HoursBetween("dispatched_at", "submitted_at"), filter=Q(dispatched_at__lt=cut)),
        turnaround=Avg(HoursBetween("done_at", "submitted_at"), filter=done),
        labour=Sum("labour_hours"),
        contractor=Sum("contractor_cost"),
    )


def _in_term(school: School, term: Term) -> Any:
    start, end = term_bounds(term)
    # Merged tickets are duplicates of another ticket: counting them would count one repair twice.
    return Ticket.objects.for_school(school).filter(submitted_at__gte=start, submitted_at__lt=end).exclude(status=Status.MERGED)


def _term_list(term: Term) -> Link:
    """The ticket list on the tickets `_in_term` counts: reported in the term, merged ones left out."""
    return Link("repairs:ticket-list", {"date_from": term.start.isoformat(), "date_to": term.end.isoformat(), "status": "not_merged"})


def _material_cost(tickets: Any) -> Decimal:
    cost = Material.objects.filter(ticket__in=tickets.values("pk")).aggregate(
        cost=Sum(ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=16, decimal_places=4)))
    )["cost"]
    return Decimal(cost or 0)


@registry.provider("repairs", order=20, title="校舍维修与报修服务")
def repairs_section(school: School, term: Term) -> Section:
    tickets = _in_term(school, term)
    previous_term = term.previous()
    prev_tickets = _in_term(school, previous_term) if previous_term else None
    cut, day = _cut_off(term)
    now = _totals(tickets, cut)
    before = _totals(prev_tickets, _cut_off(previous_term)[0]) if prev_tickets is not None and previous_term else {}
    link = _term_list(term)
    # Filters that replace "not merged": each of these states excludes merged tickets by itself.
    stated = link.with_params(status=None)
    by_day = day.isoformat()

    def prev(key: str) -> Any:
        return before.get(key) if before and before.get("received") else None

    effective = now["received"] - now["cancelled"]
    prev_effective = (before["received"] - before["cancelled"]) if prev("received") else None
    completion = rate(now["done"], effective)
    prev_completion = rate(before.get("done"), prev_effective) if prev_effective else None
    on_time = rate(now["on_time"], now["done"])
    prev_on_time = rate(before.get("on_time"), before.get("done")) if prev("done") else None
    good_rate = rate(now["good"], now["rated"])

    intake = Part("intake", "报修受理与完成", facts=[
        Fact("repairs.received", "受理报修", now["received"], previous=prev("received"), link=link, headline=True),
        Fact("repairs.done", "完成维修", now["done"], previous=prev("done"), link=stated.with_params(done_by=by_day), headline=True),
        Fact("repairs.completion", "完成率", completion, kind="rate", unit="", base=effective, previous=prev_completion, headline=True),
        Fact("repairs.urgent", "紧急报修", now["urgent"], link=link.with_params(urgency=Urgency.URGENT), sentence_break=True),
        Fact("repairs.cancelled", "报修人撤销", now["cancelled"], link=link.with_params(status=Status.CANCELLED)),
    ])
    timeliness = Part("timeliness", "维修时效", facts=[
        Fact("repairs.response", "派工平均用时", now["response"], kind="hours", unit=""),
        Fact("repairs.turnaround", "从报修到完成平均用时", now["turnaround"], kind="hours", unit=""),
        Fact("repairs.on_time", "按时完成率", on_time, kind="rate", unit="", base=now["done"], previous=prev_on_time),
    ])
    acceptance = Part("acceptance", "验收与评价", facts=[
        Fact("repairs.accepted", "经报修人验收", now["accepted"], link=stated.with_params(accepted_by=by_day)),
        Fact("repairs.rating", "平均评分", now["rating"], kind="score", unit="分"),
        Fact("repairs.good", "好评率", good_rate, kind="rate", unit="", base=now["rated"]),
    ])

    # By category, this and last term (two queries).
    rated = is_accepted_by(cut) & Q(rating__isnull=False)
    by_category = list(
        tickets.values("category_id", "category__name").annotate(
            n=Count("pk"),
            done=Count("pk", filter=is_done_by(cut)),
            avg_rating=Avg("rating", filter=rated),
            rated=Count("pk", filter=rated),
            hours=Avg(HoursBetween("done_at", "submitted_at"), filter=is_done_by(cut)),
        ).order_by("-n", "category__name")
    )
    prev_by_category = (
        dict(prev_tickets.values_list("category__name").annotate(n=Count("pk")).order_by()) if prev_tickets is not None else {}
    )
    ranking = Ranking("repairs.categories", "报修类别", [
        RankItem(_kind_of(row["category__name"]), row["n"], link.with_params(category=row["category_id"]), prev_by_category.get(row["category__name"]))
        for row in by_category
    ])
    table = Table(
        "repairs.categories",
        "表1　报修分类统计",
        ["类别", "报修（件）", "完成（件）", "完成率", "平均评分"],
        [[r["category__name"], r["n"], r["done"], rate(r["done"], r["n"]), r["avg_rating"]] for r in by_category],
        kinds=["text", "count", "count", "rate", "score"],
    )
    categories = Part("categories", "报修分类", ranking=ranking, table=table if len(by_category) > 1 else None)

    # Materials and costs (two queries).
    material_cost = _material_cost(tickets)
    prev_material_cost = _material_cost(prev_tickets) if prev("received") else None
    top_materials = list(
        Material.objects.filter(ticket__in=tickets.values("pk")).values("name", "unit").annotate(q=Sum("quantity")).order_by("-q", "name")[:4]
    )
    material_facts = [
        Fact(f"repairs.material.{i}", ("主要用料有" if i == 0 else "") + m["name"], m["q"], unit=m["unit"])
        for i, m in enumerate(top_materials)
    ]
    costs = Part("costs", "材料与费用", facts=[
        Fact("repairs.material_cost", "消耗维修材料", material_cost, kind="money", unit="", previous=prev_material_cost),
        Fact("repairs.contractor_cost", "外包维修费用", now["contractor"], kind="money", unit=""),
        Fact("repairs.labour", "投入维修工时", now["labour"], unit="小时"),
        *material_facts,
    ])

    # Month by month (one query): ranges computed here in the school's time zone, compared in SQL.
    # A term still running is charted up to this month, not with empty months still to come.
    month_keys = _months(term.start, min(term.end, timezone.localdate()))
    months = tickets.aggregate(**{key: Count("pk", filter=Q(submitted_at__gte=lo, submitted_at__lt=hi)) for key, (lo, hi) in month_keys.items()}) if month_keys else {}
    charts = []
    if len(by_category) > 1:
        names = [r["category__name"] for r in by_category[:8]]
        series = [("本学期", [r["n"] for r in by_category[:8]])]
        if prev_by_category:
            series.append(("上学期", [prev_by_category.get(n, 0) for n in names]))
        charts.append(Chart("categories", "各类报修数量与上学期比较" if prev_by_category else "各类报修数量", names, series))
    if sum(months.values()):
        charts.append(Chart("months", "各月报修数量", [f"{int(k[1:])}月" for k in month_keys], [("报修", [months[k] for k in month_keys])], style="line"))
    timed = [r for r in by_category if r["hours"] is not None][:8]
    if len(timed) > 1:
        charts.append(Chart("turnaround", "各类报修平均完成用时", [r["category__name"] for r in timed],
                            [("小时", [round(r["hours"] or 0, 1) for r in timed])], style="barh", unit="小时"))

    # Problems.
    problems: list[Problem] = []
    if now["late"] and (on_time is None or on_time < 100):
        problems.append(Problem("repairs.overdue", "overdue", "报修工单", count=now["late"], total=now["done"] + now["unfinished"],
                                total_label="已完成和在办工单", link=stated.with_params(late_at=by_day),
                                weight=2.0 + (1 if on_time is not None and on_time < ON_TIME_TARGET else 0)))
    if now["unfinished"]:
        problems.append(Problem("repairs.open", "open", "报修工单", count=now["unfinished"], total=effective,
                                total_label="本学期报修", link=stated.with_params(unfinished_at=by_day), weight=1.5))
    overall = float(now["rating"]) if now["rating"] is not None else None
    for row in by_category:
        if row["rated"] >= MIN_RATED and row["avg_rating"] is not None and overall is not None:
            if row["avg_rating"] < LOW_RATING and row["avg_rating"] < overall - 0.2:
                problems.append(Problem(f"repairs.rating.{row['category_id']}", "low_rating", f"{_kind_of(row['category__name'])}维修",
                                        value=row["avg_rating"], target=overall, count=row["rated"],
                                        link=stated.with_params(category=row["category_id"], accepted_by=by_day, rated=1), weight=1.2))
    recurring = list(
        tickets.values("room_id", "room__building_id", "room__building__name", "room__code", "room__name", "category_id", "category__name")
        .annotate(n=Count("pk")).filter(n__gte=RECURRING).order_by("-n", "room__code")[:2]
    )
    for row in recurring:
        problems.append(Problem(f"repairs.recurring.{row['room_id']}.{row['category__name']}", RECURRING_KIND,
                                f"{_place(row)}的{_kind_of(row['category__name'])}故障",
                                count=row["n"], unit="次", weight=1.0,
                                link=link.with_params(room=row["room_id"], category=row["category_id"])))

    return Section(
        parts=[intake, timeliness, categories, costs, acceptance],
        problems=problems,
        charts=charts,
        annex=lambda: _sheets(tickets),
        subject="报修",
        period=(term.start, term.end),
    )


def _kind_of(name: str) -> str:
    """水 → 水类, 门窗/木工 → 门窗/木工类: how a summary names a category in a sentence."""
    return name if name.endswith("类") else f"{name}类"


def _months(start: dt.date, end: dt.date) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """{"m9": (1 Sep 00:00, 1 Oct 00:00), …} for each calendar month the term touches, in local time."""
    out: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        lo = timezone.make_aware(dt.datetime(y, m, 1))
        hi = timezone.make_aware(dt.datetime(ny, nm, 1))
        out[f"m{m}"] = (lo, hi)
        y, m = ny, nm
    return out


def _sheets(tickets: Any) -> list[Sheet]:
    statuses, urgencies = dict(Status.choices), dict(Urgency.choices)
    rows = []
    for t in tickets.order_by("submitted_at", "pk").values_list(
        "number", "submitted_at", "building__name", "room__code", "category__name", "urgency", "status", "reporter__full_name",
        "reporter__username", "assignee__full_name", "contractor", "dispatched_at", "done_at", "due_at", "rating", "labour_hours",
        "contractor_cost",
    ):
        (number, submitted, building, room, category, urgency, status, reporter, reporter_login, assignee, contractor,
         dispatched, done, due, rating, hours, cost) = t
        late = "是" if (done and done > due) or (not done and status in UNFINISHED_STATUSES and due < timezone.now()) else ""
        rows.append([number, submitted, f"{building} {room}", category, str(urgencies.get(urgency, urgency)),
                     str(statuses.get(status, status)), reporter or reporter_login, assignee or contractor, dispatched, done, due,
                     late, rating, hours, cost])
    tickets_sheet = Sheet(
        "报修工单",
        ["编号", "报修时间", "地点", "类别", "紧急程度", "状态", "报修人", "维修人/单位", "派工时间", "完成时间", "时限", "超时",
         "评分", "工时（小时）", "外包费用（元）"],
        rows,
        kinds=["text", "datetime", "text", "text", "text", "text", "text", "text", "datetime", "datetime", "datetime", "text",
               "int", "decimal", "money"],
        widths=[16, 17, 18, 12, 10, 16, 10, 14, 17, 17, 17, 6, 6, 12, 14],
    )
    materials = Material.objects.filter(ticket__in=tickets.values("pk")).order_by("ticket__submitted_at", "pk").values_list(
        "ticket__number", "name", "quantity", "unit", "unit_cost", "added_at"
    )
    materials_sheet = Sheet(
        "维修材料",
        ["工单编号", "材料", "数量", "单位", "单价（元）", "金额（元）", "登记时间"],
        [[n, name, q, unit, cost, (q * cost).quantize(Decimal("0.01")), at] for n, name, q, unit, cost, at in materials],
        kinds=["text", "text", "decimal", "text", "money", "money", "datetime"],
        widths=[16, 20, 10, 8, 12, 12, 17],
    )
    return [tickets_sheet, materials_sheet]


def _place(row: dict) -> str:
    """教学楼A栋教师办公室（A305）: people know rooms by name, the code finds the door."""
    building, code, name = row["room__building__name"], row["room__code"], row["room__name"]
    return f"{building}{name}（{code}）" if name and name != code else f"{building}{code}"
