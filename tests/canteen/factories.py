"""factory_boy factories of the canteen set-up. Records are made through the services in the tests."""

from __future__ import annotations

import datetime as dt

import factory

from canteen.models import Canteen, Fridge, Meal, MealKind, Staff, Supplier
from tests.factories import SchoolFactory


class CanteenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Canteen

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"学生食堂{n}")
    licence_no = "JY13301010000001"
    licence_expires = dt.date(2029, 12, 31)


class MealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meal
        django_get_or_create = ("canteen", "kind")

    canteen = factory.SubFactory(CanteenFactory)
    kind = MealKind.LUNCH
    serves_at = dt.time(11, 40)
    accompanied = True


class FridgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fridge

    canteen = factory.SubFactory(CanteenFactory)
    name = "留样冰箱1号"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    canteen = factory.SubFactory(CanteenFactory)
    name = factory.Sequence(lambda n: f"厨师{n}")
    post = "厨师"
    certificate_no = factory.Sequence(lambda n: f"JKZ2026{n:05d}")
    certificate_issued = dt.date(2026, 3, 1)
    certificate_expires = dt.date(2027, 2, 28)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"绿源蔬菜配送有限公司{n}")
    licence_no = "JY23301010000002"
    licence_expires = dt.date(2028, 6, 30)
    phone = "0571-88886666"
