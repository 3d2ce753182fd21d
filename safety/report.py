"""The campus-safety section of the term report: rounds held against those due (by checklist),
items checked; hazards found, closed (整改率, average days), overdue, by category and grade; drills
(count, participants, average evacuation time) and the months or quarters without one; training
sessions and attendance; contractor scores — each against the previous term.

Facts only (the composer writes the prose). A fixed number of queries whatever the number of
records (about a dozen per term, two terms). The term's notable work (each drill, each training,
each 重大 hazard closed) comes as 工作纪事 entries the services record by rule (safety/chronicle.py),
which the engine tells month by month before these figures.

Figures that count a list of records link to that list filtered to those records: rounds finished in
the term, hazards found in it (less withdrawn ones), drills held, training sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from logistics.models import School, Term
from logistics.reports import numbers, registry
from logistics.reports.facts import Fact, Link, Part, Problem, RankItem, Ranking, Section, Sheet, rate

from safety.models import (
    UNFIXED_STATUSES,
    Coverage,
    Drill,
    DrillStatus,
    Evaluation,
    Frequency,
    Grade,
    Hazard,
    HazardCategory,
    HazardStatus,
    InspectionTemplate,
    Round,
    RoundAnswer,
    RoundStatus,
    SafetySettings,
    Training,
    TrainingKind,
)
from safety.coverage import Coverage as TrainingCoverage
from safety.coverage import training_coverage, year_of_term
from safety.selectors import _missed, buildings_of, drill_period

RECTIFY_TARGET = 95.0  # 整改率 below this is a 不足


# A month (or quarter) without a drill: the generic "missing" kind would say 应记未记, as if a record
# were lost; a drill not held is work not done, so it is named by its months.
@dataclass(frozen=True)
class DrillGap(Problem):
    periods: tuple[tuple[dt.date, dt.date], ...] = ()


def _period_label(start: dt.date, end: dt.date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月"
    return f"{start.month}月至{end.month}月"


def _drill_gap_detail(problem: Problem, ctx: Any) -> str:
    periods = getattr(problem, "periods", ())
    if not periods:
        return f"本学期有{problem.count}个周期未组织演练。"
    return "、".join(_period_label(s, e) for s, e in periods) + "未组织演练。"


DRILL_MONTHLY_KIND = "safety.drills_monthly"
DRILL_PERIODIC_KIND = "safety.drills_periodic"
registry.problem_kind(
    DRILL_MONTHLY_KIND,
    leads=["{subject}未按月开展", "{subject}未做到每月一次"],
    detail=_drill_gap_detail,
    plans=["制定全年应急疏散演练计划，每月至少组织一次，并做好记录和总结。", "把应急疏散演练排入每月工作计划，落实到周，确保每月至少开展一次。"],
)
registry.problem_kind(
    DRILL_PERIODIC_KIND,
    leads=["{subject}未按规定周期开展", "{subject}有的周期未开展"],
    detail=_drill_gap_detail,
    plans=["制定全年应急疏散演练计划，按规定周期组织演练，并做好记录和总结。", "把应急疏散演练排入学期工作计划，确保每个周期按期开展。"],
)


def _cut(term: Term) -> dt.date:
    """The last day counted: the term's end, or today while it runs."""
    return min(term.end, timezone.localdate())


@dataclass
class Figures:
    rounds: int = 0
    items: int = 0
    due: int = 0
    missed: int = 0
    found: int = 0
    found_major: int = 0
    closed: int = 0
    closed_major: int = 0
    overdue: int = 0
    open: int = 0
    days: float | None = None
    drills: int = 0
    participants: int = 0
    evacuation: float | None = None
    drill_every: int = 1
    drill_periods: int = 0
    drill_missed: int = 0
    drill_gaps: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # the periods ended without a drill
    trainings: int = 0
    new_staff: int = 0
    attendees: int = 0
    hours: float = 0
    evaluations: int = 0
    score: float | None = None
    low: int = 0


def _figures(school: School, term: Term, *, by_template: dict[str, int] | None = None,
             by_category: dict[str, int] | None = None) -> Figures:
    start, cut = term.start, _cut(term)
    f = Figures()
    if cut < start:
        return f
    rounds = Round.objects.for_school(school).filter(day__gte=start, day__lte=cut)
    row = rounds.aggregate(n=Count("pk", filter=Q(status=RoundStatus.FINISHED)))
    f.rounds = row["n"]
    f.items = RoundAnswer.objects.filter(round__in=rounds.filter(status=RoundStatus.FINISHED).values("pk")).count()
    # Due and missed: the schedule replayed over the term (daily, weekly and monthly checklists).
    templates = list(InspectionTemplate.objects.for_school(school).active().filter(
        frequency__in=[Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY]))
    if templates:
        terms = list(Term.objects.for_school(school))
        buildings = list(buildings_of(school)) if any(t.coverage == Coverage.EACH_BUILDING for t in templates) else []
        done = list(rounds.filter(template__in=templates).only("pk", "template_id", "day", "building_id", "status"))
        names = {}
        for t in templates:
            places = buildings if t.coverage == Coverage.EACH_BUILDING else [None]
            mine = [r for r in done if r.template_id == t.pk]
            missed = _missed(t, places, mine, terms, term, cut + dt.timedelta(days=1))
            finished = sum(1 for r in mine if r.status == RoundStatus.FINISHED)
            f.missed += missed
            f.due += missed + finished
            names[t.name] = finished
        if by_template is not None:
            by_template.update(names)
    hazards = Hazard.objects.for_school(school).filter(found_on__gte=start, found_on__lte=cut).exclude(status=HazardStatus.WITHDRAWN)
    closed = Q(status=HazardStatus.CLOSED, closed_on__lte=cut)
    row = hazards.aggregate(
        found=Count("pk"), found_major=Count("pk", filter=Q(grade=Grade.MAJOR)),
        closed=Count("pk", filter=closed), closed_major=Count("pk", filter=closed & Q(grade=Grade.MAJOR)),
        overdue=Count("pk", filter=Q(status__in=UNFIXED_STATUSES, deadline__lt=cut)),
        open=Count("pk", filter=~closed),
    )
    f.found, f.found_major, f.closed, f.closed_major, f.overdue, f.open = (
        row["found"], row["found_major"], row["closed"], row["closed_major"], row["overdue"], row["open"])
    spans = [(c - s).days for s, c in hazards.filter(closed).values_list("found_on", "closed_on")]
    f.days = sum(spans) / len(spans) if spans else None
    if by_category is not None:
        labels = dict(HazardCategory.choices)
        for key, n in hazards.values_list("category").annotate(n=Count("pk")).order_by("-n", "category"):
            by_category[str(labels.get(key, key))] = n
    row = Drill.objects.for_school(school).filter(status=DrillStatus.HELD, day__gte=start, day__lte=cut).aggregate(
        n=Count("pk"), people=Sum("participants"), evacuation=Avg("evacuation_seconds"))
    f.drills, f.participants, f.evacuation = row["n"], row["people"] or 0, row["evacuation"]
    every = f.drill_every = SafetySettings.for_school(school).drill_every_months
    held_days = list(Drill.objects.for_school(school).filter(status=DrillStatus.HELD, day__gte=drill_period(start, every)[0], day__lte=cut)
                     .values_list("day", flat=True))
    day = start
    while day <= cut:
        p_start, p_end = drill_period(day, every)
        if p_end <= cut:  # a period still running is not missed yet
            f.drill_periods += 1
            if not any(p_start <= d <= p_end for d in held_days):
                f.drill_missed += 1
                f.drill_gaps.append((p_start, p_end))
        day = p_end + dt.timedelta(days=1)
    row = Training.objects.for_school(school).filter(day__gte=start, day__lte=cut).aggregate(
        n=Count("pk"), people=Sum("attendees_count"), hours=Sum("hours"), new_staff=Count("pk", filter=Q(kind=TrainingKind.NEW_STAFF)))
    f.trainings, f.attendees, f.hours, f.new_staff = row["n"], row["people"] or 0, float(row["hours"] or 0), row["new_staff"]
    low = SafetySettings.for_school(school).low_score
    row = Evaluation.objects.for_school(school).filter(month__gte=start.replace(day=1), month__lte=cut).aggregate(
        n=Count("pk"), average=Avg("score"), low=Count("pk", filter=Q(score__lt=low)))
    f.evaluations, f.score, f.low = row["n"], (float(row["average"]) if row["average"] is not None else None), row["low"]
    return f


def coverage_sentence(coverage: TrainingCoverage) -> str:
    """全体教职工96人中90人本学年参加安全培训，新入职5人均于上岗前完成培训: '' when no session of the
    year names its attendees (the figure would say nobody was trained when nobody was ticked)."""
    if not coverage.staff or not coverage.trained:
        return ""
    trained, untrained = len(coverage.trained), len(coverage.untrained)
    text = f"全体教职工{coverage.staff}人中{trained}人本学年参加安全培训"
    text += f"，覆盖率{numbers.percent(coverage.rate)}，尚有{untrained}人未参加" if untrained else "，实现全员覆盖"
    new, late = len(coverage.new_staff), len(coverage.new_untrained)
    if new and not late:
        text += f"；新入职{new}人均于上岗前完成培训"
    elif new:
        text += f"；新入职{new}人中{new - late}人于上岗前完成培训，{late}人未在上岗前参加培训"
    return text + "。"


def _untrained_detail(problem: Problem, ctx: Any) -> str:
    """`total` staff not trained this school year, `value` new staff not trained before starting."""
    if not problem.total:
        return f"新入职人员中有{problem.value}人未在上岗前参加培训。"
    return f"全体教职工中尚有{problem.total}人本学年未参加安全培训" + (
        f"，新入职人员中有{problem.value}人未在上岗前参加培训。" if problem.value else "。")


UNTRAINED_KIND = "safety.untrained"
registry.problem_kind(
    UNTRAINED_KIND,
    leads=["{subject}未做到全员覆盖", "部分教职工未参加{subject}"],
    detail=_untrained_detail,
    plans=["对本学年尚未参加安全培训的教职工集中补训，新入职人员一律先培训后上岗。", "建立教职工安全培训台账，逐人登记，做到全员培训、新人岗前必训。"],
)


@registry.provider("safety", order=40, title="校园安全")
def safety_section(school: School, term: Term) -> Section:
    by_template: dict[str, int] = {}
    by_category: dict[str, int] = {}
    now = _figures(school, term, by_template=by_template, by_category=by_category)
    previous_term = term.previous()
    before = _figures(school, previous_term) if previous_term else None
    cut = _cut(term)
    span = {"date_from": term.start.isoformat(), "date_to": cut.isoformat()}

    def prev(name: str) -> Any:
        return getattr(before, name) if before is not None else None

    rounds = Part("rounds", "安全巡查与检查", facts=[
        Fact("safety.rounds", "开展安全巡查检查", now.rounds, unit="次", previous=prev("rounds"),
             link=Link("safety:round-list", {**span, "status": RoundStatus.FINISHED}), headline=True),
        Fact("safety.items", "检查项目", now.items, unit="项", previous=prev("items")),
        Fact("safety.round_rate", "按计划完成率", rate(now.due - now.missed, now.due), kind="rate", unit="", base=now.due,
             previous=rate(before.due - before.missed, before.due) if before and before.due else None),
    ], ranking=Ranking("safety.by_template", "检查类别",
                       [RankItem(name, n) for name, n in sorted(by_template.items(), key=lambda kv: -kv[1]) if n], unit="次"))
    valid = Link("safety:hazard-list", {**span, "status": "valid"})
    found_rate = rate(now.closed, now.found)
    hazards = Part("hazards", "隐患排查与整改", facts=[
        Fact("safety.found", "排查发现隐患", now.found, unit="处", previous=prev("found"), link=valid, headline=True),
        Fact("safety.closed", "整改销号", now.closed, unit="处", previous=prev("closed")),
        Fact("safety.rectified", "整改率", found_rate, kind="rate", unit="", base=now.found,
             previous=rate(before.closed, before.found) if before and before.found else None, headline=True),
        Fact("safety.days", "平均整改用时", round(now.days, 1) if now.days is not None else None, kind="score", unit="天"),
        Fact("safety.major", "其中重大隐患", now.found_major, unit="处", previous=prev("found_major"),
             link=valid.with_params(grade=Grade.MAJOR), sentence_break=True),
        Fact("safety.major_closed", "已销号重大隐患", now.closed_major, unit="处"),
    ], ranking=Ranking("safety.by_category", "隐患类别", [RankItem(label, n) for label, n in by_category.items()], unit="处"))
    drills = Part("drills", "应急疏散演练", facts=[
        Fact("safety.drills", "组织应急演练", now.drills, unit="次", previous=prev("drills"),
             link=Link("safety:drill-list", {**span, "status": DrillStatus.HELD}), headline=True),
        Fact("safety.participants", "参演师生", now.participants, unit="人次", previous=prev("participants")),
        Fact("safety.evacuation", "平均疏散用时", round(now.evacuation) if now.evacuation else None, unit="秒"),
    ])
    coverage = training_coverage(school, year=year_of_term(term), cut=cut)
    training = Part("training", "安全教育培训", note=coverage_sentence(coverage), facts=[
        Fact("safety.trainings", "开展安全教育培训", now.trainings, unit="次", previous=prev("trainings"),
             link=Link("safety:training-list", span)),
        Fact("safety.attendees", "参训", now.attendees, unit="人次", previous=prev("attendees")),
        Fact("safety.training_hours", "培训", round(now.hours, 1) if now.hours else None, kind="score", unit="学时"),
        Fact("safety.new_staff", "其中新进人员岗前培训", now.new_staff, unit="次", link=Link("safety:training-list", {**span, "kind": "new_staff"})),
    ])
    contractors = Part("contractors", "外包服务考核", facts=[
        Fact("safety.evaluations", "完成外包服务月度考核", now.evaluations, unit="次", previous=prev("evaluations"),
             link=Link("safety:evaluation-list")),
        Fact("safety.score", "平均得分", round(now.score, 1) if now.score is not None else None, kind="score", unit="分"),
        Fact("safety.low_scores", "低于合格线", now.low, unit="次"),
    ])
    problems: list[Problem] = []
    if now.missed:
        problems.append(Problem("safety.missed_rounds", "missing", "安全巡查检查记录", count=now.missed, unit="次",
                                weight=2.0 if now.missed > 5 else 1.0))
    if now.overdue:
        problems.append(Problem("safety.overdue", "overdue", "隐患整改", count=now.overdue, total=now.found, total_label="本学期发现隐患",
                                unit="处", link=Link("safety:hazard-list", {**span, "overdue": "on"}), weight=3.0))
    if now.found and found_rate is not None and found_rate < RECTIFY_TARGET:
        problems.append(Problem("safety.rectify_rate", "low_rate", "隐患整改率", value=found_rate, target=RECTIFY_TARGET, weight=2.0))
    if coverage.trained and (coverage.untrained or coverage.new_untrained):
        problems.append(Problem("safety.untrained", UNTRAINED_KIND, "安全教育培训", count=len(coverage.untrained) or len(coverage.new_untrained),
                                total=len(coverage.untrained), value=len(coverage.new_untrained), unit="人", weight=1.5,
                                link=Link("safety:training-coverage", {"show": "untrained" if coverage.untrained else "new"})))
    if now.drill_missed:
        problems.append(DrillGap("safety.drills_missed", DRILL_MONTHLY_KIND if now.drill_every == 1 else DRILL_PERIODIC_KIND, "应急疏散演练",
                                 count=now.drill_missed, unit="次", weight=2.5, periods=tuple(now.drill_gaps)))
    return Section(parts=[rounds, hazards, drills, training, contractors], problems=problems, subject="校园安全",
                   period=(term.start, cut), annex=lambda: _annex(school, term))


def _annex(school: School, term: Term) -> list[Sheet]:
    """The term's hazards (the 隐患整改销号 register) and drills, for the Excel annex: two queries."""
    cut = _cut(term)
    hazards = (Hazard.objects.for_school(school).filter(found_on__gte=term.start, found_on__lte=cut).exclude(status=HazardStatus.WITHDRAWN)
               .select_related("building", "room").order_by("found_on", "pk"))
    grades, statuses, categories = dict(Grade.choices), dict(HazardStatus.choices), dict(HazardCategory.choices)
    drills = Drill.objects.for_school(school).filter(status=DrillStatus.HELD, day__gte=term.start, day__lte=cut).order_by("day", "pk")
    return [
        Sheet("隐患整改", ["编号", "发现日期", "地点", "类别", "等级", "隐患", "状态", "销号日期"],
              [[h.number, h.found_on, h.place_label, str(categories.get(h.category, h.category)), str(grades.get(h.grade, h.grade)),
                h.description, str(statuses.get(h.status, h.status)), h.closed_on] for h in hazards],
              kinds=["text", "date", "text", "text", "text", "text", "text", "date"], widths=[12, 11, 16, 10, 6, 40, 10, 11]),
        Sheet("应急演练", ["日期", "类型", "参加人数", "疏散用时（秒）", "发现问题"],
              [[d.day, str(d.get_kind_display()), d.participants, d.evacuation_seconds, d.problems] for d in drills],
              kinds=["date", "text", "int", "int", "text"], widths=[11, 12, 10, 12, 40]),
    ]
