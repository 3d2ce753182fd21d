"""A second, small school in the bench database: 300 tickets, its own people (never the demo
accounts, whose pages would otherwise offer a school switch), the demo school's buildings and terms,
and every other app in use at the demo's small size (a canteen with a term of records, assets,
safety, purchases). The home page's cost is compared between it and the large demo school (issue 10):
no card may read the large school's whole history, and both schools show the same cards."""

from __future__ import annotations

import datetime as dt
from typing import Any

SMALL_CODE = "bench-small"
SMALL_TICKETS = 300
# (username, full name, post, roles)
PEOPLE = [
    ("small-principal", "林国华", "校长", ["principal", "staff"]),
    ("small-logistics", "何志刚", "后勤主任", ["logistics_admin", "staff"]),
    ("small-repairer", "马师傅", "维修工", ["repairer", "staff"]),
    ("small-teacher", "宋雪梅", "语文教师", ["staff"]),
    ("small-teacher2", "唐海燕", "数学教师", ["staff"]),
    ("small-vice", "吴晓东", "分管后勤副校长", ["vice_principal", "staff"]),
    ("small-canteen", "赵丽", "食堂管理员", ["canteen_manager", "staff"]),
    ("small-safety", "孙强", "安全员", ["safety_officer", "staff"]),
    ("small-finance", "钱芳", "会计", ["finance", "staff"]),
]
# The demo's seeders not run here: the core (its own accounts and places), the tickets (generated
# below, 300 of them) and the end of the demo (its notifications).
NOT_SEEDED = {"logistics.demo.seed_core", "repairs.demo.seed", "logistics.demo.settle_notifications"}


def seed_small_school(stdout: Any = print) -> Any:
    """The small school, created once (idempotent: reused while it has its 300 tickets)."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from canteen.models import Canteen
    from logistics.demo import BUILDINGS, _rooms_for, seeders
    from logistics.models import Building, Campus, Membership, Room, School, Term, User
    from repairs.demo import generate
    from repairs.models import Category, Ticket

    school, _ = School.objects.get_or_create(
        code=SMALL_CODE, defaults={"name": "新城第二中学（基准）", "kind": School.Kind.JUNIOR}
    )
    if Ticket.objects.for_school(school).count() >= SMALL_TICKETS and Canteen.objects.for_school(school).exists():
        return school
    stdout(f"Seeding the small school ({SMALL_TICKETS} tickets) into the bench database (once) …")
    with transaction.atomic():
        campus, _ = Campus.objects.get_or_create(school=school, name="本部")
        for code, name, floors, built in BUILDINGS:
            building, _ = Building.objects.get_or_create(campus=campus, code=code, defaults={"name": name, "floors": floors, "built_year": built})
            for floor, room_code, room_name, kind in _rooms_for(code):
                Room.objects.get_or_create(building=building, code=room_code, defaults={"name": room_name, "floor": floor, "kind": kind})
        groups = {g.name: g for g in Group.objects.all()}
        for i, (username, full_name, title, roles) in enumerate(PEOPLE):
            user, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name, "phone": f"1360000{i:04d}"})
            membership, _ = Membership.objects.update_or_create(user=user, school=school, defaults={"title": title, "is_active": True})
            membership.roles.set([groups[r] for r in roles])
        today = dt.date.today()
        first_year = today.year if today.month >= 8 else today.year - 1
        Term.objects.get_or_create(school=school, year=first_year, semester=1,
                                   defaults={"start": dt.date(first_year, 9, 1), "end": dt.date(first_year + 1, 1, 22)})
        Category.ensure_defaults(school)
        generate(school, count=max(0, SMALL_TICKETS - Ticket.objects.for_school(school).count()), seed=300)
        for seeder in seeders():
            if seeder.name not in NOT_SEEDED:
                seeder.fn(school, size="small", stdout=_Quiet())
    return school


class _Quiet:
    def write(self, text: str) -> None:
        pass
