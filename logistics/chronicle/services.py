"""The writes of the 工作纪事.

    from logistics.chronicle.services import record_by_rule
    record_by_rule(ticket, school=ticket.school, domain="repairs", kind="project", rule="repairs.cost",
                   title="更换实验楼屋面防水层", date=ticket.finished_at.date(), amount=Decimal("52000"))

`record_by_rule` is idempotent per (source record, rule): called again it updates the entry, unless
a person has edited it since (their words win) or the term's report that used it is issued (it is
frozen). People add, edit and withdraw entries through `create_entry`, `update_entry` and
`withdraw_entry`; an entry is never deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import audit
from logistics.chronicle.models import (
    DEFAULT_KINDS,
    DEFAULT_NOTABLE_AMOUNT,
    ChronicleEntry,
    ChronicleKind,
    ChronicleLink,
    ChroniclePhoto,
    ChronicleSettings,
    Domain,
)
from logistics.workflow import WorkflowError, lock, refuse_unless

# The fields a rule (or a person) sets; the rest is bookkeeping.
ENTRY_FIELDS = ("domain", "title", "date", "end_date", "summary", "amount", "quantity", "unit", "people_count")


def ensure_kinds(school: Any) -> list[ChronicleKind]:
    """The school's kinds, the eight defaults created the first time they are needed."""
    kinds = list(ChronicleKind.objects.for_school(school).order_by("order", "pk"))
    missing = {k for k, _n, _o in DEFAULT_KINDS} - {k.key for k in kinds}
    if missing:
        ChronicleKind.objects.bulk_create(
            [ChronicleKind(school_id=school.pk, key=k, name=n, order=o) for k, n, o in DEFAULT_KINDS if k in missing],
            ignore_conflicts=True,
        )
        kinds = list(ChronicleKind.objects.for_school(school).order_by("order", "pk"))
    return kinds


def kind_for(school: Any, key: str) -> ChronicleKind:
    kind = ChronicleKind.objects.for_school(school).filter(key=key).first()
    if kind is None:
        kind = next((k for k in ensure_kinds(school) if k.key == key), None)
    if kind is None:
        raise ValueError(f"the chronicle kind {key!r} does not exist for {school}")
    return kind


def notable_amount(school: Any) -> Decimal:
    """From what sum a job is added to the 纪事 by rule (per school, default 2000 元)."""
    value = ChronicleSettings.objects.filter(school_id=school.pk).values_list("notable_amount", flat=True).first()
    return DEFAULT_NOTABLE_AMOUNT if value is None else value


def issued_term_of(school: Any, day: dt.date) -> Any:
    """The term containing `day` if its report has been issued (entries of it are frozen), else None."""
    from logistics.models import Term
    from logistics.reports.models import TermReport

    term = Term.objects.for_school(school).filter(start__lte=day, end__gte=day).first()
    if term and TermReport.objects.filter(school_id=school.pk, term=term, status=TermReport.Status.ISSUED).exists():
        return term
    return None


def _check(domain: str, title: str, date: dt.date, end_date: dt.date | None, amount: Any, quantity: Any) -> None:
    if domain not in Domain.values:
        raise ValueError(f"unknown chronicle domain {domain!r}; one of {', '.join(Domain.values)}")
    if not (title or "").strip():
        raise ValueError("a chronicle entry needs a title")
    if end_date is not None and end_date < date:
        raise ValueError("end_date comes before date")
    for name, value in (("amount", amount), ("quantity", quantity)):
        if value is not None and Decimal(value) < 0:
            raise ValueError(f"{name} must not be negative")


def record_by_rule(
    source: models.Model,
    *,
    school: Any,
    domain: str,
    kind: str,
    title: str,
    date: dt.date,
    end_date: dt.date | None = None,
    summary: str = "",
    amount: Any = None,
    quantity: Any = None,
    unit: str = "",
    people_count: int | None = None,
    rule: str = "",
) -> ChronicleEntry:
    """Add (or bring up to date) the entry an app's rule makes for `source`. Idempotent per
    (source, rule). An entry a person has edited, or one in a term whose report is issued, is
    returned unchanged. A withdrawn entry stays withdrawn (and unchanged)."""
    _check(domain, title, date, end_date, amount, quantity)
    values = {
        "domain": domain, "title": title.strip()[:120], "date": date, "end_date": end_date, "summary": summary or "",
        "amount": None if amount is None else Decimal(amount).quantize(Decimal("0.01")),
        "quantity": None if quantity is None else Decimal(quantity).quantize(Decimal("0.01")),
        "unit": unit or "", "people_count": people_count,
    }
    kind_obj = kind_for(school, kind)
    source_type = ContentType.objects.get_for_model(source)
    lookup = {"source_type": source_type, "source_id": source.pk, "rule": rule}
    for attempt in range(2):
        try:
            with transaction.atomic():
                entry = ChronicleEntry.objects.select_for_update().filter(**lookup).first()
                if entry is None:
                    entry = ChronicleEntry.objects.create(school_id=school.pk, kind=kind_obj, **lookup, **values)
                    audit.record(entry, "chronicle.chronicleentry.record_by_rule", by=None, school=school, note=rule)
                    return entry
                if entry.edited or entry.is_withdrawn or issued_term_of(school, entry.date):
                    return entry
                changed = [k for k, v in values.items() if getattr(entry, k) != v]
                if entry.kind_id != kind_obj.pk:
                    entry.kind = kind_obj
                    changed.append("kind")
                if changed:
                    for k in changed:
                        if k != "kind":
                            setattr(entry, k, values[k])
                    entry.save(update_fields=[*changed, "updated_at"])
                return entry
        except IntegrityError:
            if attempt:  # another process created it between our read and our insert: read theirs
                raise
    raise AssertionError("unreachable")


def _refuse_if_frozen(entry: ChronicleEntry) -> None:
    if issued_term_of(entry.school, entry.date):
        raise WorkflowError(_("The term's report has been issued; this entry can no longer be changed, only withdrawn with a reason."))


def _set_links(entry: ChronicleEntry, targets: Iterable[models.Model]) -> None:
    wanted = {(ContentType.objects.get_for_model(t).pk, t.pk): t for t in targets}
    have = {(link.target_type_id, link.target_id): link for link in entry.links.all()}
    entry.links.filter(pk__in=[link.pk for key, link in have.items() if key not in wanted]).delete()
    ChronicleLink.objects.bulk_create(
        [ChronicleLink(entry=entry, target_type_id=ct, target_id=pk, label=str(getattr(t, "number", "") or t)[:60])
         for (ct, pk), t in wanted.items() if (ct, pk) not in have]
    )


def _add_photos(entry: ChronicleEntry, photos: Iterable[Any], by: Any) -> None:
    from logistics.photos import process_all

    for p in process_all(photos):
        ChroniclePhoto.objects.create(entry=entry, image=p.image, thumbnail=p.thumbnail, width=p.width, height=p.height, uploaded_by=by)


@transaction.atomic
def create_entry(
    *, school: Any, by: Any, kind: ChronicleKind, links: Iterable[models.Model] = (), people: Iterable[Any] = (),
    photos: Iterable[Any] = (), **values: Any,
) -> ChronicleEntry:
    """A person's entry. `values`: ENTRY_FIELDS and people_text. Photos are checked by the form
    (logistics.photos.problem_with) and re-encoded here."""
    refuse_unless(None if kind.school_id == school.pk else _("That kind belongs to another school."))
    _check(values.get("domain", Domain.GENERAL), values.get("title", ""), values["date"], values.get("end_date"),
           values.get("amount"), values.get("quantity"))
    if issued_term_of(school, values["date"]):
        raise WorkflowError(_("The report of the term containing this date has been issued; choose a date in the current term."))
    entry = ChronicleEntry.objects.create(school_id=school.pk, kind=kind, created_by=by, edited=True, **values)
    entry.people.set(list(people))
    _set_links(entry, links)
    _add_photos(entry, photos, by)
    audit.record(entry, "chronicle.chronicleentry.create", by=by, school=school)
    return entry


@transaction.atomic
def update_entry(
    *, entry: ChronicleEntry, by: Any, kind: ChronicleKind, links: Iterable[models.Model] | None = None,
    people: Iterable[Any] | None = None, photos: Iterable[Any] = (), remove_photos: Iterable[int] = (), **values: Any,
) -> ChronicleEntry:
    entry = lock(entry, related=("school",))
    refuse_unless(_("This entry has been withdrawn.") if entry.is_withdrawn else None)
    _refuse_if_frozen(entry)
    if "date" in values and values["date"] != entry.date and issued_term_of(entry.school, values["date"]):
        raise WorkflowError(_("The report of the term containing this date has been issued; choose a date in the current term."))
    _check(values.get("domain", entry.domain), values.get("title", entry.title), values.get("date", entry.date),
           values.get("end_date", entry.end_date), values.get("amount"), values.get("quantity"))
    before = {k: str(getattr(entry, k)) for k in values}
    for k, v in values.items():
        setattr(entry, k, v)
    entry.kind = kind
    entry.edited = True  # a rule never overwrites a person's words again
    entry.save()
    if people is not None:
        entry.people.set(list(people))
    if links is not None:
        _set_links(entry, links)
    if remove_photos:
        entry.photos.filter(pk__in=list(remove_photos)).delete()
    _add_photos(entry, photos, by)
    changed = {k: [before[k], str(v)] for k, v in values.items() if before[k] != str(v)}
    audit.record(entry, "chronicle.chronicleentry.edit", by=by, school=entry.school_id, data={"changed": changed})
    return entry


@transaction.atomic
def withdraw_entry(*, entry: ChronicleEntry, by: Any, reason: str) -> ChronicleEntry:
    """Take an entry out of the chronicle (and of later drafts) for good; the row and its reason stay."""
    entry = lock(entry)
    refuse_unless(_("This entry has already been withdrawn.") if entry.is_withdrawn else None)
    reason = (reason or "").strip()
    refuse_unless(None if reason else _("Say why the entry is withdrawn."))
    entry.withdrawn_at, entry.withdrawn_by, entry.withdrawn_reason = timezone.now(), by, reason[:200]
    entry.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
    audit.record(entry, "chronicle.chronicleentry.withdraw", by=by, school=entry.school_id, note=reason[:200])
    return entry


def sync_by_rule(
    model: type[models.Model], *, school: Any, rule: str, within: tuple[dt.date, dt.date], found: dict[int, dict[str, Any]]
) -> None:
    """`record_by_rule` for many records at once, in a fixed number of queries (for a report's
    provider computing rule-based entries from the records at report time).

    `found` maps each source record's pk to the keyword arguments `record_by_rule` takes (domain,
    kind, title, date, …). Entries of this rule dated within `within` whose record no longer
    qualifies are withdrawn (unless a person edited them). A person's edits, withdrawn entries and
    entries of a term whose report is issued stay as they are.
    """
    from logistics.reports.models import TermReport

    source_type = ContentType.objects.get_for_model(model)
    issued = list(
        TermReport.objects.filter(school_id=school.pk, status=TermReport.Status.ISSUED).values_list("term__start", "term__end").distinct()
    )

    def frozen(day: dt.date) -> bool:
        return any(start <= day <= end for start, end in issued)

    # A record a person's entry already links (the office marked the job as a 项目 in its own words)
    # gets no entry of the rule: it would be told twice.
    covered = set(
        ChronicleLink.objects.filter(target_type=source_type, target_id__in=list(found), entry__school_id=school.pk,
                                     entry__withdrawn_at__isnull=True, entry__rule="").values_list("target_id", flat=True)
    )
    found = {pk: raw for pk, raw in found.items() if pk not in covered}
    # Only when something may be written: creating the default kinds takes a share lock on the
    # school's row (its foreign key), which a report being stored holds for update.
    kinds = {k.key: k for k in ensure_kinds(school)} if found else {}
    existing = {
        e.source_id: e
        for e in ChronicleEntry.objects.filter(source_type=source_type, rule=rule, school_id=school.pk).filter(
            _source_or_date(found, within)
        )
    }
    create, update, fields = [], [], set()
    for pk, raw in found.items():
        _check(raw["domain"], raw["title"], raw["date"], raw.get("end_date"), raw.get("amount"), raw.get("quantity"))
        values = {
            "domain": raw["domain"], "title": raw["title"].strip()[:120], "date": raw["date"], "end_date": raw.get("end_date"),
            "summary": raw.get("summary", ""), "unit": raw.get("unit", ""), "people_count": raw.get("people_count"),
            "amount": None if raw.get("amount") is None else Decimal(raw["amount"]).quantize(Decimal("0.01")),
            "quantity": None if raw.get("quantity") is None else Decimal(raw["quantity"]).quantize(Decimal("0.01")),
        }
        kind = kinds.get(raw["kind"]) or kinds["other"]
        entry = existing.get(pk)
        if entry is None:
            if not frozen(values["date"]):
                create.append(ChronicleEntry(school_id=school.pk, kind=kind, source_type=source_type, source_id=pk, rule=rule, **values))
            continue
        if entry.edited or entry.is_withdrawn or frozen(entry.date):
            continue
        changed = {k for k, v in values.items() if getattr(entry, k) != v}
        if entry.kind_id != kind.pk:
            entry.kind = kind
            changed.add("kind")
        if changed:
            for k in changed - {"kind"}:
                setattr(entry, k, values[k])
            update.append(entry)
            fields |= changed
    gone = [e.pk for pk, e in existing.items()
            if pk not in found and pk not in covered and not e.edited and not e.is_withdrawn and not frozen(e.date)]
    told = [e.pk for pk, e in existing.items() if pk in covered and not e.edited and not e.is_withdrawn and not frozen(e.date)]
    if create:
        ChronicleEntry.objects.bulk_create(create, ignore_conflicts=True)
    if update:
        now = timezone.now()
        for e in update:
            e.updated_at = now
        ChronicleEntry.objects.bulk_update(update, sorted(fields | {"updated_at"}))
    if gone:
        ChronicleEntry.objects.filter(pk__in=gone).update(
            withdrawn_at=timezone.now(), withdrawn_reason=_("No longer meets the rule that added it.")[:200]
        )
    if told:
        ChronicleEntry.objects.filter(pk__in=told).update(
            withdrawn_at=timezone.now(), withdrawn_reason=_("A person's entry tells this job.")[:200]
        )


def _source_or_date(found: dict[int, Any], within: tuple[dt.date, dt.date]) -> models.Q:
    """The rule's entries of these records, or dated within the span (to find those that no longer qualify)."""
    return models.Q(source_id__in=list(found)) | models.Q(date__gte=within[0], date__lte=within[1])
