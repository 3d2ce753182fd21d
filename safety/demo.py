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
