"""Demo canteen records: a full term (to yesterday, and this morning's checks) for the demo school's
canteen, with a realistic sprinkling of gaps and anomalies (a missed sample, a fever, a lapsed
certificate, an out-of-range disinfection, a positive rapid test, a rejected delivery, an unanswered
parent). `--size large`: three canteens over the school year. Rows are made with bulk_create (a
term is ~10,000 rows); a school that has a canteen is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from logistics.demo import demo_seeder
from logistics.models import Role, Term
from logistics.selectors import people_with_role

from canteen.models import (
    AccompaniedMeal,
    Canteen,
    ChecklistItem,
    DailyCheck,
    Delivery,
    DeliveryItem,
    Disinfection,
    Event,
    Fridge,
    Meal,
    MealKind,
    MenuDish,
    MorningCheck,
    RapidTest,
    Sample,
    Staff,
    Supplier,
    Symptom,
)
from canteen.services.records import retain_until
from canteen.services.setup import event_record, supplier_drop

BREAKFAST = ["馒头", "鸡蛋", "小米粥", "豆浆", "花卷", "包子"]
LUNCH = ["红烧鸡块", "番茄炒蛋", "清炒时蔬", "米饭", "紫菜蛋汤", "土豆烧牛肉", "鱼香肉丝", "麻婆豆腐", "清蒸鱼", "冬瓜排骨汤"]
STAFF = [("王建国", "厨师长"), ("李秀英", "厨师"), ("陈志强", "厨师"), ("刘桂芳", "面点师"), ("张丽", "配菜员"), ("杨春梅", "洗消员"),
         ("赵国平", "采购验收员"), ("孙红", "保洁员")]
SUPPLIERS = [("杭州绿源蔬菜配送有限公司", "蔬菜"), ("浙江五丰冷食有限公司", "肉类、禽类"), ("杭州粮油批发有限公司", "大米、面粉、食用油"),
             ("光明乳业杭州分公司", "奶制品"), ("城西鲜蛋批发部", "鸡蛋")]
NAMES = ["学生食堂", "教工食堂", "高中部食堂"]
# The lunch dishes' main food group and grams per student (带量食谱), near WS/T 554's 12–14 岁 column.
LUNCH_GROUPS = {"红烧鸡块": ("meat", 24), "番茄炒蛋": ("eggs", 30), "清炒时蔬": ("vegetables", 170), "米饭": ("grains", 150),
                "紫菜蛋汤": ("eggs", 10), "土豆烧牛肉": ("meat", 22), "鱼香肉丝": ("meat", 20), "麻婆豆腐": ("soy", 40), "清蒸鱼": ("fish", 22),
                "冬瓜排骨汤": ("meat", 10)}


def _operating_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _set_up(school: Any, name: str, rng: random.Random, today: dt.date) -> tuple[Canteen, list[Staff], Fridge]:
    canteen = Canteen.objects.create(school=school, name=name, licence_no=f"JY1330{rng.randint(10**9, 10**10 - 1)}",
                                     licence_expires=dt.date(today.year + 3, 6, 30))
    Meal.objects.bulk_create([Meal(canteen=canteen, kind=MealKind.BREAKFAST, serves_at=dt.time(7, 0)),
                              Meal(canteen=canteen, kind=MealKind.LUNCH, serves_at=dt.time(11, 40), accompanied=True)])
    fridge = Fridge.objects.create(canteen=canteen, name="留样专用冰箱")
    staff = []
    for i, (person, post) in enumerate(STAFF):
        expires = today + dt.timedelta(days=rng.randint(60, 330))
        if i == 3:
            expires = today + dt.timedelta(days=18)  # due for renewal: the reminder and the home card
        if i == 7:
            expires = today - dt.timedelta(days=5)  # lapsed: cannot be recorded as on duty
        staff.append(Staff(canteen=canteen, name=person if name == NAMES[0] else rng.choice("赵钱孙李周吴郑王冯陈") + person[1:], post=post,
                           certificate_no=f"JKZ{today.year}{rng.randint(10000, 99999)}", certificate_issued=expires - dt.timedelta(days=365),
                           certificate_expires=expires))
    Staff.objects.bulk_create(staff)
    return canteen, staff, fridge


def _seed_canteen(canteen: Canteen, staff: list[Staff], fridge: Fridge, suppliers: list[Supplier], days: list[dt.date], *, manager: Any,
                  leaders: list[Any], rng: random.Random, today: dt.date) -> int:
    checks, samples, disinfections, meals, deliveries, tests, dailies, menu = [], [], [], [], [], [], [], []
    items_by_delivery: list[list[DeliveryItem]] = []
    checklist = [i.pk for i in ChecklistItem.objects.for_school(canteen.school_id).filter(is_active=True, for_kindergarten=False)]
    now = timezone.now()
    for n, day in enumerate(days):
        if rng.random() < 0.02:
            continue  # a day nobody filled in anything: red on the month grid
        checks_missing = rng.random() < 0.04
        for person in staff:
            if person.certificate_expires < day or (checks_missing and person.pk % 2):
                continue
            temp = Decimal(str(round(rng.uniform(36.1, 36.9), 1)))
            symptoms: list[int] = []
            decision = MorningCheck.Decision.ON_DUTY
            action = ""
            if rng.random() < 0.006:
                temp, symptoms, decision, action = Decimal("37.9"), [Symptom.FEVER], MorningCheck.Decision.OFF_DUTY, "调离岗位，回家休息就医"
            checks.append(MorningCheck(canteen=canteen, day=day, staff=person, temperature=temp, symptoms=symptoms, decision=decision,
                                       action=action, created_by=manager, recorded_at=_at(day, 6, 10)))
        if day == today:
            continue  # this morning: checks only, the rest is due
        for kind, dishes, hour, k in ((MealKind.BREAKFAST, BREAKFAST, 7, 2), (MealKind.LUNCH, LUNCH, 11, 4)):
            chosen = rng.sample(dishes, k)
            menu.extend(MenuDish(canteen=canteen, day=day, meal=kind, name=d, order=i,
                                 group=LUNCH_GROUPS[d][0] if kind == MealKind.LUNCH else "",
                                 grams=Decimal(LUNCH_GROUPS[d][1]) if kind == MealKind.LUNCH else None) for i, d in enumerate(chosen))
            if rng.random() > 0.015:
                taken = _at(day, hour, 50)
                expires = taken + dt.timedelta(hours=canteen.sample_hours)
                for dish in chosen:
                    destroyed = expires + dt.timedelta(hours=2) if expires + dt.timedelta(hours=2) < now else None
                    samples.append(Sample(canteen=canteen, day=day, meal=kind, dish=dish, grams=rng.choice([125, 130, 150, 150, 160]),
                                          fridge=fridge, expires_at=expires, created_by=manager, recorded_at=taken,
                                          status=Sample.Status.DESTROYED if destroyed else Sample.Status.KEPT, destroyed_at=destroyed,
                                          destroyed_by=manager if destroyed else None))
            if rng.random() > 0.02:
                off = rng.random() < 0.01
                disinfections.append(Disinfection(canteen=canteen, day=day, meal=kind, method="infrared", temperature=Decimal(110 if off else 120),
                                                  seconds=900, out_of_range=off, quantity=rng.randint(600, 900), checker="杨春梅",
                                                  created_by=manager, recorded_at=_at(day, hour + 2, 0)))
        if rng.random() > 0.08 and leaders:
            leader = rng.choice(leaders)
            meals.append(AccompaniedMeal(canteen=canteen, day=day, meal=MealKind.LUNCH, person=leader.display_name, created_by=leader,
                                         recorded_at=_at(day, 12, 20), taste=rng.choice(["excellent", "good", "good"])))
        if day.weekday() == 3:
            opinion = rng.choice(["", "饭菜口味偏咸", "希望增加水果", "分量合适，孩子满意"])
            answered = bool(opinion) and (day < today - dt.timedelta(days=14))
            meals.append(AccompaniedMeal(canteen=canteen, day=day, meal=MealKind.LUNCH, person=f"家长{rng.choice('王李张刘陈杨')}女士",
                                         role=AccompaniedMeal.Role.PARENT, opinion=opinion, created_by=manager, recorded_at=_at(day, 12, 30),
                                         feedback=("answered" if answered else "open") if opinion else "none",
                                         answer="已转告厨师长，下周调整" if answered else "", answered_at=_at(day + dt.timedelta(days=2), 9, 0) if answered else None,
                                         answered_by=manager if answered else None))
        if day.weekday() in (0, 2, 4):
            for supplier in rng.sample(suppliers[:3], 2):
                rejected = rng.random() < 0.03
                item = DeliveryItem(name=rng.choice(["青菜", "土豆", "猪肉", "大米", "鸡腿"]), spec="散装", quantity=Decimal(rng.randint(20, 120)),
                                    unit="kg", production_date=day - dt.timedelta(days=1), batch=f"{day:%m%d}{rng.randint(1, 9)}",
                                    shelf_life_days=rng.choice([3, 7, 180]), is_staple=supplier == suppliers[2])
                items_by_delivery.append([item])
                deliveries.append(Delivery(canteen=canteen, day=day, supplier=supplier, created_by=manager, recorded_at=_at(day, 6, 40),
                                           status="rejected" if rejected else "accepted", rejection_reason="包装破损、温度不达标" if rejected else "",
                                           second_acceptor="赵国平" if supplier == suppliers[2] else "",
                                           retain_until=retain_until(day, [{"production_date": item.production_date, "shelf_life_days": item.shelf_life_days}])))
            inhibition = Decimal(str(round(rng.uniform(5, 35), 1)))
            if n % 37 == 11:
                inhibition = Decimal("56.3")
            tests.append(RapidTest(canteen=canteen, day=day, sample_name=rng.choice(["青菜", "菠菜", "芹菜", "韭菜"]), supplier=suppliers[0],
                                   inhibition=inhibition, positive=inhibition >= canteen.rapid_test_limit,
                                   action="该批次拒收，已通知供应商" if inhibition >= canteen.rapid_test_limit else "", created_by=manager,
                                   recorded_at=_at(day, 7, 10)))
        if rng.random() > 0.03 and checklist:
            problem = rng.random() < 0.05
            answers = {str(pk): True for pk in checklist}
            if problem:
                answers[str(checklist[-2])] = False
            dailies.append(DailyCheck(canteen=canteen, day=day, answers=answers, all_ok=not problem,
                                      problems="粗加工间纱窗破损，已报修更换" if problem else "", created_by=manager, recorded_at=_at(day, 15, 0)))
    MorningCheck.objects.bulk_create(checks, batch_size=1000)
    Sample.objects.bulk_create(samples, batch_size=1000)
    Disinfection.objects.bulk_create(disinfections, batch_size=1000)
    AccompaniedMeal.objects.bulk_create(meals, batch_size=1000)
    made = Delivery.objects.bulk_create(deliveries, batch_size=1000)
    for delivery, items in zip(made, items_by_delivery):
        for item in items:
            item.delivery = delivery
    DeliveryItem.objects.bulk_create([i for items in items_by_delivery for i in items], batch_size=1000)
    RapidTest.objects.bulk_create(tests, batch_size=1000)
    DailyCheck.objects.bulk_create(dailies, batch_size=1000)
    MenuDish.objects.bulk_create(menu, batch_size=1000)
    return len(checks) + len(samples) + len(disinfections) + len(meals) + len(deliveries) + len(tests) + len(dailies)


@demo_seeder(order=30)
def seed(school: Any, *, size: str, stdout: Any) -> None:
    if Canteen.objects.for_school(school).exists():
        stdout.write("  canteen: canteens already")
        return
    manager = people_with_role(school, Role.CANTEEN_MANAGER).first()
    leaders = [p for role in (Role.VICE_PRINCIPAL, Role.PRINCIPAL) for p in people_with_role(school, role)[:1]]
    if manager is None:
        stdout.write("  canteen: no canteen manager; skipped")
        return
    today = timezone.localdate()
    term = Term.objects.for_school(school).current(on=today)
    start = term.start if term else today - dt.timedelta(days=90)
    if size == "large":
        start = min([t.start for t in Term.objects.for_school(school).filter(start__gte=start - dt.timedelta(days=200))] or [start])
    days = _operating_days(start, today)
    rng = random.Random(f"canteen-{school.code}")
    ChecklistItem.ensure_defaults(school)
    with transaction.atomic():
        suppliers = [Supplier(school=school, name=n, products=p, licence_no=f"JY2330{rng.randint(10**9, 10**10 - 1)}",
                              licence_expires=today + dt.timedelta(days=rng.randint(200, 900)), contact="业务员", phone="0571-8888" + f"{rng.randint(1000, 9999)}")
                     for n, p in SUPPLIERS]
        Supplier.objects.bulk_create(suppliers)
        dropped = Supplier.objects.create(school=school, name="某某副食品商行", products="调味品")
        supplier_drop(supplier=dropped, reason="营业执照过期且未及时更新", by=manager, day=min(start + dt.timedelta(days=30), today))
        total = 0
        for name in NAMES[: 3 if size == "large" else 1]:
            canteen, staff, fridge = _set_up(school, name, rng, today)
            total += _seed_canteen(canteen, staff, fridge, suppliers, days, manager=manager, leaders=leaders, rng=rng, today=today)
        # The notable ones through the service: each becomes a 工作纪事 entry by rule.
        event_record(school=school, day=min(start + dt.timedelta(days=20), today), kind=Event.Kind.TRAINING, by=manager,
                     title="开展全体食堂从业人员食品安全知识培训", people_count=len(STAFF))
        event_record(school=school, day=min(start + dt.timedelta(days=45), today), kind=Event.Kind.BUREAU_INSPECTION, by=manager,
                     title="迎接区市场监管局学校食堂专项检查", summary="检查组抽查了进货查验、留样和晨检记录，未发现问题。")
        events = [Event(school=school, day=d, kind=Event.Kind.WEEKLY_REVIEW, title="每周食品安全排查", created_by=manager)
                   for d in days if d.weekday() == 4 and d < today]
        events += [Event(school=school, day=d, kind=Event.Kind.MONTHLY_MEETING, title="月度食品安全调度会", people_count=5, created_by=manager)
                   for d in days if d.day <= 7 and d.weekday() == 1]
        Event.objects.bulk_create([e for e in events if e.day <= today])
    stdout.write(f"  canteen: {total} records")
