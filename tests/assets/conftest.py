"""Cards made through the services (as the screens make them), and a class with its class teacher."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assets import services
from assets.models import AssetCard
from tests.assets.factories import asset_class
from tests.factories import SchoolClassFactory


def register(school: Any, by: Any, **kwargs: Any) -> AssetCard:
    kwargs.setdefault("asset_class", asset_class())
    kwargs.setdefault("name", "台式计算机")
    kwargs.setdefault("acquired_on", dt.date(2026, 9, 1))
    kwargs.setdefault("original_value", Decimal("4800"))
    return services.card_register(school=school, by=by, **kwargs)


@pytest.fixture
def school_class(school: Any, class_teacher: Any, room: Any) -> Any:
    return SchoolClassFactory(school=school, name="初一(3)班", head_teacher=class_teacher, room=room)
