"""Demo safety records: the last week's daily fire patrols (with a few fails) and the term's hazards
(two dozen over the weeks since it began, most closed in time, a few overdue or waiting for the
check, one 重大 with its five 到位), made through the services as the screens make them, then dated.
Small on purpose, so `make run` stays fast; idempotent: a school that has rounds is left as it is."""

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
# The term's hazards, spread over the weeks since it began, most closed in time: (day of the term
# as a share of the days so far, room kind, category, grade, description, temporary measures, fate,
# days to fix). Fates: closed, to_verify (fixed, waiting for the check), fixing, overdue (deadline
# let slip), open (just found), withdrawn.
TERM_HAZARDS = [
    (0.02, Room.Kind.CLASSROOM, "building", Grade.GENERAL, "开学检查发现三楼教室吊扇固定螺栓松动", "暂停使用该吊扇", "closed", 2),
    (0.04, Room.Kind.LAB, "electrical", Grade.GENERAL, "物理实验室部分插座无接地保护", "停用该排插座", "closed", 5),
    (0.06, Room.Kind.CORRIDOR, "fire", Grade.GENERAL, "一楼东侧安全出口指示灯不亮", "", "closed", 1),
    (0.09, Room.Kind.DORMITORY, "electrical", Grade.GENERAL, "宿舍楼二层配电箱未上锁", "", "closed", 1),
    (0.12, Room.Kind.CANTEEN, "food", Grade.GENERAL, "食堂后厨燃气软管老化", "关闭该灶头燃气阀", "closed", 3),
    (0.15, Room.Kind.OUTDOOR, "sports", Grade.GENERAL, "操场篮球架底座螺栓锈蚀松动", "设置警戒线，暂停使用", "closed", 6),
    (0.19, Room.Kind.CLASSROOM, "building", Grade.GENERAL, "教室窗户限位器缺失", "", "closed", 4),
    (0.23, Room.Kind.OUTDOOR, "traffic", Grade.GENERAL, "校门口减速带破损", "", "closed", 7),
    (0.27, Room.Kind.CORRIDOR, "fire", Grade.GENERAL, "四楼消火栓箱内水带缺失", "", "closed", 2),
    (0.29, Room.Kind.TOILET, "building", Grade.GENERAL, "学生厕所地砖破损，易绊倒", "设置警示标识", "closed", 3),
    (0.31, Room.Kind.LAB, "lab", Grade.MAJOR, "化学药品柜未双人双锁，部分试剂标签脱落", "已临时加锁，禁止学生进入", "closed", 12),
    (0.36, Room.Kind.CLASSROOM, "electrical", Grade.GENERAL, "多媒体讲台电源线外露", "", "closed", 1),
    (0.39, Room.Kind.WAREHOUSE, "fire", Grade.GENERAL, "仓库物品堆放距灯具不足50厘米", "", "closed", 1),
    (0.41, Room.Kind.DORMITORY, "electrical", Grade.GENERAL, "宿舍发现学生私用电热毯", "已收缴", "closed", 1),
    (0.46, Room.Kind.CORRIDOR, "building", Grade.GENERAL, "楼梯扶手立柱松动", "设置警示标识", "closed", 3),
    (0.51, Room.Kind.CANTEEN, "food", Grade.GENERAL, "后厨地面排水不畅，地面湿滑", "放置防滑警示牌", "closed", 5),
    (0.53, Room.Kind.FUNCTION, "electrical", Grade.GENERAL, "报告厅舞台灯光线路老化", "停用舞台灯光", "closed", 6),
    (0.56, Room.Kind.OUTDOOR, "surroundings", Grade.GENERAL, "围墙外侧上下学时段有流动摊贩聚集", "", "closed", 6),
    (0.61, Room.Kind.CORRIDOR, "fire", Grade.GENERAL, "二楼走廊灭火器压力不足", "", "closed", 1),
    (0.66, Room.Kind.CLASSROOM, "building", Grade.GENERAL, "教室后墙瓷砖空鼓", "", "closed", 8),
    (0.68, Room.Kind.OUTDOOR, "security", Grade.GENERAL, "校园东北角监控摄像头画面模糊", "", "closed", 4),
    (0.70, Room.Kind.LAB, "lab", Grade.GENERAL, "生物实验室紫外灯开关无警示标识", "", "closed", 2),
    (0.74, Room.Kind.OUTDOOR, "traffic", Grade.GENERAL, "上下学时段校门口临时停车占道", "安排保安疏导", "overdue", 7),
    (0.78, Room.Kind.CORRIDOR, "building", Grade.GENERAL, "四楼走廊栏杆立柱松动", "设置警戒线", "overdue", 5),
    (0.84, Room.Kind.CLASSROOM, "electrical", Grade.GENERAL, "教室后墙插座面板破损，电线外露", "已贴绝缘胶布并张贴警示", "to_verify", 3),
    (0.88, Room.Kind.DORMITORY, "fire", Grade.GENERAL, "宿舍楼疏散楼梯堆放杂物", "", "to_verify", 2),
    (0.92, Room.Kind.CLASSROOM, "building", Grade.GENERAL, "窗户玻璃裂纹", "贴防爆膜", "fixing", 7),
    (0.95, Room.Kind.OTHER, "other", Grade.GENERAL, "重复上报：与前一条同一处", "", "withdrawn", 0),
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
    _term_hazards(school, officer=officer, office=office, repairer=repairer, reporter=reporter)
    # The patrols' own hazards go to the repairer with a deadline.
    for hazard in Hazard.objects.for_school(school).filter(source_answer__isnull=False, responsible__isnull=True):
        services.hazard_assign(hazard=hazard, by=officer, responsible=repairer, deadline=soon)
    stdout.write(f"  safety: {len(days)} patrols, {Hazard.objects.for_school(school).count()} hazards")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _backdate(hazard: Hazard, *, found: dt.date, deadline: dt.date | None, fixed: dt.date | None = None,
              closed: dt.date | None = None) -> None:
    """A hazard made today through the services, moved to the days it was found, fixed and closed,
    its history with it, so the demo term reads as weeks of work rather than one afternoon."""
    from django.contrib.contenttypes.models import ContentType

    from logistics.audit import AuditEntry

    Hazard.objects.filter(pk=hazard.pk).update(found_on=found, deadline=deadline, fixed_on=fixed, closed_on=closed,
                                               created_at=_at(found, 9))
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Hazard), object_id=hazard.pk).order_by("pk")
    for n, entry in enumerate(entries):
        action = entry.action
        if "close" in action and closed:
            when = _at(closed, 15, n)
        elif "rectif" in action and fixed:
            when = _at(fixed, 11, n)
        else:
            when = _at(found, 9, 10 * min(n, 5))
        AuditEntry.objects.filter(pk=entry.pk).update(at=when)


def _term_hazards(school: Any, *, officer: Any, office: Any, repairer: Any, reporter: Any) -> None:
    """The term's hazards (TERM_HAZARDS) through the services, then dated over the term: most closed
    before their deadline, two overdue, two waiting for the check, the 重大 one with its five 到位."""
    from logistics.models import Term

    from safety import chronicle

    today = timezone.localdate()
    term = Term.objects.for_school(school).current()
    start = term.start if term and term.start < today else today - dt.timedelta(days=60)
    span = max(14, (today - start).days - 2)
    for share, kind, category, grade, description, measures, fate, days in TERM_HAZARDS:
        room = _room(school, kind)
        if room is None:
            break
        found = min(start + dt.timedelta(days=round(share * span)), today - dt.timedelta(days=1))
        hazard = services.hazard_report(school=school, by=reporter, room=room, category=category, grade=grade, description=description,
                                        temporary_measures=measures)
        if fate == "withdrawn":
            services.hazard_withdraw(hazard=hazard, by=officer, reason="与前一条重复")
            _backdate(hazard, found=found, deadline=None)
            continue
        allowed = max(7 if grade == Grade.GENERAL else 21, days + 3)
        hazard = services.hazard_assign(hazard=hazard, by=officer, responsible=office if grade == Grade.MAJOR else repairer,
                                        deadline=today + dt.timedelta(days=allowed))
        if grade == Grade.MAJOR:
            services.hazard_record_five(hazard=hazard, by=officer, measures_in_place=True, funds_in_place=True, deadline_in_place=True,
                                        person_in_place=True, plan_in_place=True)
        hazard = services.hazard_start(hazard=hazard, by=officer)
        deadline = found + dt.timedelta(days=allowed)
        if fate == "fixing":
            _backdate(hazard, found=found, deadline=max(deadline, today + dt.timedelta(days=3)))
            continue
        if fate == "overdue":
            _backdate(hazard, found=found, deadline=min(found + dt.timedelta(days=days), today - dt.timedelta(days=3)))
            continue
        fixer = office if grade == Grade.MAJOR else repairer
        hazard = services.hazard_rectify(hazard=hazard, by=fixer, measures=MEASURES.get(category, "已按要求整改完毕"))
        fixed = min(found + dt.timedelta(days=days), today)
        if fate == "to_verify":
            _backdate(hazard, found=found, deadline=max(deadline, today), fixed=fixed)
            continue
        hazard = services.hazard_close(hazard=hazard, by=officer, verification="现场复查合格，同意销号")
        closed = min(fixed + dt.timedelta(days=1), today)
        _backdate(hazard, found=found, deadline=deadline, fixed=fixed, closed=closed)
        if grade == Grade.MAJOR:
            chronicle.major_hazard_closed(Hazard.objects.get(pk=hazard.pk))  # its 工作纪事 entry on the day it was closed


def _settle_drill_hazards(school: Any, *, officer: Any, repairer: Any) -> None:
    """The hazards a drill found, rectified within the week after it (the current month's left open)."""
    today = timezone.localdate()
    for hazard in Hazard.objects.for_school(school).filter(drill__isnull=False, status="open").select_related("drill"):
        held = hazard.drill.day
        if (today - held).days < 14:
            continue
        hazard = services.hazard_assign(hazard=hazard, by=officer, responsible=repairer, deadline=today + dt.timedelta(days=7))
        hazard = services.hazard_start(hazard=hazard, by=officer)
        hazard = services.hazard_rectify(hazard=hazard, by=repairer, measures="调整疏散路线并在楼梯口增设引导员")
        hazard = services.hazard_close(hazard=hazard, by=officer, verification="下次演练复查，已无拥堵")
        _backdate(hazard, found=held, deadline=held + dt.timedelta(days=7), fixed=held + dt.timedelta(days=4), closed=held + dt.timedelta(days=5))


MEASURES = {
    "building": "已请维修班加固修复，复查牢固",
    "electrical": "已更换破损部件并做好绝缘，恢复正常使用",
    "fire": "已更换或补齐消防器材，恢复完好",
    "food": "已更换老化部件，疏通排水",
    "sports": "已更换锈蚀螺栓并加固",
    "surroundings": "已联系社区和城管清理",
    "traffic": "已联系交警中队，完成修复和疏导",
    "lab": "已落实双人双锁，重贴试剂标签，建立领用台账",
}


# --- Drills, training sessions, contractor scores (and for --size large, a school year of patrols) ---

DRILL_KINDS = ["fire", "earthquake", "fire", "intruder", "fire", "flood"]
DRILL_PROBLEMS = ["三楼东侧楼梯口出现拥堵", "", "个别班级未按指定路线撤离", "", "集合点清点人数用时偏长", ""]
TRAININGS = [
    # (kind, topic, audience, attendees, hours, trainer, day: days from the term's first day, or from its last when negative)
    ("new_staff", "新进教职工岗前消防安全培训", "新入职教师", 8, "2.0", "区消防救援大队", -5),
    ("term_start", "开学安全教育：校园安全工作要求", "全体教职工", 96, "1.5", "安全保卫处", 1),
    ("fire", "灭火器与消火栓使用实操", "保安、宿管、食堂人员", 24, "1.0", "消防设施维保单位", 40),
    ("food", "食品安全与燃气使用培训", "食堂从业人员", 15, "1.5", "市场监管所", 62),
    ("holiday", "寒假前安全教育", "全体教职工", 94, "1.0", "安全保卫处", -10),
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
    from safety.catalogue import ensure_criteria
    from safety.models import Contractor, Criterion, Drill, Training
    from safety.services import drills as records

    if Drill.objects.for_school(school).exists():
        stdout.write("  safety: drills already")
        return
    officer = people_with_role(school, Role.SAFETY_OFFICER).first()
    office = people_with_role(school, Role.LOGISTICS_ADMIN).first()
    if not (officer and office):
        stdout.write("  safety: no safety officer or office; drills skipped")
        return
    from logistics.models import Term

    today = timezone.localdate()
    term = Term.objects.for_school(school).current()
    months = _months_back(today, 10 if size == "large" else 6)
    # Drills: the 18th of each month of the term (of the school year for --size large), one month
    # skipped so the cadence and the report name it; a month whose 18th is still ahead has it planned.
    drill_months = [m for m in months if size == "large" or term is None or m >= term.start.replace(day=1)][-10:]
    skip = drill_months[1] if len(drill_months) >= 3 else None
    people = 2400 if size == "large" else 850
    room = Room.objects.for_school(school).first()
    held = 0
    for i, month in enumerate(drill_months):
        if month == skip:
            continue  # a month without a drill: the term's compliance shows it
        day = month.replace(day=18)
        kind = DRILL_KINDS[i % len(DRILL_KINDS)]
        if day >= today:
            records.drill_plan(school=school, by=officer, kind=kind, day=day, title="本月消防疏散演练")
            continue
        drill = records.drill_plan(school=school, by=officer, kind=kind, day=day)
        problems = DRILL_PROBLEMS[i % len(DRILL_PROBLEMS)]
        drill = records.drill_record(drill=drill, by=officer, participants=people - 13 * i, evacuation_seconds=150 - 4 * i,
                                     duration_minutes=30, problems=problems, improvements="错峰下楼，班主任在前引导" if problems else "",
                                     summary="师生按预定路线有序撤离到操场集合点，清点人数无误。")
        if problems and room is not None:
            records.drill_raise_hazard(drill=drill, by=officer, room=room, category="fire", description=problems)
        held += 1
    if drill_months[-1].replace(day=18) < today:  # this month's is held: next month's is on the calendar
        records.drill_plan(school=school, by=officer, kind="fire", day=(drill_months[-1] + dt.timedelta(days=45)).replace(day=18),
                           title="下月消防疏散演练")
    _trainings(school, officer, today)
    _settle_drill_hazards(school, officer=officer, repairer=people_with_role(school, Role.REPAIRER).first() or office)
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
    stdout.write(f"  safety: {held} drills held, {Training.objects.for_school(school).count()} training sessions, {scored} contractor scores")
    if size == "large":
        _year_of_patrols(school, officer, stdout)


def _trainings(school: Any, officer: Any, today: dt.date) -> None:
    """The term's training sessions, those held by today, with the staff who attended named: two new
    teachers (started on the term's first day) at the induction before it, everyone else but two at
    the start-of-term session, so the coverage page and the officer's card have something to say."""
    from decimal import Decimal

    from logistics.models import Membership, Term
    from safety.services import drills as records

    term = Term.objects.for_school(school).current()
    first = term.start if term else today - dt.timedelta(days=60)
    last = term.end if term else today + dt.timedelta(days=60)
    staff = list(people_with_role(school, Role.STAFF).order_by("pk"))
    newcomers = [p for p in staff if p.pk != officer.pk][-2:]
    missing = [p for p in staff if p.pk != officer.pk and p not in newcomers][-2:]
    for person in newcomers:
        Membership.objects.filter(school=school, user=person, started_on__isnull=True).update(started_on=first)
    for kind, topic, audience, count, hours, trainer, offset in TRAININGS:
        day = first + dt.timedelta(days=offset) if kind != "holiday" else last + dt.timedelta(days=offset)
        if day > today:
            continue
        attendees = newcomers if kind == "new_staff" else [p for p in staff if p not in newcomers and p not in missing] if kind == "term_start" else []
        records.training_record(school=school, by=officer, day=day, kind=kind, topic=topic, audience=audience,
                                attendees_count=max(count, len(attendees)), hours=Decimal(hours), trainer=trainer, attendees=attendees)


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
