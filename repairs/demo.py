"""Demo repair tickets: a plausible term for the demo school (small), or 50,000 tickets (large).

Tickets are simulated, not pushed through the services: each one walks the workflow (dispatch,
start, done, acceptance, closing) with realistic delays until "now" stops it, and gets the audit
entries and materials it would have had. Everything is written with bulk_create, so the large size
takes seconds, not hours. Idempotent: it only tops the school up to the wanted number of tickets.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from logistics.audit import AuditEntry
from logistics.demo import demo_seeder
from logistics.models import Membership, Role, Room, Term

from repairs.models import Category, CommonMaterial, Material, RepairSettings, Status, Ticket, TicketCounter, Urgency

SIZES = {"small": 300, "large": 50_000}
PREVIOUS_TERM_TICKETS = 260

# What a material costs (unit, yuan): the lines the simulated repairers record.
MATERIALS: dict[str, tuple[str, str]] = {
    "LED灯管1.2米": ("支", "18.00"), "镇流器": ("个", "25.00"), "LED吸顶灯": ("个", "45.00"), "开关面板": ("个", "12.00"),
    "插座面板": ("个", "15.00"), "空气开关32A": ("个", "45.00"), "BV2.5电线": ("米", "3.50"), "吊扇": ("台", "180.00"),
    "电容": ("只", "8.00"), "水龙头": ("个", "35.00"), "角阀": ("个", "18.00"), "进水软管": ("根", "12.00"), "冲水阀": ("套", "60.00"),
    "生料带": ("卷", "2.00"), "门锁": ("把", "65.00"), "合页": ("个", "8.00"), "闭门器": ("个", "85.00"), "玻璃": ("平方米", "60.00"),
    "玻璃胶": ("支", "15.00"), "螺丝": ("盒", "6.00"), "课桌椅配件": ("套", "25.00"), "门吸": ("个", "10.00"), "门插销": ("个", "8.00"),
    "纱窗网": ("平方米", "20.00"), "空调电容": ("只", "25.00"), "空调遥控器": ("个", "30.00"), "冷媒R410A": ("千克", "60.00"),
    "排水管": ("米", "6.00"), "超五类网线": ("米", "2.50"), "水晶头": ("个", "1.00"), "HDMI线": ("根", "35.00"),
    "投影灯泡": ("个", "380.00"), "音箱线": ("米", "3.00"), "地漏": ("个", "25.00"), "PVC管50mm": ("米", "12.00"),
    "疏通剂": ("瓶", "15.00"), "腻子粉": ("袋", "35.00"), "乳胶漆": ("桶", "280.00"), "防水涂料": ("桶", "180.00"), "瓷砖": ("片", "12.00"),
    "石膏吊顶板": ("块", "15.00"), "篮球网": ("个", "20.00"), "乒乓球网架": ("副", "45.00"), "防锈漆": ("桶", "90.00"),
    "球门网": ("张", "120.00"), "窗帘挂钩": ("包", "10.00"),
}
# The school's pick list (CommonMaterial), in the order a repairer reaches for them.
COMMON_MATERIALS = ["LED灯管1.2米", "镇流器", "LED吸顶灯", "开关面板", "插座面板", "空气开关32A", "BV2.5电线", "水龙头", "角阀", "进水软管",
                    "冲水阀", "生料带", "门锁", "合页", "闭门器", "玻璃胶", "螺丝", "超五类网线", "水晶头"]

# Where a fault can happen: a room's use, from its kind (and, outdoors, its name: a basketball
# court has a hoop, a pump house has a pump).
CLASSROOM, OFFICE, LAB, FUNCTION, DORM, CANTEEN, STORE, TOILET, CORRIDOR, SPORTS, GROUNDS, OTHER = (
    "classroom", "office", "lab", "function", "dormitory", "canteen", "warehouse", "toilet", "corridor", "sports", "grounds", "other")
TEACHING = {CLASSROOM, LAB, FUNCTION}
INDOOR = TEACHING | {OFFICE, DORM, CANTEEN, STORE}


def room_use(kind: str, name: str) -> str:
    if kind == "outdoor":
        return SPORTS if name.endswith("场") else GROUNDS
    return kind


# category: (weight, [(description, uses, materials, only rooms whose name holds one of these)])
Fault = tuple[str, set[str], list[str], tuple[str, ...]]
FAULTS: dict[str, tuple[int, list[Fault]]] = {
    "电": (24, [
        ("教室日光灯不亮，闪烁严重", {CLASSROOM}, ["LED灯管1.2米", "镇流器"], ()),
        ("顶灯有两支灯管不亮", {OFFICE, LAB, FUNCTION, DORM, STORE, CANTEEN}, ["LED灯管1.2米", "镇流器"], ()),
        ("卫生间顶灯不亮", {TOILET}, ["LED吸顶灯"], ()),
        ("插座没电，多媒体无法使用", {CLASSROOM, FUNCTION}, ["插座面板"], ()),
        ("墙上插座没电，电脑插不上", {OFFICE, LAB}, ["插座面板"], ()),
        ("宿舍插座没电，充电器充不了电", {DORM}, ["插座面板"], ()),
        ("开关面板松动，按下没反应", INDOOR | {TOILET}, ["开关面板"], ()),
        ("空气开关频繁跳闸", {CLASSROOM, OFFICE, LAB, DORM, CANTEEN}, ["空气开关32A", "BV2.5电线"], ()),
        ("门口走廊的感应灯不亮", {CLASSROOM, OFFICE, DORM, CORRIDOR}, ["LED吸顶灯"], ()),
        ("吊扇转速很慢还有异响", {CLASSROOM, DORM, CANTEEN}, ["电容", "吊扇"], ()),
        ("路灯不亮，晚上很黑", {SPORTS, GROUNDS}, ["BV2.5电线"], ()),
        ("配电房排风扇不转", {GROUNDS}, ["电容"], ("配电",)),
    ]),
    "水": (14, [
        ("卫生间水龙头关不紧，一直滴水", {TOILET, DORM}, ["水龙头", "生料带"], ()),
        ("洗手池下水管漏水", {TOILET, DORM}, ["进水软管", "生料带"], ()),
        ("饮水机出水很慢", {CLASSROOM, OFFICE}, [], ()),
        ("拖把池水龙头坏了", {TOILET}, ["水龙头"], ()),
        ("小便池冲水阀不出水", {TOILET}, ["冲水阀"], ()),
        ("角阀漏水，地上一摊水", {TOILET, DORM, CANTEEN}, ["角阀", "生料带"], ()),
        ("实验台水龙头漏水", {LAB}, ["水龙头", "角阀"], ("实验室",)),
        ("洗碗池龙头关不严", {CANTEEN}, ["水龙头", "角阀"], ()),
        ("室外水龙头被撞坏，漏水不止", {SPORTS, GROUNDS}, ["水龙头", "生料带"], ()),
        ("水泵房水泵有异响，楼上水压低", {GROUNDS}, [], ("水泵",)),
    ]),
    "门窗/木工": (18, [
        ("教室前门门锁坏了，锁不上", {CLASSROOM}, ["门锁"], ()),
        ("办公室门锁打不开，钥匙转不动", {OFFICE}, ["门锁"], ()),
        ("宿舍门锁坏了，锁不上", {DORM}, ["门锁"], ()),
        ("窗户合页断了，关不严", {CLASSROOM, OFFICE, LAB, FUNCTION, DORM}, ["合页", "螺丝"], ()),
        ("课桌桌腿松动", {CLASSROOM}, ["课桌椅配件", "螺丝"], ()),
        ("椅子靠背断裂", {CLASSROOM, FUNCTION}, ["课桌椅配件"], ()),
        ("上下铺床梯松动", {DORM}, ["螺丝"], ()),
        ("衣柜门掉了", {DORM}, ["合页", "螺丝"], ()),
        ("门吸脱落", {CLASSROOM, OFFICE, DORM, FUNCTION}, ["门吸"], ()),
        ("闭门器漏油，门关得很重", {OFFICE, FUNCTION, CANTEEN, CORRIDOR}, ["闭门器"], ()),
        ("窗户玻璃有裂纹", {CLASSROOM, OFFICE, LAB, DORM}, ["玻璃", "玻璃胶"], ()),
        ("隔间门插销坏了，关不上", {TOILET}, ["门插销"], ()),
        ("纱窗破了，有蚊虫飞进来", {CANTEEN, DORM}, ["纱窗网"], ()),
        ("仓库门锁锈住了，钥匙拧不动", {STORE}, ["门锁"], ()),
        ("门卫室窗户关不严", {GROUNDS}, ["合页"], ("门卫",)),
    ]),
    "空调/电器": (12, [
        ("空调不制冷，出风是热的", {CLASSROOM, OFFICE, LAB, FUNCTION, DORM}, ["冷媒R410A", "空调电容"], ()),
        ("空调遥控器失灵", {CLASSROOM, OFFICE, LAB, FUNCTION, DORM}, ["空调遥控器"], ()),
        ("空调室外机噪音很大", {CLASSROOM, OFFICE, FUNCTION, DORM}, ["空调电容"], ()),
        ("空调漏水滴到讲台上", {CLASSROOM}, ["排水管"], ()),
        ("空调漏水滴到办公桌上", {OFFICE}, ["排水管"], ()),
        ("热水器不出热水", {DORM}, [], ()),
        ("消毒柜不加热", {CANTEEN}, [], ()),
        ("冷藏柜温度降不下来", {CANTEEN}, [], ()),
    ]),
    "网络/多媒体": (12, [
        ("投影仪画面发黄偏暗", {CLASSROOM, LAB, FUNCTION}, ["投影灯泡"], ()),
        ("电子白板触摸不灵", {CLASSROOM}, [], ()),
        ("教室音箱没声音", {CLASSROOM}, ["音箱线"], ()),
        ("一体机开不了机", {CLASSROOM, FUNCTION}, ["HDMI线"], ()),
        ("办公室网络断了", {OFFICE}, ["超五类网线", "水晶头"], ()),
        ("网口松动，电脑时断时通", {OFFICE, LAB}, ["水晶头", "超五类网线"], ()),
        ("无线网络信号很差", {OFFICE, FUNCTION}, [], ()),
        ("门卫室监控画面黑屏", {GROUNDS}, ["超五类网线", "水晶头"], ("门卫",)),
        ("广播喇叭没声音", {SPORTS, CANTEEN}, ["音箱线"], ()),
    ]),
    "管道/下水": (8, [
        ("卫生间地漏堵塞，地面积水", {TOILET, DORM}, ["地漏"], ()),
        ("蹲便器堵了", {TOILET}, ["疏通剂"], ()),
        ("食堂下水道反味", {CANTEEN}, ["PVC管50mm"], ()),
        ("洗菜池下水堵了", {CANTEEN}, ["疏通剂"], ("操作", "加工")),
        ("实验室水槽下水慢", {LAB}, ["疏通剂", "PVC管50mm"], ("实验室",)),
        ("排水沟堵了，下雨积水", {SPORTS, GROUNDS}, [], ()),
    ]),
    "墙面/屋顶": (6, [
        ("教室墙面受潮起皮", {CLASSROOM}, ["腻子粉", "乳胶漆"], ()),
        ("墙面受潮发霉起皮", {OFFICE, DORM, STORE, FUNCTION}, ["腻子粉", "乳胶漆"], ()),
        ("屋顶漏雨，天花板有水渍", {CLASSROOM, OFFICE, LAB, FUNCTION, DORM}, ["防水涂料"], ()),
        ("黑板上方墙皮脱落", {CLASSROOM}, ["腻子粉"], ()),
        ("门口地砖空鼓翘起", {CLASSROOM, OFFICE, DORM, CORRIDOR}, ["瓷砖"], ()),
        ("卫生间墙砖脱落", {TOILET}, ["瓷砖"], ()),
        ("操作间墙砖开裂", {CANTEEN}, ["瓷砖"], ("操作",)),
        ("吊顶板掉了一块", {OFFICE, CLASSROOM, CANTEEN, FUNCTION}, ["石膏吊顶板"], ()),
    ]),
    "体育设施": (4, [
        ("篮球架篮网破了", {SPORTS}, ["篮球网"], ("篮球",)),
        ("乒乓球台台面开裂", {SPORTS}, ["乒乓球网架"], ()),
        ("单杠立柱有锈蚀松动", {SPORTS}, ["防锈漆"], ("田径",)),
        ("足球门网破损", {SPORTS}, ["球门网"], ("田径",)),
    ]),
    "其他": (2, [
        ("窗帘轨道脱落", {CLASSROOM, OFFICE, FUNCTION, DORM}, ["窗帘挂钩", "螺丝"], ()),
        ("公告栏玻璃破损", {GROUNDS}, ["玻璃", "玻璃胶"], ("校门",)),
        ("车棚顶棚有一块板被风掀开", {GROUNDS}, ["螺丝"], ("车棚",)),
        ("垃圾桶盖子坏了", {GROUNDS, SPORTS, CANTEEN}, [], ()),
    ]),
}
# A school's own category (added in the admin) gets a neutral text that fits anywhere.
ANY_FAULT: Fault = ("需要维修", INDOOR | {TOILET, CORRIDOR, SPORTS, GROUNDS, OTHER}, ["螺丝"], ())


def fits(fault: Fault, kind: str, room_name: str) -> bool:
    """Can this fault happen in a room of this kind and name?"""
    _text, uses, _materials, where = fault
    return room_use(kind, room_name) in uses and (not where or any(w in room_name for w in where))


def descriptions_for(category: str, kind: str, room_name: str) -> set[str]:
    """Every description the demo may give a ticket of this category in this room."""
    faults = FAULTS[category][1] if category in FAULTS else [ANY_FAULT]
    return {f[0] for f in faults if fits(f, kind, room_name)}


CONTRACTORS = ["新城区格力空调特约维修站", "城建防水工程有限公司", "华数网络服务中心", "安居门窗加工厂"]
COMMENTS = ["修得很快，谢谢王师傅", "已修好", "", "", "服务态度好", "还可以", "比较及时"]
REJECT_REASONS = ["灯还是会闪", "还在滴水", "门锁还是有点卡"]


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(low, high))


def _school_time(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in school hours (weekdays 7:30–17:30, a few at other times)."""
    span = (end - start).total_seconds()
    tz = timezone.get_current_timezone()
    for _attempt in range(10):
        moment = (start + dt.timedelta(seconds=rng.uniform(0, span))).astimezone(tz)
        if (moment.weekday() < 5 and 7.5 <= moment.hour + moment.minute / 60 <= 17.5) or rng.random() < 0.05:
            return moment
    return moment


@demo_seeder(order=20)
def seed(school: Any, *, size: str, stdout: Any) -> None:
    Category.ensure_defaults(school)
    CommonMaterial.objects.bulk_create(
        [CommonMaterial(school=school, name=name, unit=MATERIALS[name][0], unit_price=Decimal(MATERIALS[name][1]), order=(i + 1) * 10)
         for i, name in enumerate(COMMON_MATERIALS)],
        ignore_conflicts=True,
    )
    started = timezone.now()
    term = Term.objects.for_school(school).current()
    previous = term.previous() if term else None
    tickets = Ticket.objects.for_school(school)
    if size == "small" and previous and not tickets.filter(submitted_at__date__lte=previous.end).exists():
        # Last term too, all of it settled, so the term report has something to compare with.
        day = dt.time(8)
        made = generate(school, count=PREVIOUS_TERM_TICKETS, seed=20260223, every_status=False,
                        start=timezone.make_aware(dt.datetime.combine(previous.start, day)),
                        now=timezone.make_aware(dt.datetime.combine(previous.end, dt.time(18))))
        stdout.write(f"  repairs: {made} tickets for {previous.label}")
    if size == "small" and term:
        tickets = tickets.filter(submitted_at__date__gte=term.start)
    wanted = SIZES.get(size, SIZES["small"])
    have = tickets.count()
    if have >= wanted:
        stdout.write(f"  repairs: {have} tickets already")
        return
    made = generate(school, count=wanted - have, seed=20260901 + have, size=size)
    if connection.vendor == "postgresql":
        # After a bulk load: fresh planner statistics (or PostgreSQL plans the list for 67 rows, not
        # 50,000) and a visibility map (so deep pages are index-only scans). Runs after commit:
        # VACUUM cannot run inside a transaction.
        transaction.on_commit(_analyze)
    stdout.write(f"  repairs: {made} tickets added ({wanted} in all) in {(timezone.now() - started).total_seconds():.1f}s")


@transaction.atomic
def generate(school: Any, *, count: int, seed: int = 1, size: str = "small", now: dt.datetime | None = None,
             start: dt.datetime | None = None, every_status: bool = True) -> int:
    rng = random.Random(seed)
    now = now or timezone.now()
    sla = RepairSettings.for_school(school)
    categories = {c.name: c for c in Category.objects.for_school(school)}
    rooms = list(Room.objects.for_school(school).filter(is_active=True).values_list("pk", "building_id", "kind", "name"))
    # Each fault with the rooms it can happen in; a category without such a room is left out.
    places: dict[str, list[tuple[Fault, list[tuple[int, int]]]]] = {}
    for name in categories:
        for fault in FAULTS[name][1] if name in FAULTS else [ANY_FAULT]:
            where = [(pk, building) for pk, building, kind, room_name in rooms if fits(fault, kind, room_name)]
            if where:
                places.setdefault(name, []).append((fault, where))
    names = [n for n in FAULTS if n in places] or list(places)
    weights = [FAULTS[n][0] if n in FAULTS else 1 for n in names]
    members = Membership.objects.for_school(school).active()
    people = list(members.values_list("user_id", flat=True))
    repairers = list(members.with_role(Role.REPAIRER).values_list("user_id", flat=True)) or people[:1]
    office = list(members.with_role(Role.LOGISTICS_ADMIN).values_list("user_id", flat=True)) or people[:1]
    phones = dict(members.values_list("user_id", "user__phone"))
    usernames = dict(members.values_list("user__username", "user_id"))
    demo_teacher, demo_repairer = usernames.get("teacher"), usernames.get("repairer")
    if not names or not people:
        return 0

    term = Term.objects.for_school(school).current()
    if start is None and size == "large":
        start = now - dt.timedelta(days=730)
    elif start is None:
        start = timezone.make_aware(dt.datetime.combine(term.start, dt.time(8))) if term and term.start < now.date() else now - dt.timedelta(days=120)
    start = min(start, now - dt.timedelta(days=7))

    content_type = ContentType.objects.get_for_model(Ticket)

    def make(submitted: dt.datetime, stop: str | None = None) -> tuple[Ticket, dict[str, Any]]:
        name = rng.choices(names, weights)[0]
        (description, _uses, fault_materials, _where), where = rng.choice(places[name])
        room_id, building_id = rng.choice(where)
        urgency = rng.choices([Urgency.URGENT, Urgency.NORMAL, Urgency.LOW], [12, 68, 20])[0]
        reporter = demo_teacher if demo_teacher and rng.random() < 0.08 else rng.choice(people)
        t = Ticket(
            school=school, number="", reporter_id=reporter, reporter_phone=phones.get(reporter) or "", room_id=room_id,
            building_id=building_id, category=categories[name], description=description, urgency=urgency,
            submitted_at=submitted, due_at=sla.due_at(submitted, urgency),
        )
        plan: dict[str, Any] = {"events": [("repairs.ticket.submitted", "", Status.SUBMITTED, reporter, submitted, t.description, {})],
                                "materials": []}
        catalogue = [(m, *MATERIALS[m]) for m in fault_materials]
        _walk(rng, t, plan, catalogue, now=now, repairers=repairers, office=office, demo_repairer=demo_repairer, stop=stop)
        return t, plan

    made = [make(_school_time(rng, start, now - dt.timedelta(minutes=5))) for _i in range(count)]
    if size == "small" and every_status:
        # A demo shows every state: make sure the last days hold at least two tickets of each.
        for status in Status.values:
            missing = 2 - sum(1 for t, _p in made if t.status == status)
            for _i in range(max(missing, 0)):
                if len(made) < 2:
                    break
                made[rng.randrange(len(made))] = make(now - dt.timedelta(hours=rng.uniform(40, 120)), stop=status)
    tickets = [t for t, _p in made]
    plans = [p for _t, p in made]

    # Numbers in order of submission, continuing each year's counter.
    order = sorted(range(len(tickets)), key=lambda k: tickets[k].submitted_at)
    counters = {c.year: c for c in TicketCounter.objects.filter(school=school)}
    for k in order:
        year = timezone.localtime(tickets[k].submitted_at).year
        counter = counters.get(year) or counters.setdefault(year, TicketCounter(school=school, year=year, last=0))
        counter.last += 1
        tickets[k].number = f"BX{year}-{counter.last:06d}"
    for counter in counters.values():
        if counter.pk:
            TicketCounter.objects.filter(pk=counter.pk).update(last=counter.last)
        else:
            counter.save()

    stamp = timezone.now()
    for t in tickets:
        t.updated_at = stamp
    ticket_fields = [f.name for f in Ticket._meta.concrete_fields if not f.primary_key]
    _insert(Ticket, ticket_fields, ([getattr(t, Ticket._meta.get_field(f).attname) for f in ticket_fields] for t in tickets))
    ids = dict(Ticket.objects.for_school(school).values_list("number", "pk"))
    for t in tickets:
        t.pk = t.id = ids[t.number]
    # Duplicates are merged into an earlier ticket of the batch (their targets need ids first).
    merged = [k for k, p in enumerate(plans) if p.get("merge") and k > 0]
    for k in merged:
        t = tickets[k]
        t.merged_into_id, t.closed_at = tickets[k - 1].pk, t.cancelled_at
        t.status, t.cancelled_at, t.cancel_reason = Status.MERGED, None, ""
        plans[k]["events"][-1] = ("repairs.ticket.merged", Status.SUBMITTED, Status.MERGED, office[0], t.closed_at, tickets[k - 1].number,
                                  {"into": tickets[k - 1].pk})
    Ticket.objects.bulk_update([tickets[k] for k in merged], ["status", "merged_into", "closed_at", "cancelled_at", "cancel_reason"])

    def audit_rows() -> Any:
        for t, plan in zip(tickets, plans):
            for action, before, after, actor, at, note, data in plan["events"]:
                yield (school.pk, content_type.pk, t.pk, action, before, after, actor, note, data, at)

    def material_rows() -> Any:
        for t, plan in zip(tickets, plans):
            if t.status in (Status.DISPATCHED, Status.SUBMITTED):
                continue
            for name, quantity, unit, cost in plan["materials"]:
                yield (t.pk, name, quantity, unit, cost, t.assignee_id or office[0], t.done_at or t.started_at or t.submitted_at)

    _insert(AuditEntry, ["school", "content_type", "object_id", "action", "from_state", "to_state", "actor", "note", "data", "at"], audit_rows())
    _insert(Material, ["ticket", "name", "quantity", "unit", "unit_cost", "added_by", "added_at"], material_rows())
    return len(tickets)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE repairs_ticket, repairs_material, logistics_auditentry")


def _insert(model: Any, names: list[str], rows: Any, *, batch: int = 5000) -> None:
    """INSERT rows with executemany, skipping model instances: the ORM's per-object work made the
    large demo (≈400,000 rows) take minutes; this takes seconds. Values are converted per column
    type the way the backend expects (datetimes, JSON)."""
    fields = [model._meta.get_field(n) for n in names]
    sqlite = connection.vendor == "sqlite"
    converters: list[Any] = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField" and sqlite:
            # What Django's SQLite backend stores: naive UTC in ISO format (adapt_datetimefield_value, minus its overhead).
            converters.append(lambda v: v.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" "))
        elif kind == "DateTimeField":
            converters.append(None)  # psycopg adapts aware datetimes itself
        elif kind == "JSONField":
            empty = f.get_db_prep_save({}, connection)
            converters.append(lambda v, f=f, empty=empty: f.get_db_prep_save(v, connection) if v else empty)
        else:
            converters.append(None)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path: several times faster than executemany for 350,000 rows.
        copy_sql = "COPY {} ({}) FROM STDIN".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([c(v) if c is not None and v is not None else v for c, v in zip(converters, row)])
        return
    pending: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            pending.append([c(v) if c is not None and v is not None else v for c, v in zip(converters, row)])
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)


def _walk(rng: random.Random, t: Ticket, plan: dict[str, Any], catalogue: list, *, now: dt.datetime, repairers: list[int],
          office: list[int], demo_repairer: int | None, stop: str | None = None) -> None:
    """Advance `t` through the workflow with plausible delays, stopping at the first step after now
    (or once it reaches the status `stop`)."""
    events, materials = plan["events"], plan["materials"]
    speed = {Urgency.URGENT: 0.15, Urgency.NORMAL: 1.0, Urgency.LOW: 2.5}[t.urgency]
    at = t.submitted_at

    def step(delay: dt.timedelta) -> bool:
        nonlocal at
        if at + delay > now:
            return False
        at = at + delay
        return True

    # A few are duplicates or withdrawn before anyone acts.
    roll = rng.random()
    if stop in (Status.CANCELLED, Status.MERGED) or (stop is None and roll < 0.03):
        if step(_hours(rng, 0.2, 6)):
            t.status, t.cancelled_at, t.cancel_reason = Status.CANCELLED, at, rng.choice(["报错了房间", "已自行解决", "重复报修"])
            plan["merge"] = stop == Status.MERGED or (stop is None and roll < 0.01)
            events.append(("repairs.ticket.cancelled", Status.SUBMITTED, Status.CANCELLED, t.reporter_id, at, t.cancel_reason, {}))
        return
    if stop == Status.SUBMITTED or not step(_hours(rng, 0.1, 6) * speed):
        return
    dispatcher = rng.choice(office)
    if rng.random() < 0.05:
        t.contractor = rng.choice(CONTRACTORS)
    else:
        t.assignee_id = demo_repairer if demo_repairer and rng.random() < 0.45 else rng.choice(repairers)
    t.status, t.dispatched_at, t.dispatched_by_id = Status.DISPATCHED, at, dispatcher
    events.append(("repairs.ticket.dispatched", Status.SUBMITTED, Status.DISPATCHED, dispatcher, at, t.contractor, {}))
    worker = t.assignee_id or dispatcher
    stuck = rng.random() < 0.04  # waiting for parts: these become the overdue ones
    if stop == Status.DISPATCHED or not step(_hours(rng, 0.2, 10) * speed * (8 if stuck else 1)):
        return
    t.status, t.started_at = Status.IN_PROGRESS, at
    events.append(("repairs.ticket.started", Status.DISPATCHED, Status.IN_PROGRESS, worker, at, "", {}))
    for _line in range(rng.choice([0, 1, 1, 1, 2]) if catalogue else 0):
        name, unit, cost = rng.choice(catalogue)
        quantity = Decimal(rng.choice([1, 1, 1, 2, 2, 3, 4, 6])) if unit not in ("米", "千克", "平方米") else Decimal(rng.randint(2, 30)) / 2
        materials.append((name, quantity, unit, Decimal(cost)))
    if stop == Status.IN_PROGRESS or not step(_hours(rng, 0.3, 6) * speed * (10 if stuck else 1)):
        return
    t.labour_hours = Decimal(rng.choice(["0.5", "1.0", "1.0", "1.5", "2.0", "3.0", "4.0"]))
    if t.contractor:
        t.contractor_cost = Decimal(rng.randint(200, 3000))
    t.status, t.done_at, t.work_summary = Status.DONE, at, "已修复"
    for name, quantity, unit, _cost in materials:
        events.append(("repairs.ticket.material_added", Status.IN_PROGRESS, Status.IN_PROGRESS, worker, at, f"{name} {quantity.normalize():f}{unit}", {}))
    events.append(("repairs.ticket.done", Status.IN_PROGRESS, Status.DONE, worker, at, t.work_summary, {}))
    if stop == Status.DONE:
        return
    if (stop == Status.REJECTED or rng.random() < 0.05) and step(_hours(rng, 1, 24)):
        reason = rng.choice(REJECT_REASONS)
        t.status, t.done_at, t.reject_count = Status.REJECTED, None, 1
        events.append(("repairs.ticket.rejected", Status.DONE, Status.REJECTED, t.reporter_id, at, reason, {}))
        if stop == Status.REJECTED or not step(_hours(rng, 1, 24)):
            return
        t.status = Status.IN_PROGRESS
        events.append(("repairs.ticket.started", Status.REJECTED, Status.IN_PROGRESS, worker, at, "", {}))
        if not step(_hours(rng, 0.5, 8)):
            return
        t.status, t.done_at = Status.DONE, at
        events.append(("repairs.ticket.done", Status.IN_PROGRESS, Status.DONE, worker, at, "已返修", {}))
    auto = rng.random() < 0.15 and stop is None
    if not step(dt.timedelta(days=3) if auto else _hours(rng, 0.5, 60)):
        return
    t.status, t.accepted_at, t.auto_accepted = Status.ACCEPTED, at, auto
    if auto:
        events.append(("repairs.ticket.accepted", Status.DONE, Status.ACCEPTED, None, at, "超过验收期限，系统自动验收", {"auto": True}))
    else:
        t.rating = rng.choices([5, 4, 3, 2], [60, 28, 9, 3])[0]
        t.rating_comment = rng.choice(COMMENTS)
        events.append(("repairs.ticket.accepted", Status.DONE, Status.ACCEPTED, t.reporter_id, at, t.rating_comment, {"rating": t.rating}))
    if stop == Status.ACCEPTED or not step(_hours(rng, 12, 240)):
        return
    t.status, t.closed_at = Status.CLOSED, at
    events.append(("repairs.ticket.closed", Status.ACCEPTED, Status.CLOSED, t.dispatched_by_id, at, "", {}))


def latest_number(school: Any) -> str | None:
    return Ticket.objects.for_school(school).aggregate(n=Max("number"))["n"]


@demo_seeder(order=35)  # after the asset demo has filled the consumables store
def seed_store_materials(school: Any, *, size: str, stdout: Any) -> None:
    """This morning two lights went out; the repairer took LED tubes from the store for them, as the
    ticket page offers: the 出入库 ledger names the tickets and the term's material costs include them
    at the store's cost. Through the services, as the people would."""
    from assets.services.stock import repair_stock_rows
    from logistics.models import Membership, Role, Room
    from repairs.services import ticket_add_stock_material, ticket_dispatch, ticket_start, ticket_submit

    if Material.objects.filter(ticket__school=school, stock_item__isnull=False).exists():
        return
    tubes = repair_stock_rows(school).filter(item__name="LED灯管").first()
    office = Membership.objects.for_school(school).with_role(Role.LOGISTICS_ADMIN).select_related("user").first()
    repairer = Membership.objects.for_school(school).with_role(Role.REPAIRER).select_related("user").order_by("pk").first()
    reporter = Membership.objects.for_school(school).with_role(Role.STAFF).exclude(roles__name=Role.REPAIRER).select_related("user").order_by("pk").last()
    category = Category.objects.filter(school=school, name="电").first()
    if not (tubes and office and repairer and reporter and category):
        return
    lights = [("教室日光灯不亮，闪烁严重", Room.Kind.CLASSROOM, Decimal("2")), ("顶灯有两支灯管不亮", Room.Kind.OFFICE, Decimal("2"))]
    for text, kind, quantity in lights:
        room = Room.objects.for_school(school).filter(kind=kind, is_active=True).order_by("-pk").first()
        ticket = ticket_submit(school=school, reporter=reporter.user, room=room, category=category, description=text)
        ticket = ticket_dispatch(ticket=ticket, by=office.user, repairer=repairer.user)
        ticket = ticket_start(ticket=ticket, by=repairer.user)
        ticket_add_stock_material(ticket=ticket, by=repairer.user, stock=tubes, quantity=quantity)
    stdout.write(f"  repairs: {len(lights)} lights reported this morning, mended with LED tubes from the store")
