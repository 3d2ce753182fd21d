"""Two imports and a person registering cards at the same moment (PostgreSQL only): the numbers the
imports take a block at a time never meet anyone else's, and a file whose numbers were taken meanwhile
writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from assets import services
from assets.models import AssetCard, AssetClass, Movement
from assets.services.importing import ledger_import
from logistics.workflow import WorkflowError
from tests.assets.test_concurrency import _postgresql_only, race  # noqa: F401 - the fixture skips on SQLite

pytestmark = pytest.mark.django_db(transaction=True)


def ledger(room_code: str, lines: int, number: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["资产编号", "分类代码", "资产名称", "数量", "金额", "取得日期", "存放地点"])
    for n in range(lines):
        sheet.append([f"{number}{n}" if number else "", "A02010105", "台式计算机", 1, 4800, "2026-09-02", room_code])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def test_imports_and_a_person_registering_at_once_never_share_a_number(school, logistics_admin, room):
    desktop = AssetClass.objects.get(code="A02010105")
    files = [ledger(room.code, 300), ledger(room.code, 300)]
    results = race(
        *[lambda f=f: ledger_import(school=school, by=logistics_admin, file=io.BytesIO(f)) for f in files],
        *[lambda: services.card_register(school=school, by=logistics_admin, asset_class=desktop, name="台式计算机",
                                         acquired_on=dt.date(2026, 9, 2), original_value=Decimal("4800")) for _ in range(3)],
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    numbers = list(AssetCard.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 603
    assert set(numbers) == {f"A02010105-2026-{n:04d}" for n in range(1, 604)}


def test_two_imports_of_the_same_numbers_one_wins_whole_the_other_writes_nothing(school, logistics_admin, room):
    content = ledger(room.code, 200, number="ZC-")
    results = race(*[lambda: ledger_import(school=school, by=logistics_admin, file=io.BytesIO(content)) for _ in range(2)])
    assert sorted(type(r).__name__ for r in results) == ["WorkflowError", "list"], results
    assert AssetCard.objects.count() == 200 == Movement.objects.count()
    assert isinstance(next(r for r in results if not isinstance(r, list)), WorkflowError)
