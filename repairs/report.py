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
from logistics.reports import numbers
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


@registry.provider("repairs", order=20, title="校舍维修与报修服务")
def repairs_section(school: School, term: Term) -> Section:
    tickets = _in_term(school, term)
    previous_term = term.previous()
    cut, day = _cut_off(term)
    running = day < term.end
    # Last term over the same span: its first N days while this term runs, else all of it.
    prev_tickets, prev_cut = _same_span(school, previous_term, term, day) if previous_term else (None, None)
    now = _totals(tickets, cut)
    before = _totals(prev_tickets, prev_cut) if prev_tickets is not None else {}
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
    good_rate = rate(now["good"], now["rated"])
    all_accepted = bool(now["done"]) and now["accepted"] == now["done"]
    # One base for a rate, said once: completion counts the tickets not withdrawn by their reporter.
    base_note = "（不含报修人撤销的工单）" if now["cancelled"] else ""

    # By category, this and last term (two queries).
    rated = is_accepted_by(cut) & Q(rating__isnull=False)
    by_category = list(
        tickets.values("category_id", "category__name").annotate(
            n=Count("pk"),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
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
        RankItem(in_words(row["category__name"]), row["n"], link.with_params(category=row["category_id"]), prev_by_category.get(row["category__name"]))
        for row in by_category
    ])
    table = Table(
        "repairs.categories",
        "表1　报修分类统计",
        ["类别", "报修（件）", "撤销（件）", "完成（件）", "完成率", "平均评分"],
        # A category whose tickets were all withdrawn has no completion rate ("—"), not 0.0 %.
        [[r["category__name"], r["n"], r["cancelled"], r["done"], rate(r["done"], r["n"] - r["cancelled"]), r["avg_rating"]]
         for r in by_category],
        kinds=["text", "count", "count", "count", "rate", "score"],
    )
    category_chart = _category_chart(by_category, prev_by_category)

    daily = Part("intake", "日常报修", facts=[
        Fact("repairs.received", "受理报修", now["received"], previous=prev("received"), link=link, headline=True),
        Fact("repairs.cancelled", "其中报修人撤销", now["cancelled"], link=link.with_params(status=Status.CANCELLED)),
        Fact("repairs.done", "完成维修", now["done"], previous=prev("done"), link=stated.with_params(done_by=by_day), headline=True),
        Fact("repairs.completion", "完成率", completion, kind="rate", unit="", base=effective, previous=prev_completion, headline=True,
             note=base_note),
        Fact("repairs.urgent", "紧急报修", now["urgent"], link=link.with_params(urgency=Urgency.URGENT), sentence_break=True),
        Fact("repairs.response", "派工平均用时", now["response"], kind="hours", unit="", sentence_break=True),
        Fact("repairs.turnaround", "从报修到完成平均用时", now["turnaround"], kind="hours", unit=""),
        # Timeliness in one base: the share of completed tickets done within their deadline.
        Fact("repairs.on_time", "已完成工单中按时完成的占", on_time, kind="rate", unit="", base=now["done"]),
        # All done tickets accepted: said in words, not as the same figure again within the paragraph.
        Fact("repairs.accepted", "报修人确认验收", None if all_accepted else now["accepted"],
             link=stated.with_params(accepted_by=by_day), sentence_break=True),
        Fact("repairs.rating", "完成的工单均经报修人确认，平均评分" if all_accepted else "平均评分", now["rating"], kind="score", unit="分",
             sentence_break=all_accepted),
        Fact("repairs.good", "好评率", good_rate, kind="rate", unit="", base=now["rated"]),
    ], ranking=ranking, table=table if len(by_category) > 1 else None, chart=category_chart)

    # Materials (one query): ranked by money, written as actions; equipment replaced apart.
    material_rows = list(
        Material.objects.filter(ticket__in=tickets.values("pk")).values("name", "unit")
        .annotate(q=Sum("quantity"), money=Sum(_LINE_COST)).order_by("-money", "-q", "name")
    )
    consumables = [m for m in material_rows if m["unit"] not in EQUIPMENT_UNITS]
    equipment = [m for m in material_rows if m["unit"] in EQUIPMENT_UNITS]
    material_cost = sum((Decimal(m["money"] or 0) for m in consumables), Decimal(0))
    equipment_cost = sum((Decimal(m["money"] or 0) for m in equipment), Decimal(0))
    prev_material_cost = _consumables_cost(prev_tickets) if prev("received") else None
    materials = Part("costs", "维修用料与设备更新", facts=[
        Fact("repairs.material_cost", "消耗维修材料", material_cost, kind="money", unit="", previous=prev_material_cost),
        Fact("repairs.equipment_cost", "更新设备", equipment_cost, kind="money", unit=""),
        Fact("repairs.contractor_cost", "外包维修费用", now["contractor"], kind="money", unit=""),
        Fact("repairs.labour", "投入维修工时", now["labour"], unit="小时"),
    ], note=materials_sentence(consumables, equipment))

    charts = []
    month_keys = _months(term.start, min(term.end, timezone.localdate()))
    months = tickets.aggregate(**{key: Count("pk", filter=Q(submitted_at__gte=lo, submitted_at__lt=hi)) for key, (lo, hi) in month_keys.items()}) if month_keys else {}
    if sum(months.values()):
        charts.append(Chart("months", "各月报修数量", [f"{int(k[1:])}月" for k in month_keys], [("报修", [months[k] for k in month_keys])], style="line"))
    timed = [r for r in by_category if r["hours"] is not None][:8]
    if len(timed) > 1:
        charts.append(Chart("turnaround", "各类报修平均完成用时", [in_words(r["category__name"]) for r in timed],
                            [("小时", [round(r["hours"] or 0, 1) for r in timed])], style="barh", unit="小时"))

    problems = _problems(now, on_time, effective, by_category, tickets, link, stated, by_day, material_cost, prev_material_cost)
    return Section(
        parts=[daily, materials],
        problems=problems,
        charts=charts,
        annex=lambda: _sheets(tickets),
        subject="报修",
        period=(term.start, term.end),
        same_span=running,
        events_title="重点维修项目",
    )


EQUIPMENT_UNITS = frozenset({"台", "部", "辆", "架"})  # a whole appliance replaced, not a part of one
BULK_UNITS = frozenset({"米", "千克", "公斤", "克", "桶", "袋", "升", "卷", "平方米", "㎡", "m", "kg", "箱", "包", "吨"})
_LINE_COST = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=16, decimal_places=4))
CATEGORY_WORDS = {
    "水": "供水设施", "电": "电路照明", "门窗/木工": "门窗木工", "空调/电器": "空调电器", "网络/多媒体": "网络多媒体",
    "管道/下水": "管道下水", "墙面/屋顶": "墙面屋顶",
}
COST_RISE = 30.0  # materials up this many percent on last term (same span) is a 不足
SLOW_FACTOR = 2.0  # a category taking this many times the average to finish is a 不足
COST_RISE_KIND = "repairs.cost_rise"
SLOW_KIND = "repairs.slow"


def in_words(name: str) -> str:
    """How a sentence names a category: no slash, no bare one-letter label (电 → 电路照明)."""
    if name in CATEGORY_WORDS:
        return CATEGORY_WORDS[name]
    return "、".join(p.strip() for p in name.replace("／", "/").split("/") if p.strip()) or name


def _quantity(q: Any, unit: str) -> str:
    d = Decimal(q or 0)
    return f"{written('count', d, unit)}" if d == d.to_integral_value() else f"{d.normalize():f}{unit}"


def materials_sentence(consumables: list[dict], equipment: list[dict], *, top: int = 6) -> str:
    """"按金额计，主要更换LED灯管36支、镇流器12个，使用BV2.5电线200米；另更新饮水机3台。" """
    # Parts replaced and materials used, each group in order of money, the costlier group first.
    actions: dict[str, list[str]] = {}
    for m in consumables[:top]:
        verb = "使用" if m["unit"] in BULK_UNITS else "更换"
        thing = f"{m['name']}{' ' if m['name'][-1:].isascii() and m['name'][-1:].isalnum() else ''}{_quantity(m['q'], m['unit'])}"
        actions.setdefault(verb, []).append(thing)
    text = ""
    if actions:
        text = "按金额计，主要" + "，".join(f"{verb}{'、'.join(things)}" for verb, things in actions.items()) + ("等" if len(consumables) > top else "")
    if equipment:
        things = "、".join(f"{m['name']}{_quantity(m['q'], m['unit'])}" for m in equipment[:top])
        text += ("；另" if text else "本学期") + f"更新{things}" + ("等" if len(equipment) > top else "")
    return f"{text}。" if text else ""


def _consumables_cost(tickets: Any) -> Decimal:
    cost = Material.objects.filter(ticket__in=tickets.values("pk")).exclude(unit__in=EQUIPMENT_UNITS).aggregate(cost=Sum(_LINE_COST))["cost"]
    return Decimal(cost or 0)


def _same_span(school: School, previous_term: Term, term: Term, day: dt.date) -> tuple[Any, dt.datetime]:
    """Last term's tickets over the span this term has run (all of it once this term is over)."""
    if day >= term.end:
        return _in_term(school, previous_term), _cut_off(previous_term)[0]
    last = min(previous_term.end, previous_term.start + (day - term.start))
    start, _end = term_bounds(previous_term)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    qs = Ticket.objects.for_school(school).filter(submitted_at__gte=start, submitted_at__lt=end).exclude(status=Status.MERGED)
    return qs, end


def _category_chart(by_category: list[dict], prev_by_category: dict) -> Chart | None:
    """Every category (beyond eight, the smallest fold into 其他: never silently dropped)."""
    if len(by_category) < 2:
        return None
    rows = [(in_words(r["category__name"]), r["n"], prev_by_category.get(r["category__name"], 0)) for r in by_category]
    if len(rows) > 8:
        rest = rows[7:]
        rows = [*rows[:7], ("其他", sum(r[1] for r in rest), sum(r[2] for r in rest))]
    series = [("本学期", [r[1] for r in rows])]
    if prev_by_category:
        series.append(("上学期", [r[2] for r in rows]))
    return Chart("categories", "各类报修数量与上学期比较" if prev_by_category else "各类报修数量", [r[0] for r in rows], series)


@registry.chronicle_rule("repairs.notable")
def record_notable(school: School, term: Term) -> None:
    """Notable jobs become 工作纪事 entries by rule (told month by month in the report): a job whose
    materials cost more than the school's threshold, or one done by an outside contractor. Computed
    from the records when a report is generated (one query, then a fixed few to sync)."""
    from logistics.chronicle.services import notable_amount, sync_by_rule

    threshold = notable_amount(school)
    notable = (
        _in_term(school, term).exclude(status=Status.CANCELLED)
        # Parts and materials only: a replaced appliance is told apart ("另更新饮水机3台"), not as a project.
        .annotate(material_cost=Sum(ExpressionWrapper(F("materials__quantity") * F("materials__unit_cost"),
                                                      output_field=DecimalField(max_digits=16, decimal_places=4)),
                                    filter=~Q(materials__unit__in=EQUIPMENT_UNITS)))
        .filter(Q(material_cost__gt=threshold) | ~Q(contractor=""))
        .values("pk", "submitted_at", "done_at", "contractor", "contractor_cost", "material_cost", "category__name",
                "room__building__name", "room__code", "room__name")
    )
    found = {}
    for t in notable:
        when = timezone.localtime(t["done_at"] or t["submitted_at"]).date()
        place = _place({"room__building__name": t["room__building__name"], "room__code": t["room__code"], "room__name": t["room__name"]})
        work = f"维修{place}{in_words(t['category__name'])}"
        title = f"委托{t['contractor']}{work}" if t["contractor"] else work
        amount = Decimal(t["material_cost"] or 0) + Decimal(t["contractor_cost"] or 0)
        found[t["pk"]] = {"domain": "repairs", "kind": "project", "title": title, "date": when, "amount": amount or None}
    sync_by_rule(Ticket, school=school, rule=NOTABLE_RULE, within=(term.start, term.end), found=found)


NOTABLE_RULE = "repairs.notable"


def _problems(now: dict, on_time: float | None, effective: int, by_category: list[dict], tickets: Any, link: Link, stated: Link,
              by_day: str, material_cost: Decimal, prev_material_cost: Decimal | None) -> list[Problem]:
    problems: list[Problem] = []
    if now["late"] and (on_time is None or on_time < 100):
        # Done late or still open past the deadline, over the tickets done or in hand: the base is named.
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
                problems.append(Problem(f"repairs.rating.{row['category_id']}", "low_rating", f"{in_words(row['category__name'])}维修",
                                        value=row["avg_rating"], target=overall, count=row["rated"],
                                        link=stated.with_params(category=row["category_id"], accepted_by=by_day, rated=1), weight=1.2))
    if prev_material_cost and material_cost and float(material_cost) > float(prev_material_cost) * (1 + COST_RISE / 100):
        problems.append(Problem("repairs.cost_rise", COST_RISE_KIND, "维修材料费用", value=rate(material_cost - prev_material_cost, prev_material_cost),
                                weight=1.1))
    overall_hours = now["turnaround"]
    slow = [r for r in by_category if r["hours"] is not None and r["done"] >= MIN_RATED]
    if overall_hours and slow:
        slowest = max(slow, key=lambda r: r["hours"])
        if slowest["hours"] >= overall_hours * SLOW_FACTOR:
            problems.append(Problem(f"repairs.slow.{slowest['category_id']}", SLOW_KIND, f"{in_words(slowest['category__name'])}维修",
                                    value=slowest["hours"], target=overall_hours, count=slowest["done"], weight=1.0,
                                    link=stated.with_params(category=slowest["category_id"], done_by=by_day)))
    recurring = list(
        tickets.values("room_id", "room__building_id", "room__building__name", "room__code", "room__name", "category_id", "category__name")
        .annotate(n=Count("pk")).filter(n__gte=RECURRING).order_by("-n", "room__code")[:3]
    )
    rooms = list(dict.fromkeys(r["room_id"] for r in recurring))
    if len(rooms) == 1:
        # One room, several kinds of fault: one item ("A203的供水设施、电路照明故障").
        row = recurring[0]
        kinds = "、".join(in_words(r["category__name"]) for r in recurring)
        problems.append(Problem(f"repairs.recurring.{row['room_id']}", RECURRING_KIND, f"{_place(row)}的{kinds}故障",
                                count=sum(r["n"] for r in recurring), unit="次", weight=1.0, link=link.with_params(room=row["room_id"])))
    elif recurring:
        # Similar items merge into one: "S101、B304等房间的故障".
        codes = "、".join(dict.fromkeys(r["room__code"] for r in recurring))
        # The rooms have no one list to open: the figure is a value, linked to none.
        problems.append(Problem("repairs.recurring.rooms", RECURRING_ROOMS_KIND, f"{codes}等房间的故障",
                                value=sum(r["n"] for r in recurring), unit="次", weight=1.0))
    return problems


def _cost_rise_detail(problem: Problem, ctx: Context) -> str:
    span = "上学期" if ctx.term_over else "上学期同期"
    return f"维修材料费用比{span}增加{numbers.percent(problem.value)}，需要分析增长的原因。"


def _slow_detail(problem: Problem, ctx: Context) -> str:
    return (f"从报修到完成平均需{numbers.hours(problem.value)}，是全部报修平均用时（{numbers.hours(problem.target)}）的"
            f"{numbers.decimal1(float(problem.value) / float(problem.target))}倍。")


def _recurring_rooms_detail(problem: Problem, ctx: Context) -> str:
    return f"这几个房间本学期共报修{written('count', problem.value, problem.unit)}，需要逐间查找原因。"


RECURRING_ROOMS_KIND = "repairs.recurring_rooms"
registry.problem_kind(
    RECURRING_ROOMS_KIND,
    leads=["{subject}反复出现", "{subject}多次重复报修"],
    detail=_recurring_rooms_detail,
    plans=["对{subject}逐间检修，该更换的线路和设施整体更换。", "请专业人员对{subject}会诊，找准共性原因后集中整治。"],
    measured_by="value",
)
registry.problem_kind(
    COST_RISE_KIND,
    leads=["{subject}增长较快", "{subject}上升明显"],
    detail=_cost_rise_detail,
    plans=["按月核对维修领料，常用配件集中采购，控制维修成本。", "建立常用配件的用量台账，对用量异常的部位先查原因再领料。"],
    measured_by="value",
)
registry.problem_kind(
    SLOW_KIND,
    leads=["{subject}周期偏长", "{subject}办结较慢"],
    detail=_slow_detail,
    plans=["为{subject}储备常用配件，需外请单位的提前联系，缩短等待时间。", "梳理{subject}的流程，对等料、等人环节限时督办。"],
    measured_by="value",
)


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
    """教学楼A栋教师办公室（A305）: people know rooms by name, the code finds the door. A room named
    like its building is not named twice ("学生宿舍楼学生宿舍" → 学生宿舍楼S101)."""
    building, code, name = row["room__building__name"], row["room__code"], row["room__name"]
    if not name or name == code or name in building or building.startswith(name):
        return f"{building}{code}"
    return f"{building}{name}（{code}）"
