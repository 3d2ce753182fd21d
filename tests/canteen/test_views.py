"""The canteen screens: who may open and post what, field errors that keep what was typed, replays,
the day view's states, the month grid's colours, exports."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from canteen import services
from canteen.models import AccompaniedMeal, MorningCheck, Sample
from canteen.selectors import day_view, month_grid
from tests.canteen.conftest import jpeg

pytestmark = pytest.mark.django_db


def day_url(canteen: Any, day: dt.date) -> str:
    return reverse("canteen:day", args=[canteen.pk, day.isoformat()])


def add_url(canteen: Any, day: dt.date, kind: str) -> str:
    return reverse("canteen:record-add", args=[canteen.pk, day.isoformat(), kind])


def test_the_day_view_access_matrix(access: Any, client_for: Any, canteen: Any, manager: Any, vice: Any, principal: Any,
                                    logistics_admin: Any, teacher: Any, district: Any, outsider: Any, day: dt.date) -> None:
    access(client_for, day_url(canteen, day), {None: 302, manager: 200, vice: 200, principal: 200, logistics_admin: 200,
                                               teacher: 403, district: 403, outsider: 404})


def test_another_schools_canteen_is_a_404(client_for: Any, other_canteen: Any, manager: Any, day: dt.date) -> None:
    client = client_for(manager)
    assert client.get(day_url(other_canteen, day)).status_code == 404
    assert client.post(add_url(other_canteen, day, "sample"), {"meal": "lunch", "dish": "米饭", "grams": 150}).status_code == 404
    assert client.get(f"/canteen/{10**22}/day/{day.isoformat()}/").status_code == 404
    assert client.get(f"/canteen/{other_canteen.pk}/month/2026/11/").status_code == 404


def test_bad_dates_are_404(client_for: Any, canteen: Any, manager: Any) -> None:
    client = client_for(manager)
    for bad in ("2026-13-01", "not-a-day", "9999-12-31", "0001-01-01x"):
        assert client.get(f"/canteen/{canteen.pk}/day/{bad}/").status_code == 404, bad
    assert client.get(f"/canteen/{canteen.pk}/month/9999/1/").status_code == 404
    assert client.get(f"/canteen/{canteen.pk}/month/2026/13/").status_code == 404


def test_only_the_manager_records_and_leaders_record_the_accompanied_meal(client_for: Any, canteen: Any, manager: Any, vice: Any,
                                                                          day: dt.date) -> None:
    sample = {"meal": "lunch", "dish": "米饭", "grams": 150, "uid": str(uuid.uuid4())}
    assert client_for(vice).post(add_url(canteen, day, "sample"), sample).status_code == 403
    assert client_for(manager).post(add_url(canteen, day, "sample"), sample).status_code == 302
    meal = {"meal": "lunch", "person": "吴副校长", "role": "leader", "taste": "good", "warmth": "good", "portion": "good", "hygiene": "good"}
    assert client_for(vice).post(add_url(canteen, day, "accompanied"), meal).status_code == 302
    assert AccompaniedMeal.objects.get().created_by == vice


def test_an_underweight_sample_is_refused_at_the_field_and_the_rest_kept(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    response = client_for(manager).post(add_url(canteen, day, "sample"), {"meal": "lunch", "dish": "=HYPERLINK(\"x\")<script>", "grams": 100})
    assert response.status_code == 400
    body = response.content.decode()
    assert "留样不少于125克" in body
    assert "=HYPERLINK" in body and "<script>" not in body.split("id_sample_dish")[1][:300]  # kept, escaped
    assert not Sample.objects.exists()


def test_a_fever_check_from_the_form_moves_the_person_off_duty(client_for: Any, canteen: Any, cooks: list[Any], manager: Any, day: dt.date) -> None:
    response = client_for(manager).post(add_url(canteen, day, "check"), {
        "staff": cooks[0].pk, "temperature": "38.1", "decision": "on_duty", "hygiene_ok": "on", "uid": str(uuid.uuid4())})
    assert response.status_code == 302
    assert MorningCheck.objects.get().decision == MorningCheck.Decision.OFF_DUTY


def test_a_temperature_of_45_is_refused_with_the_other_fields_kept(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                   day: dt.date) -> None:
    response = client_for(manager).post(add_url(canteen, day, "check"), {"staff": cooks[1].pk, "temperature": "45", "action": "复测"})
    assert response.status_code == 400
    assert 'value="复测"' in response.content.decode()
    assert not MorningCheck.objects.exists()


def test_an_offline_replay_is_refused_with_409(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    client = client_for(manager)
    data = {"meal": "lunch", "dish": "米饭", "grams": 150, "uid": str(uuid.uuid4()), "recorded_at": "2026-11-25T11:52:00+08:00"}
    first = client.post(add_url(canteen, day, "sample"), data, HTTP_X_CANTEEN_OFFLINE="1")
    again = client.post(add_url(canteen, day, "sample"), data, HTTP_X_CANTEEN_OFFLINE="1")
    assert (first.status_code, again.status_code) == (201, 409)
    sample = Sample.objects.get()
    assert timezone.localtime(sample.recorded_at).strftime("%H:%M") == "11:52"
    bad = client.post(add_url(canteen, day, "sample"), {**data, "uid": str(uuid.uuid4()), "grams": 10}, HTTP_X_CANTEEN_OFFLINE="1")
    assert bad.status_code == 400 and "grams" in bad.json()["errors"]


def test_a_delivery_with_a_certificate_photo_from_the_form(client_for: Any, canteen: Any, supplier: Any, manager: Any, day: dt.date) -> None:
    client = client_for(manager)
    response = client.post(add_url(canteen, day, "delivery"), {
        "supplier": supplier.pk, "name": "鸡蛋", "quantity": "30", "unit": "kg", "production_date": "2026-11-24", "shelf_life_days": "30",
        "is_staple": "on", "second_acceptor": "李阿姨", "status": "accepted", "photo": jpeg()})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(day_url(canteen, day)).content.decode()
    assert "鸡蛋" in page and "data-certificate-photo" in page
    photo_url = page.split('src="')[1].split('"')[0] if 'canteen-thumb' in page else ""
    assert client.get(photo_url).status_code == 200


def test_the_day_view_turns_complete_and_the_month_grid_green(canteen: Any, cooks: list[Any], manager: Any, vice: Any, fridge: Any,
                                                              day: dt.date, client_for: Any) -> None:
    for cook in cooks:
        services.morning_check_record(canteen=canteen, staff=cook, day=day, temperature=Decimal("36.4"), by=manager)
    for meal in ("breakfast", "lunch"):
        services.sample_record(canteen=canteen, day=day, meal=meal, dish="米饭", grams=150, by=manager, fridge=fridge)
        services.disinfection_record(canteen=canteen, day=day, meal=meal, method="infrared", temperature=Decimal(120), seconds=900, by=manager)
    services.daily_check_record(canteen=canteen, day=day, answers={i.pk: True for i in services.checklist_for(canteen)}, by=manager)
    view = day_view(canteen, day)
    assert [k.key for k in view.missing_kinds] == ["accompanied"]
    grid = {g.day: g for g in month_grid(canteen, day.year, day.month, today=day + dt.timedelta(days=1))}
    assert grid[day].cells["accompanied"] == "red" and grid[day].cells["samples"] == "green"
    services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="吴副校长", by=vice)
    assert day_view(canteen, day).complete
    grid = {g.day: g for g in month_grid(canteen, day.year, day.month, today=day + dt.timedelta(days=1))}
    assert set(grid[day].cells.values()) == {"green"}
    page = client_for(vice).get(reverse("canteen:month", args=[canteen.pk, day.year, day.month])).content.decode()
    assert f'data-grid-day="{day.isoformat()}" data-colour="green"' in page


def test_samples_of_a_meal_not_kept_show_as_missing_after_an_hour(canteen: Any, manager: Any) -> None:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    at_noon = dt.datetime.combine(today, dt.time(12, 0), tzinfo=tz)
    at_one = dt.datetime.combine(today, dt.time(12, 45), tzinfo=tz)
    assert day_view(canteen, today, now=at_noon).kind("samples").slots[1].state == "due"
    assert day_view(canteen, today, now=at_one).kind("samples").slots[1].state == "missing"


def test_a_menu_prefills_the_samples_to_keep(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    from canteen.models import MenuDish

    MenuDish.objects.create(canteen=canteen, day=day, meal="lunch", name="番茄炒蛋")
    MenuDish.objects.create(canteen=canteen, day=day, meal="lunch", name="清炒时蔬")
    services.sample_record(canteen=canteen, day=day, meal="lunch", dish="清炒时蔬", grams=150, by=manager)
    services.disinfection_record(canteen=canteen, day=day, meal="lunch", method="infrared", temperature=Decimal(120), seconds=900, by=manager)
    page = client_for(manager).get(day_url(canteen, day)).content.decode()
    assert 'data-sample-dish="番茄炒蛋"' in page and 'data-sample-dish="清炒时蔬"' not in page


def test_the_export_has_one_sheet_per_kind_with_chinese_headers(client_for: Any, canteen: Any, manager: Any, cooks: list[Any], day: dt.date) -> None:
    services.sample_record(canteen=canteen, day=day, meal="lunch", dish="=1+1", grams=150, by=manager)
    services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("38.0"), by=manager)
    response = client_for(manager).get(reverse("canteen:export"), {"date_from": "2026-11-01", "date_to": "2026-11-30"},
                                       HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 8
    samples = book[book.sheetnames[1]]
    values = [[c.value for c in row] for row in samples.iter_rows()]
    assert "=1+1" in values[2]  # text, never a formula
    checks = book[book.sheetnames[0]]
    assert any("调离" in str(v) for row in checks.iter_rows() for v in (c.value for c in row))


def test_the_export_refuses_a_reversed_range(client_for: Any, manager: Any, canteen: Any) -> None:
    response = client_for(manager).get(reverse("canteen:export"), {"date_from": "2026-11-30", "date_to": "2026-11-01"})
    assert response.status_code == 400


def test_record_lists_filter_search_and_export(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    services.sample_record(canteen=canteen, day=day, meal="lunch", dish="红烧肉", grams=150, by=manager)
    services.sample_record(canteen=canteen, day=day, meal="breakfast", dish="馒头", grams=150, by=manager)
    client = client_for(manager)
    page = client.get(reverse("canteen:record-list", args=["sample"]), {"q": "红烧"}).content.decode()
    assert "红烧肉" in page and "馒头" not in page
    for kind in ("check", "sample", "disinfection", "accompanied", "delivery", "rapid", "checklist", "additive"):
        assert client.get(reverse("canteen:record-list", args=[kind])).status_code == 200
        export = client.get(reverse("canteen:record-export", args=[kind]))
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("canteen:record-list", args=["nothing"])).status_code == 404


def test_a_correction_from_the_detail_page_keeps_the_old_version(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    sample = services.sample_record(canteen=canteen, day=day, meal="lunch", dish="红烧肉", grams=150, by=manager)
    client = client_for(manager)
    url = reverse("canteen:record-correct", args=["sample", sample.pk])
    refused = client.post(url, {"meal": "lunch", "dish": "红烧肉", "grams": 160})
    assert refused.status_code == 400
    response = client.post(url, {"meal": "lunch", "dish": "红烧肉", "grams": 160, "correction_reason": "称重读错"})
    assert response.status_code == 302
    assert Sample.objects.count() == 2 and Sample.objects.current().get().grams == 160
    detail = client.get(response["Location"]).content.decode()
    assert "data-versions" in detail


def test_destruction_from_the_page_before_expiry_is_refused(client_for: Any, canteen: Any, manager: Any) -> None:
    sample = services.sample_record(canteen=canteen, day=timezone.localdate(), meal="lunch", dish="米饭", grams=150, by=manager)
    client_for(manager).post(reverse("canteen:sample-destroy", args=[sample.pk]))
    sample.refresh_from_db()
    assert sample.status == Sample.Status.KEPT
