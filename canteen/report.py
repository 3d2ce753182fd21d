"""The canteen section of the term report: days operated and meals served; completion of the daily
records; incidents (or 零事故); staff certificates and training; supplier checks and rejections;
rapid tests; parents' feedback; the self-inspection cycle; against the previous term (or the same
span of it while the term runs). Notable events (an inspection by the market-supervision bureau, a
training, a supplier dropped) are 工作纪事 entries added by rule in canteen.services.setup; the engine
tells them first.

Facts only; a fixed number of aggregate queries whatever the number of records (27 for a term with a
previous term).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.facts import Fact, Link, Part, Problem, Section, rate

from canteen.models import AccompaniedMeal, Canteen, DailyCheck, Delivery, Event, Meal, RapidTest, Staff
from canteen.selectors import KINDS, completion, is_operating_day

COMPLETION_TARGET = 100.0  # every record kind is due every operating day: anything less is a 不足
RECORD_NAMES = {"checks": "晨检记录", "samples": "留样记录", "disinfection": "餐具消毒记录", "accompanied": "陪餐记录", "checklist": "每日检查记录"}


def _span(term: Term, *, days: int | None = None) -> tuple[dt.date, dt.date]:
    end = min(term.end, timezone.localdate())
    if days is not None:
        end = min(term.end, term.start + dt.timedelta(days=days))
    return term.start, end


def _figures(school: School, canteens: list[Canteen], start: dt.date, end: dt.date) -> dict[str, Any]:
    done, expected = completion(canteens, start, end)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)] if end >= start else []
    recorded_days = {d for (_c, d, _k) in done}
    # A span without a single record is a span the app was not used in (or the canteen was closed):
    # it counts no operated day, so the comparison with it is left out rather than "up 97 points".
    operated = sorted({d for d in days if is_operating_day(d) or d in recorded_days}) if recorded_days else []
    totals = {key: [0, 0] for key, _label in KINDS}
    for canteen in canteens:
        for day in operated:
            for key in totals:
                want = expected.get((canteen.pk, key), 0)
                totals[key][0] += min(done.get((canteen.pk, day, key), 0), want)
                totals[key][1] += want
    span = {"canteen__in": [c.pk for c in canteens], "day__gte": start, "day__lte": end, "is_current": True}
    deliveries = Delivery.objects.filter(**span).aggregate(n=Count("pk"), rejected=Count("pk", filter=Q(status=Delivery.Status.REJECTED)))
    tests = RapidTest.objects.filter(**span).aggregate(n=Count("pk"), positive=Count("pk", filter=Q(positive=True)))
    feedback = AccompaniedMeal.objects.filter(**span, role=AccompaniedMeal.Role.PARENT).aggregate(
        parents=Count("pk"), opinions=Count("pk", filter=~Q(feedback=AccompaniedMeal.Feedback.NONE)),
        answered=Count("pk", filter=Q(feedback=AccompaniedMeal.Feedback.ANSWERED)))
    events = dict(Event.objects.filter(school=school, day__gte=start, day__lte=end).values_list("kind").annotate(n=Count("pk")).order_by())
    daily = DailyCheck.objects.filter(**span).aggregate(n=Count("pk"), problems=Count("pk", filter=Q(all_ok=False)))
    meals = sum(expected.get((c.pk, "samples"), 0) for c in canteens)
    return {
        "operated": len(operated), "meals": meals * len(operated) if canteens else 0, "totals": totals,
        "deliveries": deliveries["n"], "rejected": deliveries["rejected"], "tests": tests["n"], "positive": tests["positive"],
        "parents": feedback["parents"], "opinions": feedback["opinions"], "answered": feedback["answered"],
        "incidents": events.get(Event.Kind.INCIDENT, 0), "inspections": events.get(Event.Kind.BUREAU_INSPECTION, 0),
        "trainings": events.get(Event.Kind.TRAINING, 0), "weekly": events.get(Event.Kind.WEEKLY_REVIEW, 0),
        "monthly": events.get(Event.Kind.MONTHLY_MEETING, 0), "daily_checks": daily["n"], "daily_problems": daily["problems"],
    }


def _list(kind: str, start: dt.date, end: dt.date, **params: Any) -> Link:
    return Link("canteen:record-list", {"date_from": start.isoformat(), "date_to": end.isoformat(), **params}, args=(kind,))


@registry.provider("canteen", order=30, title="食堂与食品安全")
def canteen_section(school: School, term: Term) -> Section | None:
    canteens = list(Canteen.objects.for_school(school).filter(is_active=True))
    if not canteens:
        return None
    start, end = _span(term)
    running = end < term.end
    now = _figures(school, canteens, start, end)
    previous_term = term.previous()
    before: dict[str, Any] = {}
    if previous_term is not None:
        # While the term runs, compare with the same span of the previous term.
        p_start, p_end = _span(previous_term, days=(end - start).days if running else None)
        before = _figures(school, canteens, p_start, p_end)

    def prev(key: str) -> Any:
        return before.get(key) if before and before.get("operated") else None

    def pct(figures: dict[str, Any], kind: str) -> float | None:
        done, want = figures["totals"][kind] if figures else (None, None)
        return rate(done, want)

    staff = Staff.objects.filter(canteen__in=canteens, is_active=True).aggregate(
        n=Count("pk"), valid=Count("pk", filter=Q(certificate_expires__gte=end) & ~Q(certificate_no="")))
    operation = Part("operation", "食堂运行", facts=[
        Fact("canteen.days", "供餐", now["operated"], unit="天", previous=prev("operated"), headline=True),
        Fact("canteen.meals", "供应", now["meals"], unit="餐次", previous=prev("meals")),
        Fact("canteen.incidents", "发生食品安全事故", now["incidents"], unit="起", headline=True),
    ], note="" if now["incidents"] else ("开学以来未发生食品安全事故。" if running else "全学期未发生食品安全事故，实现零事故。"))
    records = Part("records", "食品安全过程记录", facts=[
        Fact(f"canteen.completion.{kind}", f"{RECORD_NAMES[kind]}完成率", pct(now, kind), kind="rate", unit="",
             base=now["totals"][kind][1], previous=pct(before, kind) if prev("operated") else None,
             link=_list({"checks": "check", "samples": "sample", "disinfection": "disinfection", "accompanied": "accompanied",
                         "checklist": "checklist"}[kind], start, end), headline=kind == "samples")
        for kind, _label in KINDS if now["totals"][kind][1]
    ])
    people = Part("people", "从业人员管理", facts=[
        Fact("canteen.certificates", "从业人员持有效健康证比例", rate(staff["valid"], staff["n"]), kind="rate", unit="", base=staff["n"]),
        Fact("canteen.trainings", "开展食品安全培训", now["trainings"], unit="次", previous=prev("trainings")),
    ])
    supply = Part("supply", "原料采购与查验", facts=[
        Fact("canteen.deliveries", "完成进货查验", now["deliveries"], unit="批次", previous=prev("deliveries"), link=_list("delivery", start, end)),
        Fact("canteen.rejected", "拒收不合格食材", now["rejected"], unit="批次", link=_list("delivery", start, end, status="rejected")),
        Fact("canteen.rapid_tests", "开展农药残留快速检测", now["tests"], unit="批次", previous=prev("tests"), link=_list("rapid", start, end)),
        Fact("canteen.positive", "快检阳性并拒用", now["positive"], unit="批次", link=_list("rapid", start, end, positive="on")),
    ])
    oversight = Part("oversight", "自查与监督", facts=[
        Fact("canteen.daily_checks", "开展每日食品安全检查", now["daily_checks"], unit="次", previous=prev("daily_checks"), link=_list("checklist", start, end)),
        Fact("canteen.weekly", "每周排查", now["weekly"], unit="次"),
        Fact("canteen.monthly", "每月调度会", now["monthly"], unit="次"),
        Fact("canteen.inspections", "接受市场监管部门检查", now["inspections"], unit="次"),
        Fact("canteen.parents", "家长陪餐", now["parents"], unit="人次", previous=prev("parents"),
             link=_list("accompanied", start, end, role="parent")),
        Fact("canteen.answered", "家长意见已答复", rate(now["answered"], now["opinions"]), kind="rate", unit="", base=now["opinions"]),
    ])
    problems: list[Problem] = []
    for kind, _label in KINDS:
        done, want = now["totals"][kind]
        if want and done < want:
            problems.append(Problem(f"canteen.missing.{kind}", "missing", RECORD_NAMES[kind], count=want - done, total=want, unit="次",
                                    link=_list({"checks": "check", "samples": "sample", "disinfection": "disinfection",
                                                "accompanied": "accompanied", "checklist": "checklist"}[kind], start, end),
                                    weight=2.0 if kind in ("samples", "checks") else 1.2))
    if now["opinions"] > now["answered"]:
        problems.append(Problem("canteen.feedback", "open", "家长陪餐意见", count=now["opinions"] - now["answered"], total=now["opinions"],
                                total_label="家长意见", link=_list("accompanied", start, end, feedback="open"), weight=1.0))
    section = Section(parts=[operation, records, people, supply, oversight], problems=problems, subject="食堂管理",
                      period=(term.start, term.end))
    if hasattr(section, "same_span"):  # the engine's "same span of last term" flag, where it has one
        section.same_span = running and bool(before)
    return section
