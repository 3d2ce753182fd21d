"""The office's home cards: loans past their date, warranties ending, a stocktake's progress."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assets.services import stocktake
from tests.assets.factories import CardFactory


def test_the_home_page_shows_overdue_loans_ending_warranties_and_stocktake_progress(client_for, school, logistics_admin, room):
    today = timezone.localdate()
    CardFactory(school=school, name="借出的相机", status="lent", lent_to="区教研室", lent_due=today - dt.timedelta(days=2))
    CardFactory(school=school, name="快过保的空调", room=room, warranty_until=today + dt.timedelta(days=20))
    CardFactory(school=school, name="早过保的", room=room, warranty_until=today - dt.timedelta(days=1))
    count = stocktake.stocktake_open(school=school, by=logistics_admin, title="秋季清查", scope="school")
    stocktake.stocktake_mark(line=count.lines.select_related("stocktake").first(), by=logistics_admin, result="found")
    page = client_for(logistics_admin).get("/").content.decode()
    assert "借出的相机" in page and "快过保的空调" in page and "早过保的" not in page
    assert "data-stocktake-progress" in page and "1/2" in page
