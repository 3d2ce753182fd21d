"""Importing a school's Excel ledger: a preview that names every bad row and why, then all the
cards at once or none.

`ledger_preview()` reads the workbook (`assets.importing`) and checks each line against the school:
the class table, its rooms, people, classes and departments, the numbers already on its ledger and
in the file, the fixed-asset threshold. `ledger_import()` runs the same checks and, only when no line
has a problem, registers every card in one transaction: a failure on any line writes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Callable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit import AuditEntry
from logistics.models import Department, Membership, Room, School, SchoolClass, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError

from assets.importing import HEADERS, Ledger, Row, read_ledger
from assets.models import AssetCard, AssetClass, AssetCounter, AssetSettings, Movement, Status
from assets.selectors import ledger_changed
from assets.services.cards import CENT, value_problem

ACQUISITION = {
    "购置": AssetCard.Acquisition.PURCHASE, "采购": AssetCard.Acquisition.PURCHASE, "购买": AssetCard.Acquisition.PURCHASE,
    "新购": AssetCard.Acquisition.PURCHASE, "调拨": AssetCard.Acquisition.ALLOCATION, "上级调拨": AssetCard.Acquisition.ALLOCATION,
    "划拨": AssetCard.Acquisition.ALLOCATION, "调入": AssetCard.Acquisition.ALLOCATION, "无偿调拨": AssetCard.Acquisition.ALLOCATION,
    "捐赠": AssetCard.Acquisition.DONATION, "受赠": AssetCard.Acquisition.DONATION, "社会捐赠": AssetCard.Acquisition.DONATION,
    "接受捐赠": AssetCard.Acquisition.DONATION, "自建": AssetCard.Acquisition.SELF_BUILT, "自制": AssetCard.Acquisition.SELF_BUILT,
    "置换": AssetCard.Acquisition.EXCHANGE, "置换换入": AssetCard.Acquisition.EXCHANGE,
}
FUNDING = {
    "财政拨款": AssetCard.Funding.FISCAL, "财政": AssetCard.Funding.FISCAL, "财政资金": AssetCard.Funding.FISCAL,
    "专项资金": AssetCard.Funding.FISCAL, "上级调拨": AssetCard.Funding.FISCAL, "自筹": AssetCard.Funding.OWN,
    "单位自筹": AssetCard.Funding.OWN, "自有资金": AssetCard.Funding.OWN, "捐赠": AssetCard.Funding.DONATION,
    "社会捐赠": AssetCard.Funding.DONATION,
}
STATUS = {
    "在用": Status.IN_USE, "正常": Status.IN_USE, "使用中": Status.IN_USE, "闲置": Status.IDLE, "未使用": Status.IDLE, "库存": Status.IDLE,
    "维修": Status.UNDER_REPAIR, "维修中": Status.UNDER_REPAIR, "待修": Status.UNDER_REPAIR, "故障": Status.UNDER_REPAIR,
    "待报废": Status.PENDING_DISPOSAL, "待处置": Status.PENDING_DISPOSAL, "拟报废": Status.PENDING_DISPOSAL,
}
DISPOSED = {"已报废", "报废", "已处置", "已处理", "丢失", "已丢失"}
# What the import page lists as the columns it understands (the first name of each, then the others).
HEADERS_SHOWN = [(names[0], "、".join(names[1:])) for key, names in HEADERS.items() if key != "seq"]
ROOM_CODE = re.compile(r"[A-Za-z]{0,2}\d{2,4}[A-Za-z]?")


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_rows: int = 0

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def good_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.problems]

    @property
    def warned_rows(self) -> list[Row]:
        return [r for r in self.rows if r.warnings and not r.problems]

    @property
    def total_value(self) -> Decimal:
        return sum((r.values["original_value"] for r in self.good_rows), start=Decimal("0"))

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.bad_rows


class _School:
    """The school's rooms, people, classes and departments, read once for the whole file."""

    def __init__(self, school: School) -> None:
        self.rooms = list(Room.objects.for_school(school).filter(is_active=True).select_related("building"))
        self.by_code: dict[str, list[Room]] = defaultdict(list)
        self.by_name: dict[str, list[Room]] = defaultdict(list)
        for room in self.rooms:
            self.by_code[room.code.upper()].append(room)
            self.by_name[room.name].append(room)
            self.by_name[f"{room.building.name}{room.code}".upper()].append(room)
        members = Membership.objects.for_school(school).active().values_list("user_id", flat=True)
        self.people: dict[str, list[User]] = defaultdict(list)
        for user in User.objects.filter(pk__in=members):
            self.people[user.display_name].append(user)
        self.classes = {c.name: c for c in SchoolClass.objects.for_school(school)}
        self.departments = {d.name: d for d in Department.objects.for_school(school)}
        self.classes_table = {c.code: c for c in AssetClass.objects.all()}
        self.taken = set(AssetCard.objects.for_school(school).values_list("number", flat=True))

    def room(self, text: str) -> Room | None | str:
        """The room a 存放地点 names: its code, its name (if only one room has it), or a code inside a
        description; else the reason (a string)."""
        if not text:
            return None
        key = re.sub(r"\s", "", text)
        for found in (self.by_code.get(key.upper()), self.by_name.get(key), self.by_name.get(key.upper())):
            if found and len(found) == 1:
                return found[0]
            if found:
                return _("“%(place)s” names %(n)d rooms; write the room number.") % {"place": text, "n": len(found)}
        candidates = {r.pk: r for code in ROOM_CODE.findall(key) for r in self.by_code.get(code.upper(), [])}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        return _("No room “%(place)s” in this school (write a room number of 楼栋与房间).") % {"place": text}


def _check(row: Row, school: _School, settings: AssetSettings, numbers: dict[str, list[Row]]) -> None:
    v = row.values
    resolved: dict[str, Any] = {}
    asset_class = school.classes_table.get(v["class_code"]) if v["class_code"] else None
    if not row.class_code_bad and asset_class is None:
        row.problems.append(_("Class code %(code)s is not in the class table (资产分类).") % {"code": v["class_code"]})
    elif asset_class is not None and not asset_class.is_active:
        row.problems.append(_("Class %(code)s is no longer in use.") % {"code": asset_class.code})
    resolved["asset_class"] = asset_class
    if asset_class is not None and v["quantity"] and v["original_value"] is not None:
        if problem := value_problem(settings, asset_class, v["quantity"], v["original_value"]):
            row.problems.append(problem)
    if v["number"]:
        if v["number"] in school.taken:
            row.problems.append(_("Asset number %(number)s is already on this school's ledger.") % {"number": v["number"]})
        others = [r for r in numbers[v["number"]] if r is not row]
        if others:
            row.problems.append(_("Asset number %(number)s is also used at %(where)s.") % {
                "number": v["number"], "where": "、".join(r.where for r in others)})
    place = school.room(v["location"])
    if isinstance(place, str):
        row.problems.append(place)
        place = None
    resolved["room"] = place
    remarks = [v["remarks"]] if v["remarks"] else []
    resolved["custodian"] = resolved["custodian_class"] = None
    if v["custodian"]:
        people = school.people.get(v["custodian"], [])
        if v["custodian"] in school.classes:
            resolved["custodian_class"] = school.classes[v["custodian"]]
        elif len(people) == 1:
            resolved["custodian"] = people[0]
        else:
            row.warnings.append(_("Custodian “%(name)s” is not one person of this school: kept in the remarks.") % {"name": v["custodian"]})
            remarks.append(_("Custodian: %(name)s") % {"name": v["custodian"]})
    resolved["department"] = school.departments.get(v["department"]) if v["department"] else None
    if v["department"] and resolved["department"] is None:
        row.warnings.append(_("Department “%(name)s” is not one of this school's: kept in the remarks.") % {"name": v["department"]})
        remarks.append(_("Department: %(name)s") % {"name": v["department"]})
    if v["acquisition"] and v["acquisition"] not in ACQUISITION:
        row.problems.append(_("Unknown acquisition “%(value)s” (购置, 调拨, 捐赠, 自建 or 置换).") % {"value": v["acquisition"]})
    resolved["acquisition"] = ACQUISITION.get(v["acquisition"], AssetCard.Acquisition.PURCHASE)
    resolved["funding"] = FUNDING.get(v["funding"], AssetCard.Funding.OTHER if v["funding"] else AssetCard.Funding.FISCAL)
    if v["funding"] and v["funding"] not in FUNDING:
        remarks.append(_("Funding: %(value)s") % {"value": v["funding"]})
    if v["status"] in DISPOSED:
        row.problems.append(_("“%(status)s”: a disposed item does not go on the active ledger.") % {"status": v["status"]})
    resolved["status"] = STATUS.get(v["status"])
    if v["status"] and v["status"] not in STATUS and v["status"] not in DISPOSED:
        row.warnings.append(_("Status “%(status)s” not understood: set from the custody.") % {"status": v["status"]})
    resolved["remarks"] = "；".join(remarks)
    row.resolved = resolved


Progress = Callable[[int, int], None]  # (lines done, lines in all)
BATCH = 1000  # cards per INSERT: well under SQLite's bound-variable limit, few round trips on PostgreSQL


def ledger_preview(*, school: School, file: IO[bytes] | str, progress: Progress | None = None) -> Preview:
    """Read and check the workbook; nothing is written. `progress(done, total)` hears of the lines checked."""
    ledger: Ledger = read_ledger(file)
    preview = Preview(rows=ledger.rows, notes=ledger.notes, skipped_rows=ledger.skipped_rows)
    known = _School(school)
    settings = AssetSettings.for_school(school)
    numbers: dict[str, list[Row]] = defaultdict(list)
    for row in ledger.rows:
        if row.values["number"]:
            numbers[row.values["number"]].append(row)
    total = len(ledger.rows)
    for done, row in enumerate(ledger.rows, start=1):
        _check(row, known, settings, numbers)
        if progress and (done % BATCH == 0 or done == total):
            progress(done, total)
    return preview


def ledger_import(*, school: School, by: User, file: IO[bytes] | str, source: str = "",
                  progress: Progress | None = None, checked: Progress | None = None) -> list[AssetCard]:
    """Register every line of the workbook, or none: any line with a problem refuses the whole file.

    The cards, their 登记 movements and audit entries are written in batches (`bulk_create`) in one
    transaction; the numbers a line leaves blank are taken from the school's counters a block at a
    time (`next_in_sequence(block=n)`), under the counter's row lock, so an import and a person
    registering a card at the same moment never share one. `checked` hears of the lines checked,
    `progress` of the cards written.
    """
    if not can(by, school, "assets.import_cards") or not can(by, school, "assets.add_assetcard"):
        raise WorkflowError(_("Only the logistics office imports an asset ledger."))
    preview = ledger_preview(school=school, file=file, progress=checked)
    if not preview.rows:
        raise WorkflowError(_("The file holds no asset lines."))
    if preview.bad_rows:
        raise ImportRefused(preview, _("%(n)d lines have problems; nothing was imported.") % {"n": len(preview.bad_rows)})
    try:
        with transaction.atomic():
            return _write(school, by, preview, source, progress)
    except IntegrityError:
        # Another import or a person's card took one of these numbers between the check and the write.
        raise WorkflowError(_("Some of these asset numbers were put on the ledger meanwhile; nothing was imported. "
                              "Check the file again.")) from None


def _numbers(school: School, rows: list[Row], used: set[str]) -> dict[int, str]:
    """Numbers for the lines that give none: {id(row): number}, by class and booking year, skipping any a
    line of the file or a card already holds."""
    groups: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for row in rows:
        if not row.values["number"]:
            year = (row.values["booked_on"] or row.values["acquired_on"]).year
            groups[(row.resolved["asset_class"].code, year)].append(row)
    given: dict[int, str] = {}
    for (code, year), waiting in sorted(groups.items()):
        while waiting:
            last = next_in_sequence(AssetCounter, block=len(waiting), school=school, class_code=code, year=year)
            if last is None:
                raise WorkflowError(_("Could not number the card; please try again."))
            for sequence in range(last - len(waiting) + 1, last + 1):
                number = f"{code}-{year}-{sequence:04d}"
                if number in used:
                    continue  # a number the file gives (or an old card) holds it: take the next
                given[id(waiting.pop(0))] = number
                used.add(number)
    return given


def _write(school: School, by: User, preview: Preview, source: str, progress: Progress | None) -> list[AssetCard]:
    rows = preview.rows
    file_numbers = {r.values["number"] for r in rows if r.values["number"]}
    # Read again inside the transaction: the check ran before it.
    used = set(AssetCard.objects.for_school(school).values_list("number", flat=True))
    if taken := file_numbers & used:
        raise WorkflowError(_("Asset number %(number)s is already on this school's ledger.") % {"number": sorted(taken)[0]})
    given = _numbers(school, rows, used | file_numbers)
    now = timezone.now()
    cards: list[AssetCard] = []
    for row in rows:
        v, r = row.values, row.resolved
        asset_class = r["asset_class"]
        card = AssetCard(
            school=school, number=v["number"] or given[id(row)], asset_class=asset_class, name=v["name"], spec=v["spec"],
            quantity=v["quantity"], unit=v["unit"] or "台", acquisition=r["acquisition"], acquired_on=v["acquired_on"],
            booked_on=v["booked_on"] or v["acquired_on"], original_value=v["original_value"].quantize(CENT), funding=r["funding"],
            supplier=v["supplier"], invoice_number=v["invoice"], warranty_until=v["warranty_until"], department=r["department"],
            custodian=r["custodian"], custodian_class=r["custodian_class"], room=r["room"], remarks=r["remarks"], created_by=by,
            useful_life_years=asset_class.useful_life_years if asset_class.depreciable else None,
        )
        card.status = r["status"] or card._settled()
        cards.append(card)
    kind = ContentType.objects.get_for_model(AssetCard)
    at = {model: model._meta.get_field("at").get_db_prep_save(now, connection) for model in (Movement, AuditEntry)}
    no_data = AuditEntry._meta.get_field("data").get_db_prep_save({}, connection)
    total = len(cards)
    for start in range(0, total, BATCH):
        batch = AssetCard.objects.bulk_create(cards[start:start + BATCH])
        notes = [_("Imported from %(file)s, %(where)s") % {"file": source or _("a ledger"), "where": row.where}
                 for row in rows[start:start + BATCH]]
        _insert(Movement, [
            {"school_id": school.pk, "card_id": card.pk, "kind": Movement.Kind.REGISTER.value, "at": at[Movement], "by_id": by.pk,
             "to_custodian_id": card.custodian_id, "to_class_id": card.custodian_class_id, "to_room_id": card.room_id, "note": note[:200]}
            for card, note in zip(batch, notes)])
        _insert(AuditEntry, [
            {"school_id": school.pk, "content_type_id": kind.pk, "object_id": card.pk, "action": "assets.assetcard.registered",
             "to_state": card.status, "actor_id": by.pk, "note": note, "data": no_data, "at": at[AuditEntry]}
            for card, note in zip(batch, notes)])
        if progress:
            progress(start + len(batch), total)
    ledger_changed(school)  # bulk_create sends no signal
    return cards


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (attname → a value ready for the database) with one executemany: the movements
    and audit entries of an import need no model instance back, and Django's per-value compilation
    of bulk_create costs more than the writing itself. A column a row leaves out gets its field's
    default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[row.get(f.attname, defaults[f.attname]) for f in fields] for row in rows])


class ImportRefused(WorkflowError):
    """The file has bad lines: the preview that names them travels with the refusal."""

    def __init__(self, preview: Preview, message: str) -> None:
        super().__init__(message)
        self.preview = preview
