"""Demo asset cards: some sixteen hundred over the demo school's rooms, classes and people, with their
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
from assets.selectors import ledger_changed

# kind of room: [(class code, name, spec, unit, value low, value high, how many)]. Every unit at or
# above the threshold has a card of its own, as a school's ledger does.
FITTINGS: dict[str, list[tuple[str, str, str, str, int, int, int]]] = {
    Room.Kind.CLASSROOM: [("A02020600", "触控一体机", "希沃86英寸", "台", 11800, 14600, 1), ("A02061804", "空调机", "格力3匹立柜式", "台", 5200, 6800, 2),
                          ("A02020600", "实物展台", "希沃高拍仪", "台", 1200, 1800, 1), ("A05010500", "书柜", "钢制四门", "组", 1100, 1400, 2),
                          ("A02090000", "教室扩音系统", "无线吊麦套装", "套", 1600, 2600, 1), ("A05010200", "讲台", "钢木组合", "张", 1100, 1500, 1),
                          ("A02090000", "教室监控摄像机", "海康4MP半球", "台", 1100, 1400, 1), ("A02020600", "电子班牌", "21.5英寸", "台", 1500, 2200, 1)],
    Room.Kind.OFFICE: [("A02010105", "台式计算机", "联想启天M437", "台", 4200, 5600, 8), ("A02021000", "激光打印机", "惠普M403dn", "台", 1600, 2400, 2),
                       ("A02061804", "空调机", "美的1.5匹挂式", "台", 2800, 3600, 2), ("A05010500", "文件柜", "钢制五节", "组", 1100, 1500, 4),
                       ("A05010200", "办公桌", "钢木组合1.4米", "张", 1100, 1600, 8), ("A02020100", "复印机", "理光MP2014", "台", 6800, 9800, 1)],
    Room.Kind.LAB: [("A02330000", "学生实验仪器", "物理力学组合套装", "套", 1800, 6800, 20), ("A02020200", "投影仪", "爱普生CB-X50", "台", 3800, 5200, 1),
                    ("A02061804", "空调机", "格力3匹立柜式", "台", 5200, 6800, 2), ("A05010203", "学生实验桌", "全钢实验台", "张", 2200, 3200, 24),
                    ("A02100000", "数字化实验系统", "朗威DISLab", "套", 8800, 16800, 2), ("A05010500", "仪器柜", "钢制玻璃门", "组", 1600, 2400, 8)],
    Room.Kind.FUNCTION: [("A02020200", "投影仪", "爱普生CB-X50", "台", 3800, 5200, 1), ("A02090000", "音响系统", "功放及音箱", "套", 6800, 18000, 1),
                         ("A02061804", "空调机", "格力3匹立柜式", "台", 5200, 6800, 2)],
    Room.Kind.CANTEEN: [("A02050000", "消毒柜", "双门高温", "台", 3200, 5800, 2), ("A02050000", "冷藏柜", "四门", "台", 4600, 7200, 2),
                        ("A02050000", "蒸饭柜", "24盘燃气", "台", 5800, 8200, 1), ("A05010200", "餐桌", "不锈钢八人位", "张", 1200, 1600, 12)],
    Room.Kind.DORMITORY: [("A05010100", "学生床", "上下铺钢木", "张", 1200, 1600, 6), ("A02061804", "空调机", "美的1.5匹挂式", "台", 2800, 3600, 1),
                          ("A02060000", "热水器", "空气能300升", "台", 6800, 9200, 1)],
    Room.Kind.OUTDOOR: [("A02460000", "篮球架", "移动式液压", "副", 6800, 12800, 2), ("A02460000", "乒乓球台", "室外防水", "张", 1800, 2600, 4),
                        ("A02460000", "单双杠", "国标训练型", "副", 1600, 2800, 2)],
    Room.Kind.WAREHOUSE: [("A02010105", "台式计算机", "联想启天M415", "台", 3800, 4600, 2), ("A05010300", "会议椅", "钢架软包", "把", 1000, 1200, 6)],
}
# Rooms with equipment of their own, by name, on top of their kind's.
NAMED_FITTINGS: dict[str, list[tuple[str, str, str, str, int, int, int]]] = {
    "计算机教室": [("A02010105", "学生计算机", "联想启天M428", "台", 3600, 4400, 56), ("A02080000", "交换机", "华为S5735 48口", "台", 3200, 4800, 2)],
    "图书室": [("A05010500", "书架", "钢制双面", "组", 1100, 1400, 30), ("A02010105", "借还书电脑", "联想启天M437", "台", 4200, 5600, 2)],
    "音乐教室": [("A02090000", "钢琴", "珠江立式", "台", 12800, 19800, 2)],
    "录播室": [("A02090000", "录播主机", "常态化录播系统", "套", 48000, 68000, 1), ("A02090000", "跟踪摄像机", "4K云台", "台", 5200, 7800, 4)],
    "会议室": [("A05010300", "会议椅", "钢架软包", "把", 1000, 1200, 30), ("A02020600", "会议平板", "MAXHUB 75英寸", "台", 12800, 16800, 1)],
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
        for code, name, spec, unit, low, high, count in FITTINGS.get(room.kind, []) + NAMED_FITTINGS.get(room.name, []):
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
        ledger_changed(school)
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


@demo_seeder(order=31)
def seed_work(school: Any, *, size: str, stdout: Any) -> None:
    """The term's asset work on top of the ledger: projectors bought this term, consumables received
    and issued, depreciation booked, one disposal carried out, one closed stocktake and one open
    (through the services, as the office would). `--size large` adds cards up to 100,000."""
    from assets.models import Stocktake
    from assets.services import disposal as disposals
    from assets.services import stock
    from assets.services import stocktake as stocktakes
    from assets.services.cards import card_register
    from assets.services.depreciation import depreciate_month

    if Stocktake.objects.for_school(school).exists():
        return
    office = Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first()
    if office is None or not AssetCard.objects.for_school(school).exists():
        return
    by, today = office.user, timezone.localdate()
    rng = random.Random(20261126)
    rooms = list(Room.objects.for_school(school).filter(is_active=True, kind=Room.Kind.CLASSROOM).select_related("building")
                 .order_by("building__code", "code"))
    projector = AssetClass.objects.get(code="A02020200")
    bought = today - dt.timedelta(days=min(40, max(1, today.day + 20)))
    for room in rooms[:8]:
        card_register(school=school, by=by, asset_class=projector, name="投影机", spec="爱普生CB-FH52", unit="台",
                      original_value=Decimal("5680.00"), acquired_on=bought, room=room, supplier="新城区教育装备公司",
                      warranty_until=bought + dt.timedelta(days=3 * 365))
    people = [m.user for m in Membership.objects.for_school(school).active().select_related("user")[:12]]
    for name, spec, unit, quantity, price, minimum in [("A4复印纸", "70g 500张/包", "包", 200, "23.50", 40),
                                                       ("白板笔", "黑色", "支", 300, "2.80", 50), ("粉笔", "无尘白色", "盒", 120, "4.50", 30),
                                                       ("LED灯管", "T8 1.2米 18W", "支", 60, "18.00", 20), ("垃圾袋", "大号加厚", "卷", 80, "6.00", 100)]:
        receipt = stock.receive(school=school, by=by, name=name, spec=spec, unit=unit, quantity=Decimal(quantity), unit_price=Decimal(price),
                                supplier="文教用品批发部", invoice_number=f"{rng.randrange(10**7, 10**8)}", received_on=today - dt.timedelta(days=30))
        type(receipt.item).objects.filter(pk=receipt.item_id).update(min_stock=Decimal(minimum), approval_over=Decimal(quantity // 4))
        receipt.item.refresh_from_db()
        for _i in range(3):
            stock.issue(item=receipt.item, by=by, quantity=Decimal(max(1, quantity // 12)), to_person=rng.choice(people), purpose="日常办公")
    depreciate_month(school=school, period=(today.replace(day=1) - dt.timedelta(days=1)), by=by)
    old = list(AssetCard.objects.for_school(school).filter(name="台式计算机", acquired_on__year=2016).order_by("id")[:3])
    if old:
        disposal = disposals.disposal_request(school=school, by=by, cards=old, way="scrap", reason="超过使用年限，主板损坏无法修复",
                                              appraisal_note="信息中心鉴定：无维修价值")
        head = Membership.objects.for_school(school).with_role(Role.PRINCIPAL).select_related("user").first()
        disposals.disposal_approve(disposal=disposal, by=head.user if head and disposal.tier != "office" else by)
        disposals.disposal_execute(disposal=disposal, by=by, proceeds=Decimal("150.00"))
    _last_terms_stocktake(school, by)
    if rooms:
        closed = stocktakes.stocktake_open(school=school, by=by, title=f"{today.year}年秋季教学楼资产清查", scope="building",
                                           building=rooms[0].building)
        lines = list(closed.lines.select_related("stocktake").order_by("id"))
        for i, line in enumerate(lines):
            if i == 0:
                continue  # one missing
            stocktakes.stocktake_mark(line=line, by=by, result="damaged" if i == 1 else "found",
                                      room=rooms[-1] if i == 2 and len(rooms) > 1 else None)
        stocktakes.stocktake_close(stocktake=closed, by=by)
        stocktakes.stocktake_open(school=school, by=by, title="实验室专项盘点", scope="rooms",
                                  rooms=list(Room.objects.for_school(school).filter(kind=Room.Kind.LAB)[:3]) or rooms[:1])
    if size == "large":
        _bulk_cards(school, by, target=100_000, stdout=stdout)
    stdout.write("  assets: this term's purchases, stock, depreciation, a disposal, two stocktakes and one of last term")


def _last_terms_stocktake(school: Any, by: Any) -> None:
    """The office building counted near the end of the previous term (two items found in another room,
    one damaged), so the report compares this term's 账实相符率 with it."""
    from logistics.models import Building, Term

    from assets.models import Stocktake
    from assets.services import stocktake as stocktakes

    term = Term.objects.for_school(school).current()
    previous = term.previous() if term else None
    building = Building.objects.for_school(school).filter(name="行政楼").first()
    if previous is None or building is None:
        return
    counted = stocktakes.stocktake_open(school=school, by=by, title=f"{previous.start.year}—{previous.end.year}学年行政楼资产清查",
                                        scope="building", building=building)
    lines = list(counted.lines.select_related("card").order_by("id"))
    other_room = Room.objects.for_school(school).filter(building=building).exclude(pk=lines[0].card.room_id).first() if lines else None
    for i, line in enumerate(lines):
        stocktakes.stocktake_mark(line=line, by=by, result="damaged" if i == 2 else "found",
                                  room=other_room if i in (0, 1) and other_room else None)
    stocktakes.stocktake_close(stocktake=counted, by=by)
    closed_at = timezone.make_aware(dt.datetime.combine(previous.end - dt.timedelta(days=20), dt.time(16, 30)))
    Stocktake.objects.filter(pk=counted.pk).update(opened_at=closed_at - dt.timedelta(days=2), closed_at=closed_at)
    counted.refresh_from_db()
    stocktakes._chronicle(counted)  # its 工作纪事 entry on the day it was held, in the previous term


def _bulk_cards(school: Any, by: Any, *, target: int, stdout: Any) -> None:
    """Plain cards up to `target` (the benchmarks' ledger), numbered in a year of their own."""
    have = AssetCard.objects.for_school(school).count()
    rooms = list(Room.objects.for_school(school).filter(is_active=True).values_list("pk", flat=True))
    klass = AssetClass.objects.get(code="A02010105")
    rng = random.Random(7)
    batch: list[AssetCard] = []
    for n in range(have, target):
        batch.append(AssetCard(school=school, number=f"A02010105-2015-{n:06d}", asset_class=klass, name="台式计算机", spec="批量",
                               unit="台", original_value=Decimal(rng.randrange(3000, 9000)), acquired_on=dt.date(2015 + n % 10, 1 + n % 12, 1),
                               booked_on=dt.date(2015 + n % 10, 1 + n % 12, 1), room_id=rooms[n % len(rooms)] if rooms else None,
                               status=Status.IN_USE if rooms else Status.IDLE, created_by=by))
        if len(batch) == 5000:
            AssetCard.objects.bulk_create(batch)
            batch = []
    AssetCard.objects.bulk_create(batch)
    ledger_changed(school)
    stdout.write(f"  assets: {target} cards in all")
