"""Canteen personas and set-up: a canteen with breakfast and lunch (lunch accompanied), a fridge, three
staff on duty, a supplier. The clock is the test's: days are fixed, never "today" unless said."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from canteen.models import MealKind
from logistics.models import Role
from tests.canteen.factories import CanteenFactory, FridgeFactory, MealFactory, StaffFactory, SupplierFactory
from tests.factories import member


def jpeg(name: str = "certificate.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def manager(school: Any) -> Any:
    return member(school, Role.STAFF, Role.CANTEEN_MANAGER, username="canteen", full_name="赵红梅")


@pytest.fixture
def vice(school: Any) -> Any:
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")


@pytest.fixture
def district(school: Any) -> Any:
    return member(school, Role.DISTRICT_VIEWER, username="district", full_name="教育局")


@pytest.fixture
def canteen(school: Any) -> Any:
    c = CanteenFactory(school=school, name="学生食堂")
    MealFactory(canteen=c, kind=MealKind.BREAKFAST, serves_at=dt.time(7, 0), accompanied=False)
    MealFactory(canteen=c, kind=MealKind.LUNCH, serves_at=dt.time(11, 40), accompanied=True)
    return c


@pytest.fixture
def other_canteen(other_school: Any) -> Any:
    c = CanteenFactory(school=other_school, name="西城食堂")
    MealFactory(canteen=c, kind=MealKind.LUNCH)
    return c


@pytest.fixture
def fridge(canteen: Any) -> Any:
    return FridgeFactory(canteen=canteen)


@pytest.fixture
def cooks(canteen: Any) -> list[Any]:
    return [StaffFactory(canteen=canteen, name=name) for name in ("王师傅", "李阿姨", "陈师傅")]


@pytest.fixture
def supplier(school: Any) -> Any:
    return SupplierFactory(school=school, name="绿源蔬菜配送有限公司")


@pytest.fixture
def day() -> dt.date:
    return dt.date(2026, 11, 25)  # a Wednesday before the test clock's today
