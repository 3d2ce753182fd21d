"""Disposal: one or many cards, approval by the tier of the total original value (per-school tiers),
execution off the active ledger with the history kept, refusals, the screens and the printable list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetCard, AssetSettings, Disposal, Status
from assets.services import card_lend
from assets.services import disposal as service
from assets.services.disposal import WorkflowError
from logistics import audit
from logistics.models import Role
from tests.assets.conftest import register
from tests.factories import member

D = Decimal


@pytest.fixture
def vice_principal(school):
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vp")


def request(school, by, cards, way="scrap"):
    return service.disposal_request(school=school, by=by, cards=cards, way=way, reason="超过使用年限，无法修复")


@pytest.mark.parametrize("total,tier", [("9999.99", "office"), ("10000", "principal"), ("99999.99", "principal"), ("100000", "collective")])
def test_the_tier_follows_the_total_original_value(school, logistics_admin, total, tier):
    card = register(school, logistics_admin, original_value=D(total))
    assert request(school, logistics_admin, [card]).tier == tier


def test_tiers_are_the_schools_settings(school, logistics_admin):
    AssetSettings.objects.update_or_create(school=school, defaults={"disposal_office_limit": D("5000"), "disposal_principal_limit": D("6000")})
    card = register(school, logistics_admin, original_value=D("6000"))
    assert request(school, logistics_admin, [card]).tier == "collective"


def test_a_small_disposal_goes_through_and_the_cards_leave_the_active_ledger(school, logistics_admin):
    a = register(school, logistics_admin, original_value=D("4800"))
    b = register(school, logistics_admin, original_value=D("3000.50"))
    disposal = request(school, logistics_admin, [a, b])
    assert disposal.total_value == D("7800.50") and disposal.number.startswith("CZ-")
    assert set(AssetCard.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {Status.PENDING_DISPOSAL}
    service.disposal_approve(disposal=disposal, by=logistics_admin)
    service.disposal_execute(disposal=disposal, by=logistics_admin, proceeds=D("200"))
    assert set(AssetCard.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {Status.DISPOSED}
    assert not AssetCard.objects.for_school(school).active().filter(pk__in=[a.pk, b.pk]).exists()
    assert [e.action for e in audit.history_of(a)][-1] == "assets.assetcard.disposed"  # the history stays
    with pytest.raises(WorkflowError):
        request(school, logistics_admin, [a])  # already disposed of


def test_higher_tiers_need_the_principal_and_above_it_the_uploaded_approval(school, logistics_admin, principal, vice_principal):
    card = register(school, logistics_admin, original_value=D("50000"))
    mid = request(school, logistics_admin, [card])
    for someone in (logistics_admin, vice_principal):
        with pytest.raises(WorkflowError):
            service.disposal_approve(disposal=mid, by=someone)
    service.disposal_approve(disposal=mid, by=principal)
    big = request(school, logistics_admin, [register(school, logistics_admin, original_value=D("150000"))])
    with pytest.raises(WorkflowError):
        service.disposal_approve(disposal=big, by=principal)
    service.disposal_approve(disposal=big, by=principal, approval_file=SimpleUploadedFile("批复.pdf", b"%PDF-1.4"))
    assert Disposal.objects.get(pk=big.pk).status == "approved" and Disposal.objects.get(pk=big.pk).approval_file


def test_refusals_change_nothing(school, other_school, logistics_admin, teacher, outsider):
    lent = register(school, logistics_admin)
    card_lend(card=lent, by=logistics_admin, to="区教研室", due=timezone.localdate())
    free = register(school, logistics_admin)
    with pytest.raises(WorkflowError):
        request(school, logistics_admin, [free, lent])  # on loan
    assert AssetCard.objects.get(pk=free.pk).status == Status.IDLE and not Disposal.objects.exists()
    with pytest.raises(WorkflowError):
        request(school, teacher, [free])
    foreign = register(other_school, outsider)
    with pytest.raises(WorkflowError):
        request(school, logistics_admin, [foreign])
    first = request(school, logistics_admin, [free])
    with pytest.raises(WorkflowError):
        request(school, logistics_admin, [free])  # already in a request
    with pytest.raises(WorkflowError):
        service.disposal_execute(disposal=first, by=logistics_admin)  # not approved yet


def test_a_rejected_disposal_puts_the_cards_back(school, logistics_admin, principal, teacher, room):
    card = register(school, logistics_admin, custodian=teacher, room=room)
    disposal = request(school, logistics_admin, [card])
    with pytest.raises(WorkflowError):
        service.disposal_reject(disposal=disposal, by=principal, reason="")
    service.disposal_reject(disposal=disposal, by=principal, reason="仍可维修使用")
    assert AssetCard.objects.get(pk=card.pk).status == Status.IN_USE
    request(school, logistics_admin, [card])  # may be asked again


def test_an_executed_disposal_is_a_chronicle_entry(school, logistics_admin):
    from logistics.chronicle.models import ChronicleEntry

    disposal = request(school, logistics_admin, [register(school, logistics_admin)])
    service.disposal_approve(disposal=disposal, by=logistics_admin)
    service.disposal_execute(disposal=disposal, by=logistics_admin)
    entry = ChronicleEntry.objects.get(school=school)
    # Told as "报废资产1件": the title a phrase without figures, the cards' value not money spent.
    assert entry.domain == "assets" and entry.quantity == 1 and entry.amount is None
    assert entry.title == "报废资产" and entry.unit == "件"


def test_the_screens(access, client_for, school, logistics_admin, teacher, principal, outsider):
    a = register(school, logistics_admin, name="旧投影机")
    client = client_for(logistics_admin)
    create = reverse("assets:disposal-create")
    access(client_for, create, {None: 302, teacher: 403, principal: 403, logistics_admin: 200})
    bad = client.post(create, {"numbers": f"{a.number} NOPE-1", "way": "scrap", "reason": "坏了"})
    assert bad.status_code == 400 and "NOPE-1" in str(bad.context["form"].errors["numbers"])
    ok = client.post(create, {"numbers": a.number, "way": "scrap", "reason": "=cmd|' /C calc'!A0"})
    disposal = Disposal.objects.get()
    assert ok.status_code == 302 and ok.url == disposal.get_absolute_url()
    detail = disposal.get_absolute_url()
    access(client_for, detail, {teacher: 403, principal: 200, logistics_admin: 200, outsider: 404})
    client.post(reverse("assets:disposal-decide", args=[disposal.pk]), {"decision": "approve"})
    client.post(reverse("assets:disposal-execute", args=[disposal.pk]), {"on": timezone.localdate().isoformat()})
    assert AssetCard.objects.get(pk=a.pk).status == Status.DISPOSED
    printed = client.get(reverse("assets:disposal-print", args=[disposal.pk]))
    assert printed.status_code == 200 and "旧投影机" in printed.content.decode() and "4,800" not in printed.content.decode()
    assert "4800.00" in printed.content.decode()
    assert client.get(reverse("assets:disposal-list")).status_code == 200
