"""factory_boy factories for the asset ledger: a card in any state in one line.

    CardFactory(school=school)                         # a desktop computer, idle, worth 4,800 yuan
    CardFactory(school=school, room=room)              # in use, standing in the room
    CardFactory(school=school, status=Status.LENT, lent_to="初二(1)班", lent_due=...)

Numbers come from their own range (<code>-9999-xxxx), so they never collide with the numbers
`card_register` takes from the school's counter. Tests of a step itself go through `assets.services`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from assets.models import AssetCard, AssetClass
from tests.factories import SchoolFactory


def asset_class(code: str = "A02010105") -> AssetClass:
    return AssetClass.objects.get(code=code)


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetCard

    school = factory.SubFactory(SchoolFactory)
    asset_class = factory.LazyFunction(asset_class)
    number = factory.Sequence(lambda n: f"A02010105-9999-{n + 1:04d}")
    name = "台式计算机"
    spec = "联想启天M437"
    quantity = 1
    unit = "台"
    acquired_on = dt.date(2024, 9, 1)
    booked_on = dt.date(2024, 9, 1)
    original_value = Decimal("4800.00")
    status = factory.LazyAttribute(
        lambda c: AssetCard.Status.IN_USE if (c.custodian or c.custodian_class or c.room) else AssetCard.Status.IDLE)
    custodian = None
    custodian_class = None
    room = None
