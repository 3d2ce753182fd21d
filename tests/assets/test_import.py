"""Importing a school's Excel ledger: every kind of mess read, every bad line named with its reason
before anything is written, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.importing import parse_amount, parse_date, parse_quantity, parse_warranty, read_ledger
from assets.models import AssetCard, AssetClass, Movement
from assets.services import WorkflowError
from assets.services.importing import ledger_import, ledger_preview
from logistics.models import Room
from tests.assets.ledger_workbook import BAD_LINES, GOOD_LINES, messy_ledger
from tests.factories import BuildingFactory, CampusFactory, RoomFactory

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "asset-ledger-sample.xlsx"


@pytest.fixture
def lab(building):
    return RoomFactory(building=building, code="S101", name="物理实验室", kind=Room.Kind.LAB)


@pytest.fixture
def ready(school, logistics_admin, teacher, class_teacher, room, lab, school_class):
    """The school the messy ledger belongs to: its rooms, people and a class."""
    return school


# --- Values in every written form --------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("2019-09-01", dt.date(2019, 9, 1)), ("2019.9.1", dt.date(2019, 9, 1)), ("2019.09", dt.date(2019, 9, 1)),
    ("2019年9月", dt.date(2019, 9, 1)), ("2019年9月12日", dt.date(2019, 9, 12)), ("19/9/1", dt.date(2019, 9, 1)),
    ("2019/09/01", dt.date(2019, 9, 1)), ("20190901", dt.date(2019, 9, 1)), ("２０１９－０９－０１", dt.date(2019, 9, 1)),
    (dt.datetime(2019, 9, 1, 0, 0), dt.date(2019, 9, 1)), (" 2019-09-01 ", dt.date(2019, 9, 1)), ("", None), (None, None),
])
def test_dates_in_every_written_form(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2019.13.45", "去年九月", "=A1", "2019-02-30"])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text, amount", [
    (6400, Decimal("6400.00")), ("6,400.00", Decimal("6400.00")), ("6400元", Decimal("6400.00")), (" 6400 ", Decimal("6400.00")),
    ("６４００", Decimal("6400.00")), ("¥2,658.50", Decimal("2658.50")), (2658.5, Decimal("2658.50")), ("", None),
])
def test_amounts_with_units_commas_and_full_width_digits(text, amount):
    assert parse_amount(text) == amount


def test_quantities_and_warranty_spans():
    assert parse_quantity("１") == 1 and parse_quantity(800.0) == 800 and parse_quantity("800套") == 800
    with pytest.raises(ValueError):
        parse_quantity("一批")
    assert parse_warranty("3年", dt.date(2019, 9, 1)) == dt.date(2022, 9, 1)
    assert parse_warranty("36个月", dt.date(2019, 9, 1)) == dt.date(2022, 9, 1)


# --- Reading the workbook ------------------------------------------------------------------------------

def test_the_messy_ledger_is_read_line_by_line(db):
    ledger = read_ledger(io.BytesIO(messy_ledger()))
    assert len(ledger.rows) == GOOD_LINES and ledger.skipped_rows == 4  # two 小计, 合　计, 合计
    assert not [r.problems for r in ledger.rows if r.problems]
    by_number = {r.values["number"]: r.values for r in ledger.rows}
    assert [by_number[n]["location"] for n in ("ZC-2019-0001", "ZC-2019-0002", "ZC-2019-0003")] == ["A203"] * 3  # merged
    assert by_number["ZC-2019-0001"]["name"] == "台式计算机"  # the line break is gone
    assert by_number["ZC-2019-0001"]["warranty_until"] == dt.date(2022, 9, 1)  # 3年
    assert by_number["ZC-2019-0002"]["original_value"] == Decimal("6400.00") and by_number["ZC-2019-0002"]["quantity"] == 1
    assert by_number["ZC-2019-0003"]["remarks"] == "=A1"  # text, not a formula
    assert by_number["ZC-2021-0003"]["acquired_on"] == dt.date(2021, 9, 13)
    assert any("低值易耗品" in n for n in ledger.notes) and any("说明" in n for n in ledger.notes)


def test_a_file_that_is_not_a_workbook_is_said_so(db):
    ledger = read_ledger(io.BytesIO(b"not a workbook"))
    assert not ledger.rows and ledger.notes


# --- Preview and import ----------------------------------------------------------------------------------

def test_every_bad_line_is_listed_with_its_reason_and_nothing_is_written(ready, logistics_admin):
    preview = ledger_preview(school=ready, file=io.BytesIO(messy_ledger(bad=True)))
    bad = {(r.sheet, r.row): " ".join(r.problems) for r in preview.bad_rows}
    assert set(bad) == set(BAD_LINES), sorted(set(bad) ^ set(BAD_LINES))
    for where, piece in BAD_LINES.items():
        assert piece in bad[where], f"{where}: {bad[where]}"
    assert not preview.can_import
    with pytest.raises(WorkflowError):
        ledger_import(school=ready, by=logistics_admin, file=io.BytesIO(messy_ledger(bad=True)))
    assert not AssetCard.objects.exists() and not Movement.objects.exists()


def test_a_clean_ledger_is_imported_whole(ready, logistics_admin, teacher, class_teacher, room, lab, school_class):
    preview = ledger_preview(school=ready, file=io.BytesIO(messy_ledger()))
    assert preview.can_import and preview.total_value == Decimal("285947.00")
    assert any("外校老师" in w for r in preview.warned_rows for w in r.warnings)  # unknown person: kept in the remarks
    cards = ledger_import(school=ready, by=logistics_admin, file=io.BytesIO(messy_ledger()), source="台账.xlsx")
    assert len(cards) == GOOD_LINES == AssetCard.objects.count()
    card = {c.number: c for c in AssetCard.objects.select_related("room", "custodian", "custodian_class")}
    assert (card["ZC-2019-0001"].room, card["ZC-2019-0001"].custodian) == (room, teacher)
    assert card["ZC-2019-0003"].room == room and card["ZC-2019-0003"].status == "idle"  # 闲置 in the file
    assert card["ZC-2021-0002"].room == room and card["ZC-2021-0002"].custodian_class == school_class  # "教学楼A栋 A203", a class
    desks = card["ZC-2019-0005"]
    assert (desks.quantity, desks.unit_value, desks.acquisition, desks.room) == (800, Decimal("260.00"), "allocation", None)
    laptop = AssetCard.objects.get(name="笔记本电脑")
    assert laptop.number == "A02010108-2019-0001" and laptop.room == lab and "外校老师" in laptop.remarks
    assert Movement.objects.filter(kind="register").count() == GOOD_LINES


def test_an_import_refuses_numbers_already_on_the_ledger(ready, logistics_admin):
    ledger_import(school=ready, by=logistics_admin, file=io.BytesIO(messy_ledger()))
    preview = ledger_preview(school=ready, file=io.BytesIO(messy_ledger()))
    assert len(preview.bad_rows) == GOOD_LINES - 1  # all but the line without a number
    assert AssetCard.objects.count() == GOOD_LINES


# --- The screens -------------------------------------------------------------------------------------------

def upload(client, content: bytes, name: str = "台账.xlsx"):
    return client.post(reverse("assets:import"), {"file": SimpleUploadedFile(name, content)})


def test_the_preview_page_lists_the_bad_lines_and_offers_no_import(client_for, ready, logistics_admin):
    response = upload(client_for(logistics_admin), messy_ledger(bad=True))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-bad-row=") == len(BAD_LINES) and "A020101O5" in page and 'data-action="import"' not in page


def test_a_clean_file_is_previewed_then_imported(client_for, ready, logistics_admin):
    client = client_for(logistics_admin)
    response = upload(client, messy_ledger())
    assert 'data-action="import"' in response.content.decode() and not AssetCard.objects.exists()
    confirmed = client.post(reverse("assets:import-confirm"), {"token": response.context["token"]})
    assert confirmed.status_code == 302 and AssetCard.objects.count() == GOOD_LINES


def test_a_bad_file_is_not_kept_and_an_abandoned_preview_is_purged(client_for, ready, logistics_admin, settings):
    import os
    import time

    folder = Path(settings.MEDIA_ROOT) / "private" / "assets-imports" / str(ready.pk)
    upload(client_for(logistics_admin), messy_ledger(bad=True))
    assert not list(folder.glob("*.xlsx"))  # nothing to import from it: deleted at once
    upload(client_for(logistics_admin), messy_ledger())
    (abandoned,) = folder.glob("*.xlsx")
    old = time.time() - 3 * 3600
    os.utime(abandoned, (old, old))
    upload(client_for(logistics_admin), messy_ledger())
    assert not abandoned.exists() and len(list(folder.glob("*.xlsx"))) == 1


def test_a_preview_token_is_good_only_for_who_made_it(client_for, ready, logistics_admin, outsider):
    token = upload(client_for(logistics_admin), messy_ledger()).context["token"]
    client_for(outsider).post(reverse("assets:import-confirm"), {"token": token})
    client_for(logistics_admin).post(reverse("assets:import-confirm"), {"token": token + "x"})
    assert not AssetCard.objects.exists()


def test_the_template_reads_back_as_an_empty_ledger_with_rooms_and_codes(client_for, ready, logistics_admin, room):
    response = client_for(logistics_admin).get(reverse("assets:import-template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    ledger, rooms, classes = workbook.worksheets
    header = [c.value for c in ledger[1]]
    assert header[:4] == ["序号", "资产编号", "分类代码", "资产名称"] and "存放地点" in header
    assert (room.code, room.name) in {(r[0], r[1]) for r in rooms.iter_rows(min_row=2, values_only=True)}
    assert ("A02010105", "台式计算机", 6) in set(classes.iter_rows(min_row=2, values_only=True))
    ledger.append([1, "ZC-1", "A02010105", "台式计算机", "", "台", 1, 4800, 4800, "购置", "2026-09-01", "", "", "", room.code])
    filled = io.BytesIO()
    workbook.save(filled)
    preview = ledger_preview(school=ready, file=io.BytesIO(filled.getvalue()))
    assert preview.can_import and len(preview.rows) == 1 and preview.rows[0].resolved["room"] == room


def test_only_the_office_imports(access, client_for, ready, teacher, principal, logistics_admin):
    access(client_for, reverse("assets:import"), {None: 302, teacher: 403, principal: 403, logistics_admin: 200})
    access(client_for, reverse("assets:import-template"), {None: 302, teacher: 403, logistics_admin: 200})
    assert upload(client_for(logistics_admin), b"x", name="ledger.xls").status_code == 400


# --- The reference ledger (outside the repository; skipped when it is not there) ---------------------------

@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference/asset-ledger-sample.xlsx is not here")
def test_the_reference_ledger_reports_its_known_bad_lines(school, logistics_admin):
    """The school's rooms and the class codes it uses are read from the workbook's own 说明 sheet."""
    notes = openpyxl.load_workbook(REFERENCE)["说明"]
    building = BuildingFactory(campus=CampusFactory(school=school), code="R", name="参考学校")
    for code, name, _where, _gap, class_code, class_name, *_ in notes.iter_rows(values_only=True):
        if isinstance(code, str) and code[:1].isalpha() and code[1:].isdigit() and name:
            RoomFactory(building=building, code=code, name=name)
        if isinstance(class_code, str) and len(class_code) == 9 and class_code[1:].isdigit():
            AssetClass.objects.get_or_create(code=class_code, defaults={"name": class_name, "useful_life_years": 6})
    preview = ledger_preview(school=school, file=str(REFERENCE))
    assert len(preview.rows) == 341
    problems = [(r, p) for r in preview.bad_rows for p in r.problems]
    text = " ".join(p for _r, p in problems)
    assert "A020101O5" in text and "A501" in text and "2010104" in text and "2010105" in text
    assert any("≠" in p for _r, p in problems)
    duplicated = {r.values["number"] for r, p in problems if r.values["number"] and r.values["number"] in p and "≠" not in p}
    assert len(duplicated) >= 2
    assert not preview.can_import
    assert not AssetCard.objects.exists()


def test_the_home_card_counts_imported_cards_at_once(client_for, ready, logistics_admin):
    from tests.assets.test_views import counted_by_status, shown_by_status

    client = client_for(logistics_admin)
    before = sum(shown_by_status(client).values())  # kept from here on
    cards = ledger_import(school=ready, by=logistics_admin, file=io.BytesIO(messy_ledger()))
    assert shown_by_status(client) == counted_by_status(ready) and sum(shown_by_status(client).values()) == before + len(cards)
