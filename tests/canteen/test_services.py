"""The rules of the daily records, each refused at its field with the rule named."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from canteen import services
from canteen.models import AccompaniedMeal, DailyCheck, Delivery, MorningCheck, Sample, Symptom
from logistics.audit import AuditEntry
from tests.canteen.conftest import jpeg
from tests.canteen.factories import StaffFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def field_errors(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Samples ---------------------------------------------------------------------------------------

def test_a_sample_under_the_minimum_weight_is_refused_with_the_rule(canteen: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="红烧肉", grams=100, by=manager)
    assert field_errors(excinfo) == {"grams": ["留样不少于125克"]}
    assert not Sample.objects.exists()


def test_the_minimum_weight_is_the_schools_setting(canteen: Any, manager: Any, day: dt.date) -> None:
    canteen.sample_min_grams = 200
    canteen.save()
    with pytest.raises(ValidationError) as excinfo:
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="红烧肉", grams=150, by=manager)
    assert "200" in field_errors(excinfo)["grams"][0]


def test_a_sample_is_kept_48_hours_from_when_it_was_taken(canteen: Any, manager: Any, fridge: Any, day: dt.date) -> None:
    taken = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 50))
    sample = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="红烧肉", grams=130, by=manager, fridge=fridge, taken_at=taken)
    assert sample.expires_at == taken + dt.timedelta(hours=48)
    assert sample.status == Sample.Status.KEPT


def test_a_destruction_before_expiry_is_refused_and_after_it_recorded(canteen: Any, manager: Any, day: dt.date) -> None:
    taken = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 50))
    sample = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=125, by=manager, taken_at=taken)
    with pytest.raises(ValidationError) as excinfo:
        services.sample_destroy(sample=sample, by=manager, at=taken + dt.timedelta(hours=47, minutes=59))
    assert "不得销毁" in field_errors(excinfo)["destroyed_at"][0]
    sample.refresh_from_db()
    assert sample.status == Sample.Status.KEPT
    services.sample_destroy(sample=sample, by=manager, at=taken + dt.timedelta(hours=48))
    sample.refresh_from_db()
    assert sample.status == Sample.Status.DESTROYED and sample.destroyed_by == manager
    with pytest.raises(services.WorkflowError):
        services.sample_destroy(sample=sample, by=manager, at=taken + dt.timedelta(hours=49))


def test_a_record_dated_in_the_future_is_refused(canteen: Any, manager: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.sample_record(canteen=canteen, day=tomorrow, meal="lunch", dish="米饭", grams=150, by=manager)
    assert field_errors(excinfo) == {"day": ["记录日期不能晚于今天。"]}
    with pytest.raises(ValidationError):
        services.sample_record(canteen=canteen, day=dt.date(1, 1, 1), meal="lunch", dish="米饭", grams=150, by=manager)


def test_a_meal_the_canteen_does_not_serve_is_refused(canteen: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.sample_record(canteen=canteen, day=day, meal="dinner", dish="米饭", grams=150, by=manager)
    assert "meal" in field_errors(excinfo)


def test_a_fridge_of_another_canteen_is_refused(canteen: Any, other_canteen: Any, manager: Any, day: dt.date) -> None:
    from tests.canteen.factories import FridgeFactory

    with pytest.raises(ValidationError) as excinfo:
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager,
                               fridge=FridgeFactory(canteen=other_canteen))
    assert "fridge" in field_errors(excinfo)


# --- Replays and corrections ----------------------------------------------------------------------------

def test_the_same_record_sent_twice_is_stored_once(canteen: Any, manager: Any, day: dt.date) -> None:
    uid = uuid.uuid4()
    services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager, uid=uid)
    with pytest.raises(services.Replay):
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager, uid=str(uid))
    assert Sample.objects.count() == 1


def test_the_time_it_was_recorded_is_kept_when_sent_later(canteen: Any, manager: Any, day: dt.date) -> None:
    typed = timezone.now() - dt.timedelta(minutes=40)
    sample = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager, recorded_at=typed)
    assert sample.recorded_at == typed
    assert sample.created_at > typed
    future = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="青菜", grams=150, by=manager,
                                    recorded_at=timezone.now() + dt.timedelta(days=3))
    assert future.recorded_at <= timezone.now()  # a phone with a wrong clock does not date a record ahead


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(canteen: Any, manager: Any, day: dt.date) -> None:
    first = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager)
    with pytest.raises(ValidationError):
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=160, by=manager, replaces=first)
    second = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=160, by=manager, replaces=first,
                                    reason="称重读错")
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.replaces == first
    assert second.correction_reason == "称重读错"
    assert list(Sample.objects.current()) == [second]
    assert AuditEntry.objects.filter(action="canteen.sample.corrected", object_id=first.pk, note="称重读错").exists()
    with pytest.raises(services.WorkflowError):
        services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=170, by=manager, replaces=first, reason="again")


# --- Morning checks -------------------------------------------------------------------------------------

def test_a_temperature_of_45_is_refused_at_the_field(canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("45"), by=manager)
    assert "temperature" in field_errors(excinfo)
    assert not MorningCheck.objects.exists()


def test_fever_moves_the_person_off_duty_for_the_day(canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    check = services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("38.2"), by=manager,
                                          decision=MorningCheck.Decision.ON_DUTY)
    assert check.decision == MorningCheck.Decision.OFF_DUTY
    assert Symptom.FEVER in check.symptoms and check.action


@pytest.mark.parametrize("symptom", [Symptom.DIARRHOEA, Symptom.WOUND, Symptom.SORE_THROAT])
def test_a_barred_symptom_moves_the_person_off_duty(canteen: Any, cooks: list[Any], manager: Any, day: dt.date, symptom: int) -> None:
    check = services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("36.5"), by=manager, symptoms=[symptom])
    assert check.decision == MorningCheck.Decision.OFF_DUTY


def test_a_cough_alone_does_not(canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    check = services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("36.5"), by=manager, symptoms=[Symptom.COUGH])
    assert check.decision == MorningCheck.Decision.ON_DUTY


def test_a_lapsed_health_certificate_blocks_on_duty(canteen: Any, manager: Any, day: dt.date) -> None:
    lapsed = StaffFactory(canteen=canteen, name="周师傅", certificate_expires=day - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        services.morning_check_record(canteen=canteen, staff=lapsed, day=day, temperature=Decimal("36.5"), by=manager)
    assert "周师傅" in field_errors(excinfo)["decision"][0]
    check = services.morning_check_record(canteen=canteen, staff=lapsed, day=day, temperature=Decimal("36.5"), by=manager,
                                          decision=MorningCheck.Decision.OFF_DUTY, action="健康证过期，安排办证")
    assert not check.certificate_valid


def test_one_check_per_person_per_day(canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("36.5"), by=manager)
    with pytest.raises(ValidationError) as excinfo:
        services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("36.6"), by=manager)
    assert "staff" in field_errors(excinfo)


# --- Deliveries ---------------------------------------------------------------------------------------

def item(**kw: Any) -> dict[str, Any]:
    return {"name": "大米", "spec": "25kg/袋", "quantity": Decimal("100"), "unit": "kg", "production_date": dt.date(2026, 11, 1),
            "batch": "B1101", "shelf_life_days": 365, "is_staple": False, **kw}


def test_a_delivery_is_kept_six_months_past_the_shelf_life(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    delivery = services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item()], by=manager)
    # 2026-11-01 + 365 days = 2027-11-01; + 6 months = 2028-05-01
    assert delivery.retain_until == dt.date(2028, 5, 1)


def test_without_a_shelf_life_the_record_is_kept_two_years(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    delivery = services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item(shelf_life_days=None, production_date=None)], by=manager)
    assert delivery.retain_until == dt.date(2028, 11, 25)


def test_bulk_staples_need_a_second_person(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item(is_staple=True)], by=manager)
    assert "second_acceptor" in field_errors(excinfo)
    delivery = services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item(is_staple=True)], by=manager, second_acceptor="李阿姨")
    assert delivery.second_acceptor == "李阿姨"


def test_a_rejected_delivery_keeps_its_record_and_reason(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError):
        services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item()], by=manager, status=Delivery.Status.REJECTED)
    delivery = services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item()], by=manager,
                                        status=Delivery.Status.REJECTED, rejection_reason="包装破损")
    assert Delivery.objects.get(pk=delivery.pk).rejection_reason == "包装破损"


def test_a_certificate_photo_is_stored_re_encoded(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    delivery = services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item()], by=manager, photos=[jpeg()])
    photo = delivery.photos.get()
    assert photo.image.name.endswith(".jpg") and photo.thumbnail


def test_another_schools_supplier_is_refused(canteen: Any, other_school: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.delivery_record(canteen=canteen, supplier=SupplierFactory(school=other_school), day=day, items=[item()], by=manager)
    assert "supplier" in field_errors(excinfo)


def test_a_production_date_after_the_delivery_is_refused(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.delivery_record(canteen=canteen, supplier=supplier, day=day, items=[item(production_date=day + dt.timedelta(days=1))], by=manager)
    assert "production_date" in field_errors(excinfo)


# --- Rapid tests, disinfection, accompanied meals, the checklist ----------------------------------------

def test_fifty_percent_inhibition_is_positive_and_the_batch_refused(canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    negative = services.rapid_test_record(canteen=canteen, day=day, sample_name="青菜", inhibition=Decimal("49.99"), by=manager)
    positive = services.rapid_test_record(canteen=canteen, day=day, sample_name="菠菜", inhibition=Decimal("50"), by=manager, supplier=supplier)
    assert not negative.positive and positive.positive
    assert positive.action  # "refused, not used, retest" said by default
    retest = services.rapid_test_record(canteen=canteen, day=day, sample_name="菠菜", inhibition=Decimal("12"), by=manager, retest_of=positive)
    assert retest.retest_of == positive
    with pytest.raises(ValidationError):
        services.rapid_test_record(canteen=canteen, day=day, sample_name="菠菜", inhibition=Decimal("101"), by=manager)


@pytest.mark.parametrize(("method", "temperature", "concentration", "seconds", "flagged"), [
    ("infrared", Decimal("120"), None, 600, False),
    ("infrared", Decimal("100"), None, 600, True),
    ("boiling", Decimal("100"), None, 300, True),
    ("dishwasher", Decimal("85"), None, 40, False),
    ("chlorine", None, 250, 300, False),
    ("chlorine", None, 150, 300, True),
])
def test_disinfection_out_of_range_is_flagged(canteen: Any, manager: Any, day: dt.date, method: str, temperature: Any,
                                              concentration: Any, seconds: int, flagged: bool) -> None:
    record = services.disinfection_record(canteen=canteen, day=day, meal="lunch", method=method, temperature=temperature,
                                          concentration=concentration, seconds=seconds, by=manager)
    assert record.out_of_range is flagged


def test_disinfection_needs_its_methods_parameter(canteen: Any, manager: Any, day: dt.date) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.disinfection_record(canteen=canteen, day=day, meal="lunch", method="chlorine", seconds=300, by=manager)
    assert "concentration" in field_errors(excinfo)


def test_a_parents_opinion_is_answered_to_closure(canteen: Any, manager: Any, vice: Any, day: dt.date) -> None:
    leader = services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="吴副校长", by=vice, opinion="菜偏咸")
    assert leader.feedback == AccompaniedMeal.Feedback.NONE
    parent = services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="家长张女士", by=vice,
                                              role=AccompaniedMeal.Role.PARENT, opinion="希望多一些水果")
    assert parent.feedback == AccompaniedMeal.Feedback.OPEN
    with pytest.raises(ValidationError):
        services.accompanied_meal_answer(meal=parent, answer=" ", by=manager)
    services.accompanied_meal_answer(meal=parent, answer="已从下周起每天增加一份水果", by=manager)
    parent.refresh_from_db()
    assert parent.feedback == AccompaniedMeal.Feedback.ANSWERED and parent.answered_by == manager
    with pytest.raises(services.WorkflowError):
        services.accompanied_meal_answer(meal=parent, answer="again", by=manager)


def test_no_problem_on_the_checklist_is_a_record_and_a_problem_needs_words(canteen: Any, manager: Any, day: dt.date) -> None:
    items = services.checklist_for(canteen)
    assert len(items) >= 10 and not any(i.for_kindergarten for i in items)
    with pytest.raises(ValidationError) as excinfo:
        services.daily_check_record(canteen=canteen, day=day, answers={items[0].pk: True}, by=manager)
    assert "answers" in field_errors(excinfo)
    answers = {i.pk: True for i in items}
    answers[items[1].pk] = False
    with pytest.raises(ValidationError) as excinfo:
        services.daily_check_record(canteen=canteen, day=day, answers=answers, by=manager)
    assert "problems" in field_errors(excinfo)
    record = services.daily_check_record(canteen=canteen, day=day, answers={i.pk: True for i in items}, by=manager)
    assert record.all_ok and DailyCheck.objects.current().count() == 1


def test_a_kindergarten_gets_its_own_items(canteen: Any) -> None:
    canteen.is_kindergarten = True
    canteen.save()
    assert any(i.for_kindergarten for i in services.checklist_for(canteen))


def test_the_additive_register_names_the_additive_dish_and_amount(canteen: Any, manager: Any, day: dt.date, client_for: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.additive_record(canteen=canteen, day=day, name=" ", dish="红烧肉", grams=Decimal("0"), by=manager)
    assert set(field_errors(excinfo)) == {"name", "grams"}
    services.additive_record(canteen=canteen, day=day, name="焦糖色", dish="红烧肉", grams=Decimal("3.5"), by=manager, batch="C2611")
    from django.urls import reverse

    page = client_for(manager).get(reverse("canteen:day", args=[canteen.pk, day.isoformat()])).content.decode()
    assert "焦糖色" in page
