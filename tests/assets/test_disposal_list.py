"""The disposal list (issue 12): filters by status, way, the date requested and a search, an Excel
export of the filtered list through the export engine, a pinned query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets.models import Disposal
from assets.services import disposal as service
from tests.assets.conftest import register

pytestmark = pytest.mark.django_db
D = Decimal
LIST = "assets:disposal-list"


def request(school, by, *, name="旧投影机", way="scrap", reason="超过使用年限，无法修复", value="4800", days_ago=0):
    card = register(school, by, name=name, original_value=D(value))
    d = service.disposal_request(school=school, by=by, cards=[card], way=way, reason=reason)
    if days_ago:
        Disposal.objects.filter(pk=d.pk).update(requested_at=timezone.now() - dt.timedelta(days=days_ago))
    return Disposal.objects.get(pk=d.pk), card


@pytest.fixture
def three(school, logistics_admin):
    scrap, _c = request(school, logistics_admin, days_ago=40)
    sale, sold_card = request(school, logistics_admin, name="旧电脑", way="sale", reason="=1+1 闲置转让", value="3000", days_ago=10)
    lost, _c = request(school, logistics_admin, name="数码相机", way="write_off", reason="盘亏", value="2600")
    service.disposal_reject(disposal=lost, by=logistics_admin, reason="再找找")
    return {"scrap": scrap, "sale": sale, "lost": Disposal.objects.get(pk=lost.pk), "sold_card": sold_card}


def numbers(response):
    return {d.number for d in response.context["page"]}


def test_the_list_filters_by_status_way_date_and_search(client_for, logistics_admin, three, other_school, outsider):
    request(other_school, outsider, name="别校的投影机")
    client = client_for(logistics_admin)
    url = reverse(LIST)
    assert numbers(client.get(url)) == {three[k].number for k in ("scrap", "sale", "lost")}
    assert numbers(client.get(url, {"status": "rejected"})) == {three["lost"].number}
    assert numbers(client.get(url, {"way": "sale"})) == {three["sale"].number}
    today = timezone.localdate()
    recent = {"date_from": (today - dt.timedelta(days=15)).isoformat(), "date_to": today.isoformat()}
    assert numbers(client.get(url, recent)) == {three["sale"].number, three["lost"].number}
    assert numbers(client.get(url, {"date_to": (today - dt.timedelta(days=30)).isoformat()})) == {three["scrap"].number}
    assert numbers(client.get(url, {"q": "相机"})) == {three["lost"].number}  # a card's name
    assert numbers(client.get(url, {"q": three["sold_card"].number})) == {three["sale"].number}  # a card's number
    assert numbers(client.get(url, {"q": three["scrap"].number})) == {three["scrap"].number}
    assert numbers(client.get(url, {"q": "转让"})) == {three["sale"].number}  # the reason
    page = client.get(url, {"way": "sale", "status": "requested"})
    assert numbers(page) == {three["sale"].number} and page.context["filtered"]
    html = page.content.decode()
    assert 'value="sale" selected' in html and "data-export" in html and "status=requested" in html


def test_a_bad_filter_value_is_ignored_and_the_page_answers(client_for, logistics_admin, three):
    response = client_for(logistics_admin).get(reverse(LIST), {"status": "nonsense", "date_from": "2026-13-45", "way": "x"})
    assert response.status_code == 200 and len(numbers(response)) == 3


def test_the_list_costs_the_same_number_of_queries_however_many_disposals(client_for, school, logistics_admin, three):
    client = client_for(logistics_admin)
    url = reverse(LIST)
    client.get(url)  # the first page of a visit reads the navigation's counts into the cache
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"status": "requested"})
    for i in range(12):
        request(school, logistics_admin, name=f"旧课桌{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"status": "requested"})
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_list_page_runs_a_pinned_number_of_queries(client_for, logistics_admin, three, django_assert_num_queries):
    client = client_for(logistics_admin)
    url = reverse(LIST)
    client.get(url)
    with django_assert_num_queries(3):  # the person, the page, its count (session, roles, permissions, unread count kept)
        client.get(url, {"way": "scrap", "q": "投影"})


def test_the_export_writes_the_filtered_list_with_its_filter_and_text_not_formulas(client_for, logistics_admin, three):
    response = client_for(logistics_admin).get(reverse("assets:disposal-export"), {"way": "sale"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert three["sale"].number in text and three["scrap"].number not in text and three["lost"].number not in text
    assert "筛选：处置方式=" in text  # the filter is named above the rows
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value}
    assert cells["=1+1 闲置转让"] == "s"
    header = next(r for r in rows if "单号" in r)
    line = next(r for r in rows if three["sale"].number in r)
    record = dict(zip(header, line))
    assert record["卡片数"] == 1 and D(str(record["原值合计（元）"])) == D("3000") and record["申请人"] == logistics_admin.display_name


def test_who_may_see_and_export_the_list(access, client_for, school, logistics_admin, teacher, principal, three):
    access(client_for, reverse(LIST), {None: 302, teacher: 403, principal: 200, logistics_admin: 200})
    access(client_for, reverse("assets:disposal-export"), {None: 302, teacher: 403, principal: 200, logistics_admin: 200})
