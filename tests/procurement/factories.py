"""factory_boy factories for procurement, and helpers that walk a request through the services.

    req = draft(school, teacher, [("投影机", 8, "4300")])     # a draft through requisition_save
    submitted(...)                                              # the same, submitted
    BudgetLineFactory(school=school)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from assets.models import AssetClass
from logistics.models import Role
from procurement import services
from procurement.models import BudgetLine, CatalogueItem, Delegation
from tests.factories import UserFactory, member


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    year = 2026
    code = factory.Sequence(lambda n: f"B{n + 1:03d}")
    name = factory.Sequence(lambda n: f"公用经费{n + 1}")
    amount = Decimal("100000")


class CatalogueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueItem

    name = factory.Sequence(lambda n: f"台式计算机{n + 1}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation


def person(school: Any, *roles: str, name: str = "") -> Any:
    return member(school, Role.STAFF, *roles, user=UserFactory(full_name=name or "某老师"))


def projector_class() -> AssetClass:
    return AssetClass.objects.get_or_create(code="A02020200", defaults={"name": "投影仪", "useful_life_years": 6})[0]


def line(name: str = "投影机", quantity: int = 1, price: str = "4300", **kw: Any) -> services.LineInput:
    return services.LineInput(name=name, quantity=quantity, unit_price=Decimal(price), **kw)


def draft(school: Any, by: Any, lines: list[services.LineInput] | None = None, **kw: Any) -> Any:
    return services.requisition_save(school=school, by=by, lines=lines or [line()], purpose=kw.pop("purpose", "教学用"), **kw)


def submitted(school: Any, by: Any, lines: list[services.LineInput] | None = None, **kw: Any) -> Any:
    return services.requisition_submit(requisition=draft(school, by, lines, **kw), by=by)
