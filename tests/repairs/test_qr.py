"""Room QR codes and the printable label sheets.

The codes are decoded for real with zxing-cpp (a wheel, no system library): from segno's PNG, and
from the served SVG, drawn back into pixels by `_raster_from_segno_svg`.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import zxingcpp
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from PIL import Image, ImageDraw

from repairs.qr import qr_svg, report_path, report_url, room_qr
from tests.factories import PASSWORD, BuildingFactory, RoomFactory

SVG_NS = "{http://www.w3.org/2000/svg}"
SITE = "https://houqin.example.edu.cn"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE + "/"


def _decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def _raster_from_segno_svg(svg: str, *, scale: int = 8) -> Image.Image:
    """Draw segno's SVG (one path of horizontal 1-module strokes) into a bitmap a decoder reads."""
    root = ET.fromstring(svg)
    assert root.tag in ("svg", f"{SVG_NS}svg")
    _, _, width, height = (int(float(v)) for v in root.attrib["viewBox"].split())
    paths = [el for el in root.iter() if el.tag in ("path", f"{SVG_NS}path")]
    assert len(paths) == 1
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for cmd, a, b in re.findall(r"([Mmh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?", paths[0].attrib["d"]):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a stroke of width 1 centred on y, from x to x + a
            top = int(y - 0.5)
            draw.rectangle([x * scale, top * scale, (x + float(a)) * scale - 1, (top + 1) * scale - 1], fill=0)
            x += float(a)
    return image


def _png(qr: Any) -> Image.Image:
    out = io.BytesIO()
    qr.save(out, kind="png", scale=6, border=4)
    out.seek(0)
    return Image.open(out)


# --- The code itself ---------------------------------------------------------------------------


def test_a_rooms_code_holds_the_absolute_url_of_the_report_form_for_that_room(room: Any) -> None:
    url = report_url(room)

    assert url == f"{SITE}{reverse('repairs:ticket-report')}?room={room.pk}"
    assert resolve(report_path(room).split("?")[0]).view_name == "repairs:ticket-report"
    assert _decode(_png(room_qr(room))) == [url]


def test_two_rooms_get_different_codes_and_the_same_room_always_the_same(room: Any) -> None:
    other = RoomFactory(building=room.building, code="A204")

    assert room_qr(room).matrix == room_qr(room).matrix
    assert room_qr(room).matrix != room_qr(other).matrix
    assert _decode(_png(room_qr(other))) == [f"{SITE}{reverse('repairs:ticket-report')}?room={other.pk}"]


def test_the_inline_svg_has_no_xml_declaration_and_decodes_like_the_file(room: Any) -> None:
    inline, standalone = qr_svg(room_qr(room), inline=True), qr_svg(room_qr(room))

    assert inline.startswith("<svg ") and "xmlns" not in inline
    assert standalone.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in standalone
    assert _decode(_raster_from_segno_svg(inline)) == _decode(_raster_from_segno_svg(standalone)) == [report_url(room)]


def test_a_signed_out_person_who_scans_a_code_signs_in_and_lands_on_the_form_for_that_room(room: Any, teacher: Any) -> None:
    client = Client()
    target = report_path(room)

    response = client.get(target)

    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("login"))
    assert f"room%3D{room.pk}" in login_url or f"room={room.pk}" in login_url
    response = client.post(login_url, {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


# --- The SVG download ----------------------------------------------------------------------------


def test_the_admin_downloads_a_rooms_code_as_an_svg_file_that_decodes_to_its_form(client_for: Any, logistics_admin: Any, room: Any) -> None:
    response = client_for(logistics_admin).get(reverse("repairs:room-qr", args=[room.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="qr-a-a203.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG_NS}svg"
    assert root.attrib["viewBox"] == "0 0 {0} {0}".format(room_qr(room).symbol_size(scale=1, border=4)[0])
    assert room.code in root.find(f"{SVG_NS}title").text
    assert _decode(_raster_from_segno_svg(response.content.decode())) == [report_url(room)]


def test_only_the_logistics_admin_of_the_rooms_school_downloads_its_code(
    access: Any, client_for: Any, room: Any, teacher: Any, repairer: Any, logistics_admin: Any, outsider: Any
) -> None:
    access(client_for, reverse("repairs:room-qr", args=[room.pk]), {None: 302, teacher: 403, repairer: 403, outsider: 404, logistics_admin: 200})


def test_a_room_of_another_school_is_not_found(client_for: Any, logistics_admin: Any, other_room: Any) -> None:
    assert client_for(logistics_admin).get(reverse("repairs:room-qr", args=[other_room.pk])).status_code == 404
    assert client_for(logistics_admin).get(reverse("repairs:room-qr", args=[999999])).status_code == 404


# --- The label sheet -----------------------------------------------------------------------------


@pytest.fixture
def rooms(building: Any) -> list[Any]:
    """Thirty rooms in use over three floors (two A4 sheets of 24), and one room out of use."""
    made = [RoomFactory(building=building, code=f"A{floor}{n:02d}", name=f"{floor}楼{n}号室", floor=floor) for floor in (1, 2, 3) for n in range(1, 11)]
    RoomFactory(building=building, code="A999", name="已停用库房", is_active=False)
    return made


def _labels(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<div class="label" data-room="(\d+)" data-url="([^"]+)"', html)


def test_the_label_sheet_has_a_label_for_every_room_in_use_with_its_code_and_name(
    client_for: Any, logistics_admin: Any, building: Any, rooms: list[Any], other_room: Any
) -> None:
    elsewhere = RoomFactory(building=BuildingFactory(campus=building.campus, code="B"), code="B101")

    response = client_for(logistics_admin).get(reverse("repairs:label-sheet", args=[building.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    labels = _labels(html)
    assert sorted(int(pk) for pk, _ in labels) == sorted(r.pk for r in rooms)
    assert {url for _, url in labels} == {report_url(r) for r in rooms}
    for room in rooms:
        assert f"<b>{room.code}</b> {room.name}" in html
    assert "A999" not in html and elsewhere.code not in html and other_room.code not in html
    assert html.count('<section class="sheet"') == 2  # 30 labels: 24 on the first page, 6 on the second
    assert html.count("<svg ") == 30
    assert html.count("扫码报修") == 30
    assert "东城实验中学" in html
    assert "@page { size: A4;" in html
    assert "教学楼A栋 · 30 个标签" in html


def test_each_printed_code_decodes_to_the_form_of_the_room_written_under_it(client_for: Any, logistics_admin: Any, building: Any, rooms: list[Any]) -> None:
    html = client_for(logistics_admin).get(reverse("repairs:label-sheet", args=[building.pk])).content.decode()

    for pk, svg in re.findall(r'data-room="(\d+)"[^>]*>.*?(<svg .*?</svg>)', html, flags=re.S)[:5]:
        assert _decode(_raster_from_segno_svg(svg)) == [f"{SITE}{reverse('repairs:ticket-report')}?room={pk}"]


def test_the_sheet_can_be_limited_to_one_floor(client_for: Any, logistics_admin: Any, building: Any, rooms: list[Any]) -> None:
    url = reverse("repairs:label-sheet", args=[building.pk])

    labels = _labels(client_for(logistics_admin).get(url, {"floor": "2"}).content.decode())
    assert sorted(int(pk) for pk, _ in labels) == sorted(r.pk for r in rooms if r.floor == 2)
    assert len(_labels(client_for(logistics_admin).get(url, {"floor": "二楼"}).content.decode())) == 30  # nonsense: all floors
    assert len(_labels(client_for(logistics_admin).get(url, {"floor": "9"}).content.decode())) == 0


def test_a_building_without_rooms_in_use_says_there_is_nothing_to_print(client_for: Any, logistics_admin: Any, building: Any) -> None:
    response = client_for(logistics_admin).get(reverse("repairs:label-sheet", args=[building.pk]))

    assert response.status_code == 200
    assert "没有在用的房间" in response.content.decode()
    assert _labels(response.content.decode()) == []


def test_only_the_logistics_admin_of_the_buildings_school_prints_its_labels(
    access: Any, client_for: Any, building: Any, teacher: Any, repairer: Any, principal: Any, logistics_admin: Any, outsider: Any
) -> None:
    access(client_for, reverse("repairs:label-sheet", args=[building.pk]), {None: 302, teacher: 403, repairer: 403, principal: 403, outsider: 404, logistics_admin: 200})
    access(client_for, reverse("repairs:label-index"), {None: 302, teacher: 403, logistics_admin: 200})


def test_the_sheet_costs_the_same_queries_for_five_rooms_or_thirty(
    client_for: Any, logistics_admin: Any, building: Any, rooms: list[Any], django_assert_num_queries: Any
) -> None:
    small = BuildingFactory(campus=building.campus, code="S")
    for n in range(5):
        RoomFactory(building=small, code=f"S{n}")
    client = client_for(logistics_admin)
    client.get(reverse("repairs:label-sheet", args=[small.pk]))  # warm the session

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("repairs:label-sheet", args=[small.pk]))
    assert len(few.captured_queries) <= 10
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("repairs:label-sheet", args=[building.pk]))


def test_the_label_index_lists_the_schools_buildings_with_their_rooms_in_use(
    client_for: Any, logistics_admin: Any, building: Any, rooms: list[Any], other_room: Any
) -> None:
    html = client_for(logistics_admin).get(reverse("repairs:label-index")).content.decode()

    assert reverse("repairs:label-sheet", args=[building.pk]) in html
    assert "教学楼A栋" in html and re.search(r"30\s?个房间", html)
    assert other_room.building.name not in html


def test_the_label_pages_warn_when_the_codes_lead_to_this_computer_only(client_for, logistics_admin, building, room, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    index = client_for(logistics_admin).get(reverse("repairs:label-index")).content.decode()
    sheet = client_for(logistics_admin).get(reverse("repairs:label-sheet", args=[building.pk])).content.decode()
    assert "data-site-warning" in index and "data-site-warning" in sheet and "手机扫码后无法打开" in index
    assert "data-print data-confirm=" in sheet  # printing asks first


def test_the_label_pages_name_the_schools_address(client_for, logistics_admin, building, room, settings):
    settings.SITE_URL = "https://hq.dcsy.edu.cn"
    sheet = client_for(logistics_admin).get(reverse("repairs:label-sheet", args=[building.pk])).content.decode()
    assert "data-site-warning" not in sheet and "二维码指向 https://hq.dcsy.edu.cn" in sheet and "data-confirm=" not in sheet
