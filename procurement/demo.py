"""Demo requisitions: a term of requests in every state for the demo school (small), or 20,000 (large).

Requests are simulated, not pushed through the services: each one walks the approval chain of its
tier (the demo accounts logistics → vice → principal) with realistic delays until "now" stops it,
and is bought and accepted when it got that far. Written with bulk_create, so the large size takes
seconds. Acceptances made here are recorded on the procurement side only; the one purchase of the
demo term that went through the real services (8 projectors) is on the asset ledger with its cards.
Idempotent: it only tops the school up to the wanted number of requests.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from logistics.demo import demo_seeder
from logistics.models import Membership, Role, Term, User

from procurement.models import (
    Acceptance, AcceptanceLine, AcceptanceMember, ApprovalStep, ApprovalTier, BudgetLine, CatalogueItem, Method, Requisition,
    RequisitionCounter, RequisitionLine, Status, StepKind, StepStatus,
)

SIZES = {"small": 60, "large": 20_000}
CENT = Decimal("0.01")

# (item, spec, unit, unit price, fixed asset, asset class code, usual quantity)
ITEMS = [
    ("投影机", "5000流明 1080P", "台", "4300.00", True, "A02020200", (2, 8)),
    ("台式计算机", "i5/16G/512G", "台", "4800.00", True, "A02010105", (2, 20)),
    ("激光打印机", "A4黑白", "台", "1450.00", True, "A02021000", (1, 4)),
    ("触控一体机", "86英寸", "台", "12800.00", True, "A02020700", (1, 3)),
    ("学生课桌椅", "可升降", "套", "380.00", True, "A05010203", (20, 60)),
    ("空调", "1.5匹 一级能效", "台", "3200.00", True, "A02061504", (1, 6)),
    ("A4复印纸", "70g 500张", "包", "23.50", False, "", (20, 100)),
    ("粉笔", "无尘 白色", "盒", "6.00", False, "", (20, 200)),
    ("LED灯管", "1.2米 18W", "支", "18.00", False, "", (20, 120)),
    ("篮球", "7号 室外", "个", "120.00", False, "", (10, 40)),
    ("实验试剂", "化学分组实验", "套", "260.00", False, "", (2, 10)),
    ("消毒液", "84 5L", "桶", "45.00", False, "", (10, 40)),
]
PURPOSES = ["多媒体教室设备更新", "办公室日常办公用品", "体育课器材补充", "化学实验室分组实验", "初一新生教室课桌椅", "教室照明维修更换",
            "校园疫病防控消毒", "计算机教室电脑更新", "期末考试用纸", "行政楼空调更换"]
BUDGETS = [("B01", "公用经费-办公费", "150000"), ("B02", "教学设备购置", "1200000"), ("B03", "维修(护)费", "300000"),
           ("B04", "体育卫生专项", "120000")]
CATALOGUE = ["台式计算机", "便携式计算机", "激光打印机", "复印机", "投影机", "触控一体机"]
SUPPLIERS = ["华信科技有限公司", "明达电子商贸", "天元办公用品", "恒通教学设备", "利民五金"]


def _ensure_setup(school: Any, years: set[int]) -> dict[int, list[BudgetLine]]:
    ApprovalTier.ensure_defaults(school)
    CatalogueItem.objects.bulk_create([CatalogueItem(school=school, name=n) for n in CATALOGUE], ignore_conflicts=True)
    BudgetLine.objects.bulk_create(
        [BudgetLine(school=school, year=y, code=c, name=n, amount=Decimal(a)) for y in years for c, n, a in BUDGETS], ignore_conflicts=True
    )
    out: dict[int, list[BudgetLine]] = {}
    for line in BudgetLine.objects.for_school(school).filter(year__in=years):
        out.setdefault(line.year, []).append(line)
    return out


@demo_seeder(order=45)
def seed(school: Any, *, size: str, stdout: Any) -> None:
    started = timezone.now()
    term = Term.objects.for_school(school).current()
    wanted = SIZES.get(size, SIZES["small"])
    have = Requisition.objects.for_school(school).count()
    if have >= wanted:
        stdout.write(f"  procurement: {have} requests already")
        return
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(term.start, dt.time(8))) if term and size == "small" else now - dt.timedelta(days=730)
    made = generate(school, count=wanted - have, seed=20260901 + have, start=start, now=now)
    if size == "small" and not have:
        _through_the_services(school, stdout)
    stdout.write(f"  procurement: {made} requests added ({wanted} in all) in {(timezone.now() - started).total_seconds():.1f}s")


def _people(school: Any) -> tuple[dict[str, User], list[User]]:
    named = {u.username: u for u in User.objects.filter(username__in=["teacher", "logistics", "vice", "principal", "finance"],
                                                        memberships__school=school)}
    staff = list(User.objects.filter(pk__in=Membership.objects.for_school(school).active().values("user_id")).order_by("pk")[:60])
    return named, staff


@transaction.atomic
def generate(school: Any, *, count: int, seed: int = 1, start: dt.datetime, now: dt.datetime) -> int:
    rng = random.Random(seed)
    named, staff = _people(school)
    if not {"logistics", "vice", "principal"} <= set(named) or not staff:
        return 0
    approver = {Role.LOGISTICS_ADMIN: named["logistics"], Role.VICE_PRINCIPAL: named["vice"], Role.PRINCIPAL: named["principal"]}
    requesters = [named.get("teacher"), *staff]
    requesters = [u for u in requesters if u is not None and u.pk not in {a.pk for a in approver.values()}] or staff
    years = {start.year, now.year}
    budgets = _ensure_setup(school, years)
    tiers = [(t, list(t.steps.order_by("order"))) for t in ApprovalTier.objects.for_school(school).prefetch_related("steps").order_by("min_amount")]
    from assets.models import AssetClass

    classes = {c.code: c for c in AssetClass.objects.filter(code__in=[i[5] for i in ITEMS if i[5]])}
    counters = {c.year: c.last for c in RequisitionCounter.objects.filter(school=school, year__in=years)}
    span = max((now - start).total_seconds(), 3600)
    reqs: list[Requisition] = []
    plans: list[dict[str, Any]] = []
    for i in range(count):
        created = start + dt.timedelta(seconds=rng.random() * span * 0.97)
        age_days = (now - created).days
        chosen = rng.sample(ITEMS, rng.choice([1, 1, 1, 2, 3]))
        lines = []
        for name, spec, unit, price, fixed, code, (lo, hi) in chosen:
            q = rng.randint(lo, hi)
            lines.append((name, spec, unit, q, Decimal(price), fixed and code in classes, classes.get(code)))
        total = sum((q * p).quantize(CENT) for _n, _s, _u, q, p, _f, _c in lines)
        tier, steps = next(((t, s) for t, s in reversed(tiers) if t.min_amount <= total), tiers[0])
        # How far it got: older requests further along; a few rejected, withdrawn, still drafts.
        roll = rng.random()
        if age_days < 3:
            status = rng.choice([Status.DRAFT, Status.PENDING, Status.PENDING])
        elif roll < 0.06:
            status = Status.REJECTED
        elif roll < 0.09:
            status = Status.WITHDRAWN
        elif roll < 0.12:
            status = Status.DRAFT  # written and never sent
        elif age_days < 10:
            status = rng.choice([Status.PENDING, Status.APPROVED, Status.ORDERED])
        elif age_days < 25:
            status = rng.choice([Status.APPROVED, Status.ORDERED, Status.ACCEPTED])
        else:
            status = rng.choice([Status.ACCEPTED, Status.ACCEPTED, Status.CLOSED])
        if i < len(Status.values):
            status = list(Status)[i]  # every state at least once, whatever the dice say
        year = created.year
        counters[year] = counters.get(year, 0) + 1
        submitted = created + dt.timedelta(minutes=rng.randint(5, 120)) if status != Status.DRAFT else None
        req = Requisition(
            school=school, number=f"QG{year}-{counters[year]:04d}" if submitted else "", requester=rng.choice(requesters),
            purpose=rng.choice(PURPOSES), needed_by=(created + dt.timedelta(days=rng.randint(7, 40))).date(),
            budget_line=_budget_for(budgets.get(year, []), any(fixed for _n, _s, _u, _q, _p, fixed, _c in lines), rng), total=total, status=status, tier=tier if submitted else None,
            round=1 if submitted else 0, centralized=any(n in CATALOGUE for n, *_r in lines), submitted_at=submitted,
        )
        req.created_at = created
        t = submitted
        decided: list[tuple[Any, dt.datetime, str]] = []
        if submitted:
            stop = len(steps) if status not in (Status.PENDING, Status.REJECTED) else rng.randint(0, len(steps) - 1)
            for step in steps[:stop]:
                t = t + dt.timedelta(hours=rng.uniform(2, 40))
                decided.append((step, min(t, now), StepStatus.APPROVED))
            if status == Status.REJECTED:
                t = t + dt.timedelta(hours=rng.uniform(2, 30))
                decided.append((steps[len(decided)], min(t, now), StepStatus.REJECTED))
                req.reject_reason, req.decided_at = "请压缩数量后重新申请", min(t, now)
            if status == Status.WITHDRAWN:
                req.decided_at = min(submitted + dt.timedelta(hours=5), now)
        if status in (Status.APPROVED, Status.ORDERED, Status.ACCEPTED, Status.CLOSED):
            req.approved_at = min(t, now)
        if status in (Status.ORDERED, Status.ACCEPTED, Status.CLOSED):
            t = min(t + dt.timedelta(days=rng.uniform(1, 5)), now)
            req.ordered_at, req.ordered_on = t, timezone.localtime(t).date()
            req.supplier, req.contract_number = rng.choice(SUPPLIERS), f"HT-{year}-{counters[year]:04d}"
            req.method = Method.GOVERNMENT if req.centralized else (Method.QUOTES if total >= 10000 else Method.DIRECT)
            req.gov_reference = f"ZFCG-{year}-{counters[year]:04d}" if req.centralized else ""
            req.purchase_amount = (total * Decimal(rng.choice(["0.92", "0.95", "0.97", "1.00"]))).quantize(CENT)
        if status in (Status.ACCEPTED, Status.CLOSED):
            t = min(t + dt.timedelta(days=rng.uniform(3, 12)), now)
            req.accepted_at = t
        reqs.append(req)
        plans.append({"lines": lines, "decided": decided, "steps": steps, "status": status})
    Requisition.objects.bulk_create(reqs, batch_size=2000)
    # auto_now_add wrote now: put the simulated creation times back in one statement per batch.
    _backdate(reqs)
    line_rows, step_rows = [], []
    for req, plan in zip(reqs, plans):
        for i, (name, spec, unit, q, price, fixed, cls) in enumerate(plan["lines"], 1):
            line_rows.append(RequisitionLine(requisition=req, order=i, name=name, spec=spec, unit=unit, quantity=q, unit_price=price,
                                             amount=(q * price).quantize(CENT), fixed_asset=bool(fixed), asset_class=cls))
        if not req.submitted_at:
            continue
        done = {s.pk: (at, st) for s, at, st in plan["decided"]}
        waiting_set = False
        for step in plan["steps"]:
            at, st = done.get(step.pk, (None, None))
            status = st or (StepStatus.VOID if plan["status"] in (Status.REJECTED, Status.WITHDRAWN) else StepStatus.WAITING)
            since = None
            if status == StepStatus.WAITING and not waiting_set:
                since, waiting_set = (plan["decided"][-1][1] if plan["decided"] else req.submitted_at), True
            step_rows.append(ApprovalStep(
                requisition=req, round=1, order=step.order, kind=step.kind, role=step.role, person_id=step.person_id, status=status,
                decided_by=approver.get(step.role) if st else None, decided_at=at, waiting_since=since,
                note=("请压缩数量后重新申请" if st == StepStatus.REJECTED else "同意") if st else "",
                minutes="procurement/demo/三重一大会议纪要.pdf" if st and step.kind == StepKind.COLLECTIVE else "",
            ))
    RequisitionLine.objects.bulk_create(line_rows, batch_size=5000)
    ApprovalStep.objects.bulk_create(step_rows, batch_size=5000)
    _acceptances(reqs, named, rng)
    for year, last in counters.items():
        RequisitionCounter.objects.update_or_create(school=school, year=year, defaults={"last": last})
    return len(reqs)


def _budget_for(lines: list[BudgetLine], equipment: bool, rng: random.Random) -> BudgetLine | None:
    """Equipment from 教学设备购置, the rest from the other lines."""
    if not lines:
        return None
    wanted = [b for b in lines if (b.code == "B02") == equipment]
    return rng.choice(wanted or lines)


def _backdate(reqs: list[Requisition]) -> None:
    from django.db.models import Case, When

    for i in range(0, len(reqs), 500):
        chunk = reqs[i:i + 500]
        Requisition.objects.filter(pk__in=[r.pk for r in chunk]).update(
            created_at=Case(*[When(pk=r.pk, then=r.created_at) for r in chunk]))


def _acceptances(reqs: list[Requisition], named: dict[str, User], rng: random.Random) -> None:
    accepted = [r for r in reqs if r.accepted_at]
    if not accepted:
        return
    office = named["logistics"]
    acceptances = [Acceptance(requisition=r, accepted_on=timezone.localtime(r.accepted_at).date(), invoice_number=f"FP{r.pk:08d}"
                              if rng.random() > 0.1 else "", recorded_by=office, booked_at=r.accepted_at) for r in accepted]
    Acceptance.objects.bulk_create(acceptances, batch_size=2000)
    members, rows = [], []
    lines = RequisitionLine.objects.filter(requisition__in=[r.pk for r in accepted]).values_list("pk", "requisition_id", "quantity")
    by_req: dict[int, list[tuple[int, int]]] = {}
    for pk, req_id, q in lines:
        by_req.setdefault(req_id, []).append((pk, q))
    for a, r in zip(acceptances, accepted):
        for user in {office.pk: office, r.requester_id: r.requester}.values():
            members.append(AcceptanceMember(acceptance=a, user=user, confirmed_at=r.accepted_at))
        for pk, q in by_req.get(r.pk, []):
            rows.append(AcceptanceLine(acceptance=a, line_id=pk, received=q))
    AcceptanceMember.objects.bulk_create(members, batch_size=5000, ignore_conflicts=True)
    AcceptanceLine.objects.bulk_create(rows, batch_size=5000)


def _through_the_services(school: Any, stdout: Any) -> None:
    """The issue's journey, for real: 8 projectors at 4,300 yuan, approved, bought, accepted onto the ledger."""
    from procurement import services
    from procurement.services import LineInput, WorkflowError

    from assets.models import AssetClass

    named, _staff = _people(school)
    try:
        teacher, logistics, vice, principal = (named[k] for k in ("teacher", "logistics", "vice", "principal"))
        projector = AssetClass.objects.get(code="A02020200")
        req = services.requisition_save(school=school, by=teacher, purpose="初二年级多媒体教室更换投影机",
                                        lines=[LineInput(name="投影机", spec="5000流明 1080P", unit="台", quantity=8, unit_price=Decimal("4300"),
                                                         fixed_asset=True, asset_class=projector)])
        req = services.requisition_submit(requisition=req, by=teacher)
        for who in (logistics, vice, principal):
            req = services.requisition_approve(requisition=req, by=who, note="同意")
        today = timezone.localdate()
        req = services.requisition_order(requisition=req, by=logistics, method=Method.QUOTES, supplier="华信科技有限公司", ordered_on=today,
                                         buyers=[logistics, vice], contract_number=f"HT-{today.year}-0801", warranty_until=today.replace(year=today.year + 3),
                                         quotes=[("华信科技有限公司", Decimal("34400")), ("明达电子商贸", Decimal("35600")), ("恒通教学设备", Decimal("36200"))])
        acc = services.acceptance_record(requisition=req, by=logistics, accepted_on=today, team=[logistics, teacher],
                                         quantities={req.lines.get().pk: (8, 0)}, invoice_number="FP20260801", quality="外观完好，通电测试正常")
        services.acceptance_confirm(acceptance=acc, by=teacher)
    except (KeyError, AssetClass.DoesNotExist, WorkflowError) as e:
        stdout.write(f"  procurement: the projector purchase was not made ({e})")
