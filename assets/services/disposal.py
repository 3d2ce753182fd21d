"""Disposal (处置): request (one or many cards) → approved at the tier of the total original value →
carried out (the cards leave the active ledger). Rejected: the cards go back to where they were.

Tiers are the school's settings (`AssetSettings.disposal_office_limit`, `disposal_principal_limit`):
below the first the logistics head approves, below the second the principal, above it the school's
collective decision and then the education bureau, whose approval document is uploaded by the
principal when recording it. No card leaves the ledger without an approved disposal
(《行政事业性国有资产管理条例》).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from logistics import audit
from logistics.models import School, User
from logistics.numbering import next_in_sequence
from logistics.permissions import can
from logistics.workflow import WorkflowError, lock, transition

from assets.models import AssetCard, AssetSettings, Status
from assets.models_disposal import Disposal, DisposalCounter, DisposalLine, DisposalStatus, Tier, Way
from assets.services.common import lock_card

__all__ = ["disposal_request", "disposal_approve", "disposal_reject", "disposal_execute", "tier_for", "WorkflowError"]

OPEN = (DisposalStatus.REQUESTED, DisposalStatus.APPROVED)
MAX_FILE = 20 * 1024 * 1024


def tier_for(settings: AssetSettings, total: Decimal) -> str:
    if total < settings.disposal_office_limit:
        return Tier.OFFICE
    if total < settings.disposal_principal_limit:
        return Tier.PRINCIPAL
    return Tier.COLLECTIVE


def may_approve(user: Any, disposal: Disposal) -> bool:
    if disposal.tier == Tier.OFFICE:
        return can(user, disposal.school_id, "assets.approve_disposal_small") or can(user, disposal.school_id, "assets.approve_disposal")
    return can(user, disposal.school_id, "assets.approve_disposal")


def _check_file(upload: UploadedFile | None) -> None:
    if upload is not None and upload.size > MAX_FILE:
        raise WorkflowError(_("The file is larger than 20 MB."))


@transaction.atomic
def disposal_request(*, school: School, by: User, cards: Iterable[AssetCard], way: str, reason: str, appraisal_note: str = "",
                     appraisal_file: UploadedFile | None = None) -> Disposal:
    """Ask to dispose of `cards` (all of `school`); each is marked 待报废 under its lock. A card already
    disposed of, on loan, or in another open request is refused, and nothing changes."""
    if not can(by, school, "assets.request_disposal"):
        raise WorkflowError(_("Only the logistics office requests a disposal."))
    if way not in Way.values:
        raise WorkflowError(_("Choose how the assets are disposed of."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason (beyond its useful life, beyond repair, lost…)."))
    _check_file(appraisal_file)
    ids = sorted({c.pk for c in cards})  # locked in id order: two requests never wait on each other
    if not ids:
        raise WorkflowError(_("Choose at least one card."))
    locked: list[AssetCard] = []
    for pk in ids:
        card = AssetCard.objects.filter(pk=pk, school=school).first()
        if card is None:
            raise WorkflowError(_("One of the cards is not on this school's ledger."))
        card = lock_card(card)
        if card.status == Status.DISPOSED:
            raise WorkflowError(_("%(number)s has already been disposed of.") % {"number": card.number})
        if card.status == Status.LENT:
            raise WorkflowError(_("%(number)s is on loan: get it back first.") % {"number": card.number})
        if DisposalLine.objects.filter(card=card, disposal__status__in=OPEN).exists():
            raise WorkflowError(_("%(number)s is already in a disposal request.") % {"number": card.number})
        locked.append(card)
    total = sum((c.original_value for c in locked), Decimal("0"))
    year = timezone.localdate().year
    last = next_in_sequence(DisposalCounter, school=school, year=year)
    if last is None:
        raise WorkflowError(_("Could not number the request; please try again."))
    disposal = Disposal(school=school, number=f"CZ-{year}-{last:03d}", way=way, reason=reason[:300], appraisal_note=appraisal_note or "",
                        total_value=total, tier=tier_for(AssetSettings.for_school(school), total), requested_by=by)
    if appraisal_file is not None:
        disposal.appraisal_file = appraisal_file
    disposal.save()
    DisposalLine.objects.bulk_create([DisposalLine(disposal=disposal, card=c, original_value=c.original_value) for c in locked])
    for card in locked:
        if card.status != Status.PENDING_DISPOSAL:
            transition(card, "propose_disposal", by=by, note=_("Disposal %(number)s") % {"number": disposal.number})
    audit.record(disposal, "assets.disposal.requested", by=by, school=school, to_state=disposal.status,
                 note=f"{len(locked)} · {total:,.2f}")
    return disposal


def _lines(disposal: Disposal) -> list[DisposalLine]:
    return list(disposal.lines.select_related("card").order_by("card_id"))


@transaction.atomic
def disposal_approve(*, disposal: Disposal, by: User, approval_file: UploadedFile | None = None, note: str = "") -> Disposal:
    disposal = lock(disposal)
    if disposal.status != DisposalStatus.REQUESTED:
        raise WorkflowError(_("This disposal is no longer awaiting approval."))
    if not may_approve(by, disposal):
        raise WorkflowError(_("A disposal of %(value)s yuan is approved by: %(tier)s.") % {
            "value": f"{disposal.total_value:,.2f}", "tier": disposal.get_tier_display()})
    _check_file(approval_file)
    if disposal.tier == Tier.COLLECTIVE and approval_file is None and not disposal.approval_file:
        raise WorkflowError(_("Upload the collective decision's minutes and the education bureau's approval."))
    fields: dict[str, Any] = {"approved_by": by, "approved_at": timezone.now()}
    if approval_file is not None:
        disposal.approval_file = approval_file
        disposal.save(update_fields=["approval_file"])
    disposal = transition(disposal, "approve", by=by, note=note)
    Disposal.objects.filter(pk=disposal.pk).update(**fields)
    for name, value in fields.items():
        setattr(disposal, name, value)
    return disposal


@transaction.atomic
def disposal_reject(*, disposal: Disposal, by: User, reason: str) -> Disposal:
    disposal = lock(disposal)
    if disposal.status != DisposalStatus.REQUESTED:
        raise WorkflowError(_("This disposal is no longer awaiting approval."))
    if not may_approve(by, disposal):
        raise WorkflowError(_("A disposal of %(value)s yuan is approved by: %(tier)s.") % {
            "value": f"{disposal.total_value:,.2f}", "tier": disposal.get_tier_display()})
    if not (reason or "").strip():
        raise WorkflowError(_("Give the reason."))
    for line in _lines(disposal):
        card = lock_card(line.card)
        if card.status == Status.PENDING_DISPOSAL:
            transition(card, "withdraw_disposal", by=by, note=_("Disposal %(number)s rejected") % {"number": disposal.number})
    return transition(disposal, "reject", by=by, note=reason.strip()[:200])


@transaction.atomic
def disposal_execute(*, disposal: Disposal, by: User, on: dt.date | None = None, proceeds: Decimal | None = None) -> Disposal:
    """Carry out an approved disposal: every card becomes 已处置 (off the active ledger, history kept)."""
    disposal = lock(disposal)
    if not can(by, disposal.school_id, "assets.request_disposal"):
        raise WorkflowError(_("Only the logistics office carries out a disposal."))
    if disposal.status != DisposalStatus.APPROVED:
        raise WorkflowError(_("Only an approved disposal is carried out."))
    on = on or timezone.localdate()
    if on > timezone.localdate() or on.year < 2000:
        raise WorkflowError(_("The date of disposal cannot be in the future."))
    if proceeds is not None and proceeds < 0:
        raise WorkflowError(_("The proceeds cannot be negative."))
    for line in _lines(disposal):
        card = lock_card(line.card)
        transition(card, "dispose", by=by, note=_("Disposal %(number)s") % {"number": disposal.number})
    disposal = transition(disposal, "execute", by=by)
    Disposal.objects.filter(pk=disposal.pk).update(executed_on=on, proceeds=proceeds)
    disposal.executed_on, disposal.proceeds = on, proceeds
    _chronicle(disposal)
    return disposal


def _chronicle(disposal: Disposal) -> None:
    """工作纪事: a disposal carried out is an event of the term, written by rule (idempotent)."""
    from logistics.chronicle.services import record_by_rule

    n = disposal.lines.count()
    # title + quantity + unit reads "报废资产3件"; the cards' original value is not money spent, so no amount.
    record_by_rule(disposal, school=disposal.school, domain="assets", kind="other",
                   title=_("%(way)s assets") % {"way": disposal.get_way_display()},
                   date=disposal.executed_on, quantity=n, unit=pgettext("unit", "pieces"),
                   summary=disposal.reason[:200], rule="assets.disposal.executed")
