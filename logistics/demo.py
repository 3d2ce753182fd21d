"""`seed_demo`'s registry: each app's `demo.py` registers a function that adds its records.

    # repairs/demo.py
    from logistics.demo import demo_seeder
    @demo_seeder(order=20)
    def seed(school, *, size, stdout): ...

Seeders run in `order`, after the core (order 0), and must be idempotent: running `seed_demo`
twice leaves one demo school, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

SIZES = ("small", "large")


@dataclass(frozen=True)
class Seeder:
    name: str
    order: int
    fn: Callable[..., Any]


_seeders: dict[str, Seeder] = {}


def demo_seeder(*, order: int = 50) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{fn.__module__}.{fn.__name__}"
        _seeders[name] = Seeder(name, order, fn)
        return fn

    return decorate


def seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda s: (s.order, s.name))


# --- The core of the demo school: places, people, classes and terms ---------------------------

DEMO_CODE = "demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
         "平", "刚", "桂英", "建华", "文", "华", "红梅", "志强", "海燕", "晓东", "雪梅", "国庆", "春燕", "立新", "慧", "子涵"]

# (username, full name, post, department, roles)
DEMO_ACCOUNTS = [
    ("principal", "周建国", "校长", "校长室", ["principal", "staff"]),
    ("vice", "吴丽华", "分管后勤副校长", "校长室", ["vice_principal", "staff"]),
    ("logistics", "郑志强", "后勤主任", "后勤处", ["logistics_admin", "staff"]),
    ("repairer", "王师傅", "维修工", "后勤处", ["repairer", "staff"]),
    ("teacher", "李晓梅", "语文教师", "初一年级组", ["staff"]),
    ("headteacher", "陈静", "数学教师、初一(1)班班主任", "初一年级组", ["class_teacher", "staff"]),
    ("canteen", "赵红梅", "食堂管理员", "后勤处", ["canteen_manager", "staff"]),
    ("safety", "孙立新", "安全员", "安全保卫处", ["safety_officer", "staff"]),
    ("finance", "钱慧", "会计", "财务室", ["finance", "staff"]),
    ("district", "冯国庆", "区教育局装备科", "", ["district_viewer"]),
]
DEPARTMENTS = ["校长室", "党政办公室", "教务处", "德育处", "后勤处", "安全保卫处", "财务室", "初一年级组", "初二年级组", "初三年级组"]
# (code, name, floors, built, [(floor, code, name, kind), ...] generated below)
BUILDINGS = [
    ("A", "教学楼A栋", 5, 2008),
    ("B", "教学楼B栋", 5, 2012),
    ("S", "实验楼", 4, 2010),
    ("X", "行政楼", 4, 2006),
    ("C", "学生食堂", 2, 2015),
    ("D", "学生宿舍楼", 6, 2016),
    ("W", "室外场地", 1, None),
]


def _name(rng: Any, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            return name


def _rooms_for(code: str) -> list[tuple[int, str, str, str]]:
    rooms: list[tuple[int, str, str, str]] = []
    if code in ("A", "B"):
        for floor in range(1, 6):
            for n in range(1, 6):
                rooms.append((floor, f"{code}{floor}0{n}", "教室" if n <= 4 else "教师办公室", "classroom" if n <= 4 else "office"))
            rooms.append((floor, f"{code}{floor}WC", f"{floor}楼卫生间", "toilet"))
    elif code == "S":
        labs = ["物理实验室", "化学实验室", "生物实验室", "计算机教室", "音乐教室", "美术教室", "心理咨询室", "图书室"]
        for floor in range(1, 5):
            for n in range(1, 3):
                rooms.append((floor, f"S{floor}0{n}", labs[(floor - 1) * 2 + n - 1], "lab" if floor <= 2 else "function"))
            rooms.append((floor, f"S{floor}03", "仪器准备室", "warehouse"))
    elif code == "X":
        offices = ["校长室", "党政办公室", "教务处", "德育处", "后勤处", "安全保卫处", "财务室", "会议室", "档案室", "录播室",
                   "监控室", "校史室"]
        for i, name in enumerate(offices):
            floor = i // 3 + 1
            rooms.append((floor, f"X{floor}0{i % 3 + 1}", name, "office" if name not in ("会议室", "录播室", "校史室") else "function"))
    elif code == "C":
        for floor, code_, name, kind in [(1, "C101", "学生餐厅一楼", "canteen"), (1, "C102", "操作间", "canteen"),
                                         (1, "C103", "粗加工间", "canteen"), (1, "C104", "留样间", "canteen"),
                                         (1, "C105", "食品仓库", "warehouse"), (2, "C201", "学生餐厅二楼", "canteen"),
                                         (2, "C202", "教工餐厅", "canteen")]:
            rooms.append((floor, code_, name, kind))
    elif code == "D":
        for floor in range(1, 7):
            for n in range(1, 4):
                rooms.append((floor, f"D{floor}0{n}", "学生宿舍", "dormitory"))
    else:
        for n, name in enumerate(["田径场", "篮球场", "校门及门卫室", "自行车棚", "配电房", "水泵房"], start=1):
            rooms.append((1, f"W0{n}", name, "outdoor"))
    return rooms


@demo_seeder(order=0)
def seed_core(school: Any, *, size: str, stdout: Any) -> None:
    import datetime as dt
    import random

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from logistics.models import Building, Campus, Department, Membership, Room, SchoolClass, Term, User

    rng = random.Random(20260901)
    campus, _ = Campus.objects.get_or_create(school=school, name="本部", defaults={"address": school.address})
    for code, name, floors, built in BUILDINGS:
        building, _ = Building.objects.update_or_create(campus=campus, code=code, defaults={"name": name, "floors": floors, "built_year": built})
        for floor, room_code, room_name, kind in _rooms_for(code):
            Room.objects.update_or_create(building=building, code=room_code, defaults={"name": room_name, "floor": floor, "kind": kind})
    departments = {name: Department.objects.get_or_create(school=school, name=name)[0] for name in DEPARTMENTS}
    groups = {g.name: g for g in Group.objects.all()}

    # One hash for every demo account: hashing sixty passwords one by one takes most of a minute.
    demo_password = make_password(settings.DEMO_PASSWORD)

    def member(username: str, full_name: str, title: str, department: str, roles: list[str], phone: str) -> Any:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, "phone": phone})
        if created or not user.has_usable_password():
            user.password = demo_password
            user.save()
        user.full_name, user.is_staff = full_name, "logistics_admin" in roles
        user.save(update_fields=["full_name", "is_staff"])
        membership, _ = Membership.objects.update_or_create(
            user=user, school=school, defaults={"title": title, "department": departments.get(department), "is_active": True}
        )
        membership.roles.set([groups[r] for r in roles])
        return user

    people = {}
    for i, (username, full_name, title, department, roles) in enumerate(DEMO_ACCOUNTS):
        people[username] = member(username, full_name, title, department, roles, f"1380000{i:04d}")
    taken = {a[1] for a in DEMO_ACCOUNTS}
    teachers = []
    for i in range(1, 61 if size == "large" else 45):
        grade_group = DEPARTMENTS[7 + i % 3]
        teachers.append(member(f"t{i:03d}", _name(rng, taken), "教师", grade_group, ["staff"], f"1390000{i:04d}"))
    for i in range(2, 4):
        people[f"repairer{i}"] = member(f"repairer{i}", _name(rng, taken), "维修工", "后勤处", ["repairer", "staff"], f"1370000{i:04d}")

    classrooms = list(Room.objects.filter(building__campus=campus, kind="classroom").order_by("building__code", "floor", "code"))
    grade_names = ["初一", "初二", "初三"]
    head_teachers = [people["headteacher"], *teachers]
    for g, grade_name in enumerate(grade_names, start=1):
        for n in range(1, 9):
            index = (g - 1) * 8 + n - 1
            head = head_teachers[index]
            SchoolClass.objects.update_or_create(
                school=school, name=f"{grade_name}({n})班", defaults={"grade": g, "head_teacher": head, "room": classrooms[index]}
            )
            Room.objects.filter(pk=classrooms[index].pk).update(name=f"{grade_name}({n})班教室")
            if index:
                Membership.objects.get(user=head, school=school).roles.add(groups["class_teacher"])

    today = dt.date.today()
    first_year = today.year if today.month >= 8 else today.year - 1
    for year, semester, start, end in [
        (first_year - 1, 1, dt.date(first_year - 1, 9, 1), dt.date(first_year, 1, 23)),
        (first_year - 1, 2, dt.date(first_year, 2, 23), dt.date(first_year, 7, 10)),
        (first_year, 1, dt.date(first_year, 9, 1), dt.date(first_year + 1, 1, 22)),
    ]:
        Term.objects.update_or_create(school=school, year=year, semester=semester, defaults={"start": start, "end": end})
    stdout.write(
        f"  core: {Room.objects.for_school(school).count()} rooms in {Building.objects.for_school(school).count()} buildings, "
        f"{SchoolClass.objects.for_school(school).count()} classes, {Membership.objects.for_school(school).count()} people"
    )


UNREAD_LEFT = 3


@demo_seeder(order=1000)
def settle_notifications(school: Any, *, size: str, stdout: Any) -> None:
    """The apps' demos replay a term of work through their services, which notify as they go: the
    safety officer would open the demo to 54 unread messages about hazards closed weeks ago. Someone
    who did that work has read all but the last few: each person keeps their newest three unread."""
    from django.db.models import F

    from logistics.notifications import UNREAD, Notification
    from logistics.options import counts_changed

    unread = Notification.objects.filter(school=school, read_at__isnull=True)
    keep = []
    for recipient_id in unread.values_list("recipient_id", flat=True).distinct():
        keep += list(unread.filter(recipient_id=recipient_id).order_by("-created_at", "-pk").values_list("pk", flat=True)[:UNREAD_LEFT])
    settled = unread.exclude(pk__in=keep).update(read_at=F("created_at"))
    counts_changed([UNREAD], [school.pk])
    if settled:
        stdout.write(f"  notifications: {settled} older ones marked read, the newest {UNREAD_LEFT} per person left unread")
