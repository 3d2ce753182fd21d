"""Demo safety records: the last week's daily fire patrols (with a few fails) and about ten hazards
in every state, made through the services as the screens make them. Small on purpose, so `make
run` stays fast; idempotent: a school that has rounds is left as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from logistics.demo import demo_seeder
from logistics.models import Role, Room
from logistics.selectors import people_with_role

from safety import services
from safety.models import Answer, Grade, Hazard, InspectionTemplate, Round, TemplateItem

# Day offsets (0 = the last weekday before today) whose patrol found something: item → note.
FAILS = {
    1: {"疏散通道畅通": "一楼东侧楼梯口堆放桌椅"},
    3: {"灭火器在位、压力正常、在有效期内": "三楼走廊灭火器压力指针在红区", "应急照明完好": "二楼楼梯间应急灯不亮"},
}
REPORTS = [
    # (room kind, category, grade, description, temporary measures, state)
    (Room.Kind.LAB, "lab", Grade.MAJOR, "化学药品柜未双人双锁，部分试剂标签脱落", "已临时加锁，禁止学生进入", "fixing"),
    (Room.Kind.CLASSROOM, "electrical", Grade.GENERAL, "教室后墙插座面板破损，电线外露", "已贴绝缘胶布并张贴警示", "to_verify"),
    (Room.Kind.CORRIDOR, "building", Grade.GENERAL, "四楼走廊栏杆立柱松动", "设置警戒线", "overdue"),
    (Room.Kind.CANTEEN, "food", Grade.GENERAL, "后厨地面排水不畅，地面湿滑", "放置防滑警示牌", "closed"),
    (Room.Kind.DORMITORY, "electrical", Grade.GENERAL, "宿舍发现学生私用电热毯", "已收缴", "closed"),
    (Room.Kind.CLASSROOM, "building", Grade.GENERAL, "窗户限位器缺失", "", "open"),
    (Room.Kind.OTHER, "other", Grade.GENERAL, "重复上报：与前一条同一处", "", "withdrawn"),
]


def _weekdays_before(today: dt.date, n: int) -> list[dt.date]:
    days, day = [], today - dt.timedelta(days=1)
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return list(reversed(days))


def _room(school: Any, kind: str) -> Room | None:
    return Room.objects.for_school(school).filter(kind=kind).first() or Room.objects.for_school(school).first()


@demo_seeder(order=40)
def seed(school: Any, *, size: str, stdout: Any) -> None:
    InspectionTemplate.ensure_defaults(school)
    if Round.objects.for_school(school).exists():
        stdout.write("  safety: rounds already")
        return
    officer = people_with_role(school, Role.SAFETY_OFFICER).first()
    office = people_with_role(school, Role.LOGISTICS_ADMIN).first()
    repairer = people_with_role(school, Role.REPAIRER).first()
    reporter = people_with_role(school, Role.STAFF).exclude(pk__in=[p.pk for p in (officer, office) if p]).first() or office
    if not (officer and office and repairer):
        stdout.write("  safety: no safety officer, office or repairer; skipped")
        return
    patrol = InspectionTemplate.objects.get(school=school, key="fire_patrol")
    items = list(TemplateItem.objects.filter(section__template=patrol, is_active=True))
    days = _weekdays_before(timezone.localdate(), 5)
    for offset, day in enumerate(reversed(days)):
        round = services.round_start(school=school, template=patrol, by=officer, day=day)
        fails = FAILS.get(offset, {})
        for item in items:
            note = fails.get(item.text, "")
            services.round_answer(round=round, item=item, by=officer, answer=Answer.FAIL if note else Answer.PASS, note=note)
        services.round_finish(round=round, by=officer, signature=officer.display_name, companion="值班门卫")
    soon = timezone.localdate() + dt.timedelta(days=5)
    for kind, category, grade, description, measures, state in REPORTS:
        room = _room(school, kind)
        if room is None:
            break
        hazard = services.hazard_report(school=school, by=reporter, room=room, category=category, grade=grade, description=description,
                                        temporary_measures=measures)
        if state == "withdrawn":
            services.hazard_withdraw(hazard=hazard, by=officer, reason="与前一条重复")
            continue
        if state == "open":
            continue
        hazard = services.hazard_assign(hazard=hazard, by=officer, responsible=office if grade == Grade.MAJOR else repairer, deadline=soon)
        if grade == Grade.MAJOR:
            services.hazard_record_five(hazard=hazard, by=officer, measures_in_place=True, funds_in_place=True, deadline_in_place=True,
                                        person_in_place=True, plan_in_place=True)
        hazard = services.hazard_start(hazard=hazard, by=officer)
        if state == "overdue":
            Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))  # a deadline let slip
            continue
        if state == "fixing":
            continue
        hazard = services.hazard_rectify(hazard=hazard, by=repairer, measures="已按要求整改完毕")
        if state == "closed":
            services.hazard_close(hazard=hazard, by=officer, verification="现场复查合格")
    # The patrols' own hazards go to the repairer with a deadline.
    for hazard in Hazard.objects.for_school(school).filter(source_answer__isnull=False, responsible__isnull=True):
        services.hazard_assign(hazard=hazard, by=officer, responsible=repairer, deadline=soon)
    stdout.write(f"  safety: {len(days)} patrols, {Hazard.objects.for_school(school).count()} hazards")


# --- Drills, training sessions, contractor scores (and for --size large, a school year of patrols) ---

DRILL_KINDS = ["fire", "earthquake", "fire", "intruder", "fire", "flood"]
DRILL_PROBLEMS = ["三楼东侧楼梯口出现拥堵", "", "个别班级未按指定路线撤离", "", "集合点清点人数用时偏长", ""]
TRAININGS = [
    ("term_start", "开学安全教育：校园安全工作要求", "全体教职工", 96, "1.5", "安全保卫处"),
    ("new_staff", "新进教职工岗前消防安全培训", "新入职教师", 8, "2.0", "区消防救援大队"),
    ("fire", "灭火器与消火栓使用实操", "保安、宿管、食堂人员", 24, "1.0", "消防设施维保单位"),
    ("food", "食品安全与燃气使用培训", "食堂从业人员", 15, "1.5", "市场监管所"),
    ("holiday", "寒假前安全教育", "全体教职工", 94, "1.0", "安全保卫处"),
]
CONTRACTORS = [("平安保安服务有限公司", "security"), ("洁美物业保洁公司", "cleaning"), ("安消消防设施维保公司", "fire_equipment")]


def _months_back(today: dt.date, n: int) -> list[dt.date]:
    months, first = [], today.replace(day=1)
    for _i in range(n):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


@demo_seeder(order=41)
def seed_drills(school: Any, *, size: str, stdout: Any) -> None:
    """Monthly drills (one month skipped, so the cadence shows its warning), five training sessions,
    three contractors scored monthly (one low score followed up), through the services."""
    from decimal import Decimal

    from safety.catalogue import ensure_criteria
    from safety.models import Contractor, Criterion, Drill
    from safety.services import drills as records

    if Drill.objects.for_school(school).exists():
        stdout.write("  safety: drills already")
        return
    officer = people_with_role(school, Role.SAFETY_OFFICER).first()
    office = people_with_role(school, Role.LOGISTICS_ADMIN).first()
    if not (officer and office):
        stdout.write("  safety: no safety officer or office; drills skipped")
        return
    today = timezone.localdate()
    months = _months_back(today, 10 if size == "large" else 4)
    people = 2400 if size == "large" else 850
    room = Room.objects.for_school(school).first()
    held = 0
    for i, month in enumerate(months[:-1]):
        if i == len(months) - 3:
            continue  # a month without a drill: the term's compliance shows it
        day = month.replace(day=min(18, 28))
        drill = records.drill_plan(school=school, by=officer, kind=DRILL_KINDS[i % len(DRILL_KINDS)], day=day)
        problems = DRILL_PROBLEMS[i % len(DRILL_PROBLEMS)]
        drill = records.drill_record(drill=drill, by=officer, participants=people - 13 * i, evacuation_seconds=150 - 4 * i,
                                     duration_minutes=30, problems=problems, improvements="错峰下楼，班主任在前引导" if problems else "",
                                     summary="师生按预定路线有序撤离到操场集合点，清点人数无误。")
        if problems and room is not None:
            records.drill_raise_hazard(drill=drill, by=officer, room=room, category="fire", description=problems)
        held += 1
    records.drill_plan(school=school, by=officer, kind="fire", day=today + dt.timedelta(days=6), title="本月消防疏散演练")
    for i, (kind, topic, audience, count, hours, trainer) in enumerate(TRAININGS):
        day = months[min(i, len(months) - 1)].replace(day=3) if months[min(i, len(months) - 1)].replace(day=3) <= today else today
        records.training_record(school=school, by=officer, day=day, kind=kind, topic=topic, audience=audience, attendees_count=count,
                                hours=Decimal(hours), trainer=trainer)
    ensure_criteria(school)
    scored = 0
    for name, service in CONTRACTORS:
        contractor, _created = Contractor.objects.get_or_create(school=school, name=name, service=service)
        criteria = list(Criterion.objects.filter(school=school, service=service, is_active=True))
        for j, month in enumerate(months):
            base = 62 if (service == "cleaning" and j == len(months) - 2) else 84 + (j * 3) % 11
            evaluation = records.evaluation_record(contractor=contractor, by=office, month=month,
                                                   scores={c.pk: min(100, base + (k * 2) % 7) for k, c in enumerate(criteria)},
                                                   conclusion="服务总体良好" if base >= 70 else "卫生间保洁不到位，多次被投诉")
            if evaluation.follow_up_needed:
                records.evaluation_follow_up(evaluation=evaluation, by=officer, follow_up="约谈项目经理，限期整改，扣减当月服务费5%")
            scored += 1
    stdout.write(f"  safety: {held} drills held, {len(TRAININGS)} training sessions, {scored} contractor scores")
    if size == "large":
        _year_of_patrols(school, officer, stdout)


def _year_of_patrols(school: Any, officer: Any, stdout: Any) -> None:
    """A school year of daily fire patrols (every school day, all items passed but a few), written in
    bulk: what the benchmark and the list pages meet at a large school."""
    from safety.models import RoundAnswer, RoundStatus

    InspectionTemplate.ensure_defaults(school)
    patrol = InspectionTemplate.objects.get(school=school, key="fire_patrol")
    items = list(TemplateItem.objects.filter(section__template=patrol, is_active=True))
    today = timezone.localdate()
    have = set(Round.objects.for_school(school).filter(template=patrol).values_list("day", flat=True))
    days = [today - dt.timedelta(days=n) for n in range(365, 6, -1)]
    days = [d for d in days if d.weekday() < 5 and d not in have]
    now = timezone.now()
    rounds = Round.objects.bulk_create([
        Round(school=school, template=patrol, day=d, status=RoundStatus.FINISHED, inspector=officer, companion="值班门卫",
              started_at=now, finished_at=now, signature=officer.display_name) for d in days
    ])
    RoundAnswer.objects.bulk_create([
        RoundAnswer(round=r, item=item, answer=Answer.PASS, answered_by=officer, answered_at=now) for r in rounds for item in items
    ], batch_size=2000)
    stdout.write(f"  safety: a school year of daily patrols ({len(rounds)} rounds)")


@demo_seeder(order=42)
def seed_term_of_rounds(school: Any, *, size: str, stdout: Any) -> None:
    """Every scheduled checklist walked this term up to yesterday (each building where the checklist
    goes building by building), a few periods missed on purpose, so the report's 按计划完成率 reads as
    a school's would, not as the handful of patrols the last week holds."""
    import random

    from logistics.models import Term
    from safety.models import Coverage, Frequency, RoundAnswer, RoundStatus
    from safety.selectors import is_school_day, period_of

    officer = people_with_role(school, Role.SAFETY_OFFICER).first()
    term = Term.objects.for_school(school).current()
    if officer is None or term is None:
        return
    rng = random.Random(f"{school.code}-rounds")
    terms = list(Term.objects.for_school(school))
    buildings = list(school_buildings(school))
    today = timezone.localdate()
    have = set(Round.objects.for_school(school).values_list("template_id", "day", "building_id"))
    templates = InspectionTemplate.objects.for_school(school).active().filter(
        frequency__in=[Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY])
    now = timezone.now()
    rounds, answers = [], []
    for template in templates:
        items = list(TemplateItem.objects.filter(section__template=template, is_active=True))
        places = buildings if template.coverage == Coverage.EACH_BUILDING else [None]
        day = term.start
        while day < today:
            start, end = period_of(template.frequency, day, term)
            walk = start
            while walk <= end and not is_school_day(walk, terms):
                walk += dt.timedelta(days=1)
            if walk < today and walk <= end and is_school_day(walk, terms):
                for place in places:
                    key = (template.pk, walk, place.pk if place else None)
                    if key in have or rng.random() < 0.03:  # about one period in thirty missed
                        continue
                    rounds.append((Round(school=school, template=template, day=walk, building=place, status=RoundStatus.FINISHED,
                                         inspector=officer, companion="值班门卫", started_at=now, finished_at=now,
                                         signature=officer.display_name), items))
            day = end + dt.timedelta(days=1)
    Round.objects.bulk_create([r for r, _ in rounds], batch_size=1000)
    answers = [RoundAnswer(round=r, item=item, answer=Answer.PASS, answered_by=officer, answered_at=now) for r, items in rounds for item in items]
    RoundAnswer.objects.bulk_create(answers, batch_size=2000)
    stdout.write(f"  safety: {len(rounds)} scheduled rounds this term")


def school_buildings(school: Any) -> Any:
    from logistics.models import Building

    return Building.objects.for_school(school).order_by("code")
