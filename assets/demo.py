"""Demo asset cards: a few hundred over the demo school's rooms, classes and people, with their
movements, a few loans (one overdue) and a batch of student desks and chairs.

Written with bulk_create (the numbers taken in order and the school's counters set after), so
`make run` stays fast. Idempotent: a school that already has cards is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from logistics.audit import AuditEntry
from logistics.demo import demo_seeder
from logistics.models import Department, Membership, Role, Room, SchoolClass

from assets.models import AssetCard, AssetClass, AssetCounter, Movement, Status

# kind of room: [(class code, name, spec, unit, value low, value high, how many)]
FITTINGS: dict[str, list[tuple[str, str, str, str, int, int, int]]] = {
    Room.Kind.CLASSROOM: [("A02020600", "触控一体机", "希沃86英寸", "台", 11800, 14600, 1), ("A02061804", "空调机", "格力3匹立柜式", "台", 5200, 6800, 2)],
    Room.Kind.OFFICE: [("A02010105", "台式计算机", "联想启天M437", "台", 4200, 5600, 2), ("A02021000", "激光打印机", "惠普M403dn", "台", 1600, 2400, 1),
                       ("A02061804", "空调机", "美的1.5匹挂式", "台", 2800, 3600, 1), ("A05010500", "文件柜", "钢制五节", "组", 1100, 1500, 1)],
    Room.Kind.LAB: [("A02330000", "学生实验仪器", "物理力学组合套装", "套", 1800, 6800, 3), ("A02020200", "投影仪", "爱普生CB-X50", "台", 3800, 5200, 1),
                    ("A02061804", "空调机", "格力3匹立柜式", "台", 5200, 6800, 2)],
    Room.Kind.FUNCTION: [("A02020200", "投影仪", "爱普生CB-X50", "台", 3800, 5200, 1), ("A02090000", "音响系统", "功放及音箱", "套", 6800, 18000, 1)],
    Room.Kind.CANTEEN: [("A02050000", "消毒柜", "双门高温", "台", 3200, 5800, 1), ("A02050000", "冷藏柜", "四门", "台", 4600, 7200, 1)],
    Room.Kind.DORMITORY: [("A05010100", "学生床", "上下铺钢木", "张", 1200, 1600, 1)],
}
LENDERS = ["区教研室", "初二年级组公开课", "校团委活动", "兄弟学校交流活动"]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, 10)).quantize(Decimal("0.01"))


@demo_seeder(order=30)
def seed(school: Any, *, size: str, stdout: Any) -> None:
    if AssetCard.objects.for_school(school).exists():
        stdout.write(f"  assets: {AssetCard.objects.for_school(school).count()} cards already there")
        return
    rng = random.Random(20260912)
    classes = {c.code: c for c in AssetClass.objects.all()}
    office = Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first()
    if office is None:
        return
    by = office.user
    people = list(Membership.objects.for_school(school).active().select_related("user", "department"))
    class_of_room = {c.room_id: c for c in SchoolClass.objects.for_school(school) if c.room_id}
    departments = {d.name: d for d in Department.objects.for_school(school)}
    rooms = list(Room.objects.for_school(school).filter(is_active=True).select_related("building").order_by("building__code", "code"))
    today = timezone.localdate()
    sequence: dict[tuple[str, int], int] = defaultdict(int)
    cards: list[AssetCard] = []

    def card(code: str, name: str, spec: str, unit: str, value: Decimal, quantity: int = 1, **fields: Any) -> AssetCard:
        acquired = fields.pop("acquired_on", None) or dt.date(rng.choice([2016, 2018, 2019, 2021, 2022, 2023, 2024, 2025]), rng.choice([3, 8, 9, 12]),
                                                           rng.randint(1, 28))
        sequence[(code, acquired.year)] += 1
        new = AssetCard(school=school, number=f"{code}-{acquired.year}-{sequence[(code, acquired.year)]:04d}", asset_class=classes[code],
                        name=name, spec=spec, unit=unit, quantity=quantity, original_value=value, acquired_on=acquired, booked_on=acquired,
                        supplier=rng.choice(["新城区教育装备公司", "华信电脑城", "格力空调专卖店", "育才教学仪器厂"]),
                        invoice_number=f"{rng.randrange(10**7, 10**8)}", created_by=by, **fields)
        new.status = new._settled()
        cards.append(new)
        return new

    for room in rooms:
        for code, name, spec, unit, low, high, count in FITTINGS.get(room.kind, []):
            for _i in range(count):
                holder = class_of_room.get(room.pk) if room.kind == Room.Kind.CLASSROOM else None
                person = None
                if room.kind == Room.Kind.OFFICE and code == "A02010105":
                    person = rng.choice(people)
                card(code, name, spec, unit, _money(rng, low, high), room=room, custodian_class=holder,
                     custodian=person.user if person else None, department=person.department if person else departments.get("后勤处"),
                     warranty_until=today + dt.timedelta(days=rng.randint(-400, 900)))
    # Laptops held by teachers, a few lent out (one overdue).
    for i, member in enumerate(rng.sample(people, min(24, len(people)))):
        laptop = card("A02010108", "笔记本电脑", "ThinkPad E14", "台", _money(rng, 4800, 6900), custodian=member.user,
                      department=member.department)
        if i < 4:
            laptop.status, laptop.lent_to = Status.LENT, LENDERS[i]
            laptop.lent_due = today + dt.timedelta(days=(-3 if i == 0 else 7 * i))
    # The allocated batch: 800 desk sets spread over the classrooms, one card.
    card("A05010203", "学生课桌椅", "单人升降式", "套", Decimal("208000.00"), quantity=800, acquisition=AssetCard.Acquisition.ALLOCATION,
         acquired_on=dt.date(2019, 8, 20), remarks="分布于各班教室", department=departments.get("教务处"))
    for _i in range(6):
        card("A02010105", "台式计算机", "联想启天M415", "台", _money(rng, 3800, 4600), acquired_on=dt.date(2016, 9, 1))  # idle in store
    with transaction.atomic():
        AssetCard.objects.bulk_create(cards, batch_size=500)
        saved = list(AssetCard.objects.for_school(school).order_by("id"))
        now = timezone.now()
        Movement.objects.bulk_create([
            Movement(school=school, card=c, kind=Movement.Kind.REGISTER, at=now, by=by, to_custodian_id=c.custodian_id,
                     to_class_id=c.custodian_class_id, to_room_id=c.room_id) for c in saved
        ] + [
            Movement(school=school, card=c, kind=Movement.Kind.LEND, at=now, by=by, from_custodian_id=c.custodian_id,
                     to_custodian_id=c.custodian_id, lent_to=c.lent_to, due_on=c.lent_due) for c in saved if c.status == Status.LENT
        ], batch_size=500)
        content_type = ContentType.objects.get_for_model(AssetCard)
        AuditEntry.objects.bulk_create([
            AuditEntry(school=school, content_type=content_type, object_id=c.pk, action="assets.assetcard.registered", to_state=Status.IN_USE
                       if c.status == Status.LENT else c.status, actor=by, at=now) for c in saved
        ], batch_size=500)
        AssetCounter.objects.bulk_create([AssetCounter(school=school, class_code=code, year=year, last=last)
                                          for (code, year), last in sequence.items()])
    stdout.write(f"  assets: {len(saved)} cards")
