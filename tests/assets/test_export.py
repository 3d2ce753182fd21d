"""The ledger's Excel export: the 资产清查 columns in Chinese, the filtered rows the person may see,
amounts as numbers, text that looks like a formula kept as text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from tests.assets.conftest import register
from tests.assets.factories import asset_class

EXPORT = reverse("assets:card-export")


def rows_of(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


def test_the_export_has_the_ledger_columns_and_the_filtered_rows(client_for, school, logistics_admin, teacher, room):
    pc = register(school, logistics_admin, custodian=teacher, room=room, spec="联想启天M437", supplier="=HYPERLINK(\"x\")")
    register(school, logistics_admin, asset_class=asset_class("A05010203"), name="学生课桌", quantity=50, unit="张",
             original_value=Decimal("13000"))
    rows = rows_of(client_for(logistics_admin).get(EXPORT, {"asset_class": asset_class("A02010000").pk}))
    assert rows[0][0].startswith("筛选：资产分类=")
    header = rows[1]
    assert header[:4] == ("资产编号", "分类代码", "分类名称", "资产名称")
    assert "原值（元）" in header and "保管人" in header and "存放地点" in header
    assert len(rows) == 3
    row = dict(zip(header, rows[2]))
    assert row["资产编号"] == pc.number and row["原值（元）"] == 4800.0 and row["数量"] == 1
    assert row["保管人"] == teacher.display_name and row["存放地点"] == f"{room.building.name} {room.code}"
    assert row["状态"] == "在用" and row["取得方式"] == "购置" and isinstance(row["取得日期"], dt.datetime)
    assert row["供应商"] == "=HYPERLINK(\"x\")"  # text, never a formula


def test_the_export_follows_visibility(client_for, school, logistics_admin, teacher, other_school, outsider):
    register(school, logistics_admin, custodian=teacher)
    register(school, logistics_admin)
    register(other_school, outsider)
    assert len(rows_of(client_for(logistics_admin).get(EXPORT))) == 2 + 2
    assert client_for(teacher).get(EXPORT).status_code == 403
