"""The ledger's writes: classes and settings, registering a card (number, threshold), editing it, and
every custody step with its movement and timeline entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets import services
from assets.models import AssetCard, AssetClass, AssetSettings, Movement
from logistics.audit import AuditEntry
from logistics.models import Role
from logistics.workflow import WorkflowError
from tests.assets.conftest import register
from tests.assets.factories import asset_class
from tests.factories import member

pytestmark = pytest.mark.django_db


# --- Classes and settings ---------------------------------------------------------------------------

def test_the_classes_schools_use_are_there_with_their_useful_life():
    assert AssetClass.objects.get(code="A02010105").name == "台式计算机"
    assert AssetClass.objects.get(code="A02010105").useful_life_years == 6
    assert AssetClass.objects.get(code="A05010304").useful_life_years == 5  # student furniture
    assert AssetClass.objects.get(code="A05010100").useful_life_years == 15  # furniture
    assert AssetClass.objects.get(code="A02061804").useful_life_years == 10  # air conditioners
    assert AssetClass.objects.get(code="A01010000").useful_life_years == 50
    for code in ("A01030000", "A03000000", "A04010000", "A06000000"):  # land, relics, books, animals and plants
        cls = AssetClass.objects.get(code=code)
        assert not cls.depreciable and cls.useful_life_years is None
    assert all(len(c) == 9 and c[0].isupper() and c[1:].isdigit() for c in AssetClass.objects.values_list("code", flat=True))


def test_a_schools_settings_default_to_the_national_figures_and_name_their_source(school):
    settings = AssetSettings.for_school(school)
    assert settings.fixed_asset_threshold == Decimal("1000")
    assert settings.specialist_threshold == Decimal("1500")
    assert settings.depreciate_acquisition_month is True
    help_texts = {f.name: str(f.help_text) for f in AssetSettings._meta.fields}
    assert "108" in help_texts["fixed_asset_threshold"]
    assert "1500" in help_texts["specialist_threshold"].replace(",", "")
    assert "财会〔2018〕20号" in help_texts["depreciate_acquisition_month"]


# --- Registering ------------------------------------------------------------------------------------

def test_a_card_is_numbered_from_its_class_and_booking_year(school, logistics_admin, other_school, outsider):
    first = register(school, logistics_admin)
    second = register(school, logistics_admin)
    laptop = register(school, logistics_admin, asset_class=asset_class("A02010108"), name="笔记本电脑")
    old = register(school, logistics_admin, acquired_on=dt.date(2019, 9, 1))
    elsewhere = register(other_school, outsider)
    assert (first.number, second.number) == ("A02010105-2026-0001", "A02010105-2026-0002")
    assert laptop.number == "A02010108-2026-0001"
    assert old.number == "A02010105-2019-0001"
    assert elsewhere.number == "A02010105-2026-0001"  # each school its own sequence


def test_a_registered_card_has_its_first_movement_and_timeline_entry(school, logistics_admin, teacher, room):
    card = register(school, logistics_admin, custodian=teacher, room=room)
    assert card.status == AssetCard.Status.IN_USE
    movement = Movement.objects.get(card=card)
    assert (movement.kind, movement.to_custodian, movement.to_room, movement.by) == ("register", teacher, room, logistics_admin)
    assert AuditEntry.objects.filter(object_id=card.pk, action="assets.assetcard.registered").exists()
    assert register(school, logistics_admin).status == AssetCard.Status.IDLE  # nobody holds it: idle


def test_a_value_below_the_threshold_is_refused_with_the_threshold_named(school, logistics_admin):
    with pytest.raises(WorkflowError, match="1,000.00") as e:
        register(school, logistics_admin, original_value=Decimal("999.99"))
    assert "低值易耗品" in str(e.value)
    assert not AssetCard.objects.exists()
    assert register(school, logistics_admin, original_value=Decimal("1000")).unit_value == Decimal("1000.00")


def test_specialist_equipment_has_its_own_threshold(school, logistics_admin):
    instrument = asset_class("A02330000")
    with pytest.raises(WorkflowError, match="1,500.00"):
        register(school, logistics_admin, asset_class=instrument, name="学生显微镜", original_value=Decimal("1200"))
    settings = AssetSettings.for_school(school)
    settings.specialist_threshold = Decimal("1000")
    settings.save()
    assert register(school, logistics_admin, asset_class=instrument, name="学生显微镜", original_value=Decimal("1200"))


def test_a_large_batch_of_student_furniture_is_one_fixed_asset_card(school, logistics_admin):
    desks = register(school, logistics_admin, asset_class=asset_class("A05010203"), name="学生课桌椅", quantity=800, unit="套",
                     original_value=Decimal("208000"), acquisition=AssetCard.Acquisition.ALLOCATION)
    assert (desks.quantity, desks.unit_value) == (800, Decimal("260.00"))
    with pytest.raises(WorkflowError):  # computers are not a batch class: each must reach the threshold
        register(school, logistics_admin, name="台式计算机", quantity=10, original_value=Decimal("9000"))


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("300000000")])
def test_a_negative_or_absurd_value_is_refused(school, logistics_admin, value):
    with pytest.raises(WorkflowError):
        register(school, logistics_admin, original_value=value)
    assert not AssetCard.objects.exists()


def test_a_given_number_must_be_free_in_the_school(school, logistics_admin):
    register(school, logistics_admin, number="ZC-001")
    with pytest.raises(WorkflowError, match="ZC-001"):
        register(school, logistics_admin, number="ZC-001")


def test_only_the_office_registers_and_only_in_its_school(school, logistics_admin, teacher, other_room):
    with pytest.raises(WorkflowError):
        register(school, teacher)
    with pytest.raises(WorkflowError):
        register(school, logistics_admin, room=other_room)
    assert not AssetCard.objects.exists()


def test_editing_a_card_records_what_changed_and_keeps_the_threshold(school, logistics_admin):
    card = register(school, logistics_admin)
    card = services.card_update(card=card, by=logistics_admin, spec="联想启天M450", original_value=Decimal("5200"))
    card.refresh_from_db()
    assert (card.spec, card.original_value) == ("联想启天M450", Decimal("5200.00"))
    entry = AuditEntry.objects.get(object_id=card.pk, action="assets.assetcard.edited")
    assert "规格" in entry.note or "specification" in entry.note
    with pytest.raises(WorkflowError):
        services.card_update(card=card, by=logistics_admin, original_value=Decimal("500"))
    assert AssetCard.objects.get(pk=card.pk).original_value == Decimal("5200.00")


# --- Custody ------------------------------------------------------------------------------------------

def test_issue_transfer_and_take_back_each_record_a_movement(school, logistics_admin, teacher, class_teacher, room, school_class):
    card = register(school, logistics_admin)
    card = services.card_issue(card=card, by=logistics_admin, custodian=teacher)
    assert (card.status, card.custodian) == ("in_use", teacher)
    card = services.card_transfer(card=card, by=logistics_admin, custodian_class=school_class)
    assert (card.custodian, card.custodian_class, card.room) == (None, school_class, room)  # the class's home room
    card = services.card_take_back(card=card, by=logistics_admin)
    assert (card.status, card.custodian_class, card.room) == ("idle", None, None)
    kinds = list(Movement.objects.filter(card=card).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["register", "issue", "transfer", "return"]
    transfer = Movement.objects.get(card=card, kind="transfer")
    assert (transfer.from_custodian, transfer.to_class, transfer.to_room) == (teacher, school_class, room)
    steps = list(AuditEntry.objects.filter(object_id=card.pk).order_by("at", "pk").values_list("action", "from_state", "to_state"))
    assert steps[1:] == [("assets.assetcard.issued", "idle", "in_use"), ("assets.assetcard.transferred", "in_use", "in_use"),
                         ("assets.assetcard.returned", "in_use", "idle")]


def test_lend_and_get_back_return_the_card_to_its_holder(school, logistics_admin, teacher):
    card = register(school, logistics_admin, custodian=teacher)
    due = timezone.localdate() + dt.timedelta(days=7)
    card = services.card_lend(card=card, by=logistics_admin, to="初二(1)班公开课", due=due)
    assert (card.status, card.lent_to, card.lent_due, card.custodian) == ("lent", "初二(1)班公开课", due, teacher)
    with pytest.raises(WorkflowError):
        services.card_transfer(card=card, by=logistics_admin, custodian=logistics_admin)
    card = services.card_get_back(card=card, by=logistics_admin)
    assert (card.status, card.lent_to, card.lent_due) == ("in_use", "", None)
    back = Movement.objects.get(card=card, kind="get_back")
    assert back.lent_to == "初二(1)班公开课"
    idle = register(school, logistics_admin)
    idle = services.card_lend(card=idle, by=logistics_admin, to="区教研室", due=due)
    assert services.card_get_back(card=idle, by=logistics_admin).status == "idle"


def test_a_loan_due_in_the_past_or_to_nobody_is_refused(school, logistics_admin):
    card = register(school, logistics_admin)
    with pytest.raises(WorkflowError):
        services.card_lend(card=card, by=logistics_admin, to="区教研室", due=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(WorkflowError):
        services.card_lend(card=card, by=logistics_admin, to="  ", due=timezone.localdate())
    assert AssetCard.objects.get(pk=card.pk).status == "idle"


def test_custody_goes_only_to_this_schools_people_classes_and_rooms(school, logistics_admin, outsider, other_room):
    card = register(school, logistics_admin)
    for target in ({"custodian": outsider}, {"room": other_room}, {}):
        with pytest.raises(WorkflowError):
            services.card_issue(card=card, by=logistics_admin, **target)
    assert AssetCard.objects.get(pk=card.pk).status == "idle"
    assert Movement.objects.filter(card=card).count() == 1


def test_repair_and_disposal_proposal_change_the_state(school, logistics_admin, teacher):
    card = register(school, logistics_admin, custodian=teacher)
    card = services.card_send_to_repair(card=card, by=logistics_admin)
    assert card.status == "under_repair"
    card = services.card_back_from_repair(card=card, by=logistics_admin)
    assert card.status == "in_use"
    with pytest.raises(WorkflowError):
        services.card_propose_disposal(card=card, by=logistics_admin, reason=" ")
    card = services.card_propose_disposal(card=card, by=logistics_admin, reason="超过使用年限，无法修复")
    assert card.status == "pending_disposal"
    with pytest.raises(WorkflowError):
        services.card_issue(card=card, by=logistics_admin, custodian=teacher)


def test_nobody_but_the_office_moves_a_card(school, logistics_admin, teacher, principal):
    card = register(school, logistics_admin)
    for person in (teacher, principal):
        with pytest.raises(WorkflowError):
            services.card_issue(card=card, by=person, custodian=person)
    finance = member(school, Role.STAFF, Role.FINANCE, username="finance")
    with pytest.raises(WorkflowError):
        services.card_issue(card=card, by=finance, custodian=finance)


def test_part_of_a_batch_moves_as_a_card_of_its_own_and_the_values_add_up(school, logistics_admin, room, school_class):
    desks = register(school, logistics_admin, asset_class=asset_class("A05010203"), name="学生课桌椅", quantity=800, unit="套",
                     original_value=Decimal("208000"), acquired_on=dt.date(2019, 8, 20))
    part = services.card_issue(card=desks, by=logistics_admin, custodian_class=school_class, quantity=45)
    desks.refresh_from_db()
    assert (part.quantity, part.original_value, part.custodian_class, part.room, part.status) == (45, Decimal("11700.00"), school_class,
                                                                                                 room, "in_use")
    assert (desks.quantity, desks.original_value, desks.status) == (755, Decimal("196300.00"), "idle")
    assert part.number == "A05010203-2019-0002" and desks.number in part.remarks
    odd = services.card_issue(card=desks, by=logistics_admin, room=room, quantity=7)  # 208000 × 7/755 does not divide to the fen
    desks.refresh_from_db()
    assert odd.original_value + desks.original_value + part.original_value == Decimal("208000.00")
    assert list(Movement.objects.filter(card=part).order_by("id").values_list("kind", flat=True)) == ["split", "issue"]
    assert AuditEntry.objects.filter(object_id=desks.pk, action="assets.assetcard.split").count() == 2
    for bad in (0, 749, 900):
        with pytest.raises(WorkflowError):
            services.card_issue(card=desks, by=logistics_admin, room=room, quantity=bad)
    assert AssetCard.objects.count() == 3
