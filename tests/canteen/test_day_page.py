"""The day page draws what is due and the one-tap buttons; each full form is a page of its own (or
only the form, fetched into the day page); the staff's faces are served to their school only."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from canteen import services
from canteen.forms import StaffAdminForm
from canteen.models import DailyCheck, Sample

pytestmark = pytest.mark.django_db


def day_url(canteen: Any, day: dt.date) -> str:
    return reverse("canteen:day", args=[canteen.pk, day.isoformat()])


def form_url(canteen: Any, day: dt.date, kind: str) -> str:
    return reverse("canteen:record-add", args=[canteen.pk, day.isoformat(), kind])


def picture(size: tuple[int, int] = (600, 800), fmt: str = "JPEG", name: str = "face.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "tan").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_day_page_draws_the_one_tap_buttons_and_no_full_form(client_for: Any, canteen: Any, cooks: list[Any], fridge: Any,
                                                                  manager: Any, day: dt.date) -> None:
    from canteen.models import MenuDish

    MenuDish.objects.create(canteen=canteen, day=day, meal="lunch", name="番茄炒蛋")
    page = client_for(manager).get(day_url(canteen, day)).content.decode()
    assert page.count("data-check-ok") == 3 and 'data-sample-dish="番茄炒蛋"' in page and "data-checklist-submit" in page
    for kind in ("check", "sample", "disinfection", "accompanied", "delivery", "rapid", "additive", "checklist"):
        assert f'data-src="{form_url(canteen, day, kind)}"' in page, kind
    assert "<select" not in page and "<textarea" not in page and 'name="supplier"' not in page


def test_a_record_form_is_a_page_or_only_the_form_for_the_day_page(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                   fridge: Any, day: dt.date) -> None:
    client = client_for(manager)
    page = client.get(form_url(canteen, day, "sample"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body and 'data-done-url="' in body and 'name="grams"' in body and 'value="125"' in body
    fragment = client.get(form_url(canteen, day, "sample") + "?fragment=1").content.decode()
    assert "<html" not in fragment and fragment.strip().startswith("<form") and "data-offline" in fragment
    assert "data-done-url" not in fragment  # in the day page, the page is drawn again after recording
    checklist = client.get(form_url(canteen, day, "checklist") + "?fragment=1").content.decode()
    assert checklist.count('type="checkbox"') == len(services.checklist_for(canteen)) and 'name="problems"' in checklist


def test_record_forms_follow_the_permissions_and_the_school(client_for: Any, canteen: Any, other_canteen: Any, manager: Any, vice: Any,
                                                            teacher: Any, day: dt.date) -> None:
    assert client_for(vice).get(form_url(canteen, day, "sample")).status_code == 403
    assert client_for(vice).get(form_url(canteen, day, "accompanied")).status_code == 200
    assert client_for(teacher).get(form_url(canteen, day, "accompanied")).status_code == 403
    assert client_for(manager).get(form_url(other_canteen, day, "sample")).status_code == 404
    assert client_for(manager).get(form_url(canteen, day, "nonsense")).status_code == 404
    assert client_for(manager).get(form_url(canteen, dt.date.today() + dt.timedelta(days=2), "sample")).status_code == 404


def test_a_refused_form_comes_back_on_its_own_page_with_what_was_typed(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    response = client_for(manager).post(form_url(canteen, day, "sample"), {"meal": "lunch", "dish": "红烧肉", "grams": 80})
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-back-to-day" in body and 'value="红烧肉"' in body and "留样不少于125克" in body
    assert not Sample.objects.exists()


def test_the_checklist_in_one_tap_when_nothing_was_found(client_for: Any, canteen: Any, manager: Any, day: dt.date) -> None:
    client = client_for(manager)
    page = client.get(day_url(canteen, day)).content.decode()
    form = page.split('action="' + form_url(canteen, day, "checklist") + '"')[1].split("</form>")[0]
    items = [part.split('"')[0] for part in form.split('name="item_')[1:]]
    assert len(items) == len(services.checklist_for(canteen))
    data = {f"item_{pk}": "on" for pk in items} | {"uid": str(uuid.uuid4())}
    assert client.post(form_url(canteen, day, "checklist"), data).status_code == 302
    assert DailyCheck.objects.get().all_ok
    assert "data-checklist-done" in client.get(day_url(canteen, day)).content.decode()


def test_a_staff_photo_is_shown_small_and_served_to_the_school_only(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                    vice: Any, teacher: Any, outsider: Any, day: dt.date) -> None:
    cook = cooks[0]
    cook.photo.save("wang.jpg", ContentFile(picture().read()))
    page = client_for(manager).get(day_url(canteen, day)).content.decode()
    src = page.split("data-staff-photo")[0].rsplit('src="', 1)[1].split('"')[0]
    assert src.startswith(reverse("canteen:staff-photo", args=[cook.pk])) and 'loading="lazy"' in page
    small = client_for(manager).get(src)
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg" and "private" in small["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(small.streaming_content))).size == (96, 96)
    listing = client_for(vice).get(reverse("canteen:staff-list")).content.decode()
    large = listing.split("data-staff-photo")[0].rsplit('src="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert Image.open(io.BytesIO(b"".join(client_for(vice).get(large).streaming_content))).size == (192, 192)
    assert client_for(teacher).get(src).status_code == 403
    assert client_for(outsider).get(src).status_code == 404
    assert client_for(manager).get(reverse("canteen:staff-photo", args=[cooks[1].pk])).status_code == 404  # no photo
    assert client_for(manager).get(src.split("?")[0] + "?size=huge").status_code == 404


@pytest.mark.parametrize(("upload", "says"), [
    (SimpleUploadedFile("cv.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg"), "不是图片"),
    (SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"), "10 MB"),
])
def test_a_fake_or_huge_staff_photo_is_refused_in_words(upload: Any, says: str, canteen: Any, cooks: list[Any], settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    cook = cooks[0]
    data = {"canteen": canteen.pk, "name": cook.name, "post": "", "certificate_no": "", "on_duty": "on", "is_active": "on"}
    with translation.override("zh-hans"):
        form = StaffAdminForm(data, {"photo": upload}, instance=cook)
        assert not form.is_valid()
        assert says in " ".join(form.errors["photo"])


def test_a_pixel_bomb_is_refused_before_it_is_decoded(canteen: Any, cooks: list[Any], settings: Any) -> None:
    settings.PHOTO_MAX_PIXELS = 1000
    cook = cooks[0]
    data = {"canteen": canteen.pk, "name": cook.name, "on_duty": "on", "is_active": "on"}
    form = StaffAdminForm(data, {"photo": picture((100, 100), "PNG", "bomb.png")}, instance=cook)
    assert not form.is_valid() and "100 × 100" in " ".join(form.errors["photo"])


def test_a_staff_photo_is_kept_re_encoded_without_exif(canteen: Any, cooks: list[Any]) -> None:
    cook = cooks[0]
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (3000, 2000), "tan").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("face.jpg", buffer.getvalue(), content_type="image/jpeg")
    data = {"canteen": canteen.pk, "name": cook.name, "on_duty": "on", "is_active": "on"}
    form = StaffAdminForm(data, {"photo": upload}, instance=cook)
    assert form.is_valid(), form.errors
    form.save()
    cook.refresh_from_db()
    with cook.photo.open("rb") as handle, Image.open(handle) as img:
        assert max(img.size) == 2000 and not img.getexif()


def test_the_day_statement_shows_every_kind_of_record(client_for: Any, canteen: Any, cooks: list[Any], fridge: Any, supplier: Any,
                                                      manager: Any, day: dt.date) -> None:
    from decimal import Decimal

    services.morning_check_record(canteen=canteen, staff=cooks[0], day=day, temperature=Decimal("37"), by=manager)
    services.sample_record(canteen=canteen, day=day, meal="lunch", dish="米饭", grams=150, by=manager, fridge=fridge)
    services.disinfection_record(canteen=canteen, day=day, meal="lunch", method="infrared", temperature=Decimal(120), seconds=900, by=manager)
    services.accompanied_meal_record(canteen=canteen, day=day - dt.timedelta(days=3), meal="lunch", person="张家长", role="parent",
                                     opinion="菜有点咸", by=manager)
    services.rapid_test_record(canteen=canteen, day=day, sample_name="青菜", inhibition=Decimal("62.5"), by=manager)
    services.additive_record(canteen=canteen, day=day, name="食盐", dish="米饭", grams=Decimal("3.5"), by=manager)
    services.delivery_record(canteen=canteen, day=day, supplier=supplier, by=manager, status="rejected", rejection_reason="无检疫证明",
                             items=[{"name": "猪肉", "quantity": Decimal("12.5"), "unit": "kg"}])
    page = client_for(manager).get(day_url(canteen, day)).content.decode()
    assert "37.0℃ · 上岗" in page or "37.0℃ · On duty" in page
    assert "米饭</a> 150 g · 留样冰箱1号" in page and "红外" in page or "Infrared" in page
    assert "data-open-feedback" in page and f"{(day - dt.timedelta(days=3)):%-m/%-d} 张家长" in page
    assert "青菜</a> 62.50% " in page and "data-positive" in page
    assert "食盐</a> 3.50 g · 米饭" in page
    assert "绿源蔬菜配送有限公司</a>" in page and "猪肉 12.50kg" in page and "text-bg-danger" in page


# --- The kept body: drawn once, written again when a record or a moment of the day says so ---------------

def test_the_day_phase_says_everything_the_time_changes_on_the_page(canteen: Any, cooks: list[Any], day: dt.date) -> None:
    from django.utils import timezone

    from canteen.selectors import day_phase, day_view, setup_of

    setup, tz = setup_of(canteen), timezone.get_current_timezone()
    states: dict[str, Any] = {}
    for minute in range(0, 24 * 60, 5):
        now = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
        view = day_view(canteen, day, now=now)
        drawn = [(k.key, [(s.key, s.state) for s in k.slots]) for k in view.kinds]
        assert states.setdefault(day_phase(canteen, setup, day, now=now), drawn) == drawn, now
    # Breakfast due (05:00), opening (06:30), breakfast missing (08:00), lunch due (09:40) and missing
    # (12:40): five moments, six phases, each drawn differently.
    assert sorted(states) == ["0", "1", "2", "3", "4", "5"] and len({str(v) for v in states.values()}) == 6
    assert day_phase(canteen, setup, day, now=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 1), tzinfo=tz)) == "past"


def test_each_visit_to_the_kept_page_gets_fresh_record_ids_and_its_own_token(canteen: Any, cooks: list[Any], manager: Any,
                                                                          school: Any, day: dt.date) -> None:
    import re

    from django.test import Client

    from logistics.models import Role
    from tests.factories import member

    first = Client(enforce_csrf_checks=True)
    first.force_login(manager)
    second = Client(enforce_csrf_checks=True)
    second.force_login(member(school, Role.STAFF, Role.CANTEEN_MANAGER, username="cook2", full_name="孙师傅"))
    pages = [first.get(day_url(canteen, day)).content.decode() for _ in range(2)] + [second.get(day_url(canteen, day)).content.decode()]
    uids = [re.findall(r'name="uid" value="([^"]*)"', page) for page in pages]
    assert all(len(u) == 2 for u in uids)  # the morning checks' form and the checklist's
    assert len({uid for u in uids for uid in u}) == 6 and all(uuid.UUID(uid) for u in uids for uid in u)
    assert not any("\x00" in page for page in pages)
    # The second person sends the one-tap check from the page drawn for the first: their own token.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pages[2]).group(1)
    response = second.post(form_url(canteen, day, "check"), {
        "csrfmiddlewaretoken": token, "uid": uids[2][0], "recorded_at": "", "temperature": "36.5", "hygiene_ok": "on",
        "decision": "on_duty", "staff": cooks[0].pk})
    assert response.status_code == 302
    assert f'data-staff="{cooks[0].pk}" data-state="done"' in first.get(day_url(canteen, day)).content.decode()


def test_the_kept_page_shows_another_persons_record_the_roster_and_what_each_person_may_do(
        client_for: Any, canteen: Any, cooks: list[Any], manager: Any, vice: Any, school: Any, day: dt.date) -> None:
    from canteen.services.configure import roster_set

    cook, head = client_for(manager), client_for(vice)
    assert cook.get(day_url(canteen, day)).content.decode().count("data-check-ok") == 3
    assert "data-check-ok" not in head.get(day_url(canteen, day)).content.decode()  # the vice principal records no checks
    services.accompanied_meal_record(canteen=canteen, day=day, meal="lunch", person="吴副校长", role="leader", taste="good", by=vice)
    page = cook.get(day_url(canteen, day)).content.decode()
    assert "吴副校长" in page and page.count("data-check-ok") == 3
    roster_set(school=school, on_duty={cooks[0].pk}, by=manager)  # an update(): no signal
    assert cook.get(day_url(canteen, day)).content.decode().count("data-check-ok") == 1


def test_the_kept_page_is_drawn_again_when_a_moment_of_the_day_passes(client_for: Any, canteen: Any, cooks: list[Any], manager: Any,
                                                                       monkeypatch: Any) -> None:
    from django.utils import timezone

    today, tz = timezone.localdate(), timezone.get_current_timezone()
    client = client_for(manager)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime.combine(today, dt.time(9, 0), tzinfo=tz))
    assert 'data-sample-meal="lunch" data-state="later"' in client.get(day_url(canteen, today)).content.decode()
    assert 'data-sample-meal="lunch" data-state="later"' in client.get(day_url(canteen, today)).content.decode()  # kept
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime.combine(today, dt.time(9, 45), tzinfo=tz))  # lunch (11:40) due from 09:40
    assert 'data-sample-meal="lunch" data-state="due"' in client.get(day_url(canteen, today)).content.decode()
