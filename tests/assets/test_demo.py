"""The demo school gets a ledger worth opening: cards over its rooms, classes and people, a batch,
loans (one overdue), every card within the thresholds and numbered where the counters go on."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.demo import seed
from assets.models import AssetCard, AssetSettings, Movement
from assets.services import value_problem
from logistics.demo import seed_core
from logistics.models import Role, Term
from tests.assets.conftest import register
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_a_ledger_and_seeding_twice_adds_nothing():
    school = SchoolFactory(code="demo")
    seed_core(school, size="small", stdout=io.StringIO())
    seed(school, size="small", stdout=io.StringIO())
    cards = AssetCard.objects.for_school(school)
    count = cards.count()
    assert 1500 <= count <= 4000  # a ledger worth opening: every unit above the threshold has its card
    assert cards.filter(custodian_class__isnull=False).exists() and cards.filter(custodian__isnull=False).exists()
    assert cards.filter(quantity=800).exists()
    assert cards.filter(status="lent", lent_due__lt=timezone.localdate()).count() == 1
    assert Movement.objects.filter(card__school=school, kind="register").count() == count
    settings = AssetSettings.for_school(school)
    assert not [c.number for c in cards.select_related("asset_class") if value_problem(settings, c.asset_class, c.quantity, c.original_value)]
    seed(school, size="small", stdout=io.StringIO())
    assert cards.count() == count
    office = school.memberships.filter(roles__name=Role.LOGISTICS_ADMIN).first().user
    laptop = cards.filter(asset_class__code="A02010108").order_by("-number").first()
    year = laptop.booked_on.year
    new = register(school, office, asset_class=laptop.asset_class, name="笔记本电脑", acquired_on=laptop.booked_on, original_value=Decimal("5200"))
    assert new.number not in set(cards.exclude(pk=new.pk).values_list("number", flat=True)) and str(year) in new.number


def test_the_demo_term_has_purchases_stock_a_disposal_and_stocktakes_this_term_and_last():
    from assets.demo import seed_work
    from assets.models import Disposal, StockIssue, Stocktake

    school = SchoolFactory(code="demo")
    seed_core(school, size="small", stdout=io.StringIO())
    seed(school, size="small", stdout=io.StringIO())
    seed_work(school, size="small", stdout=io.StringIO())
    assert AssetCard.objects.for_school(school).filter(name="投影机").count() == 8
    assert list(Stocktake.objects.for_school(school).order_by("status").values_list("status", flat=True)) == ["closed", "closed", "open"]
    term = Term.objects.for_school(school).current()
    last_terms = Stocktake.objects.for_school(school).filter(closed_at__date__lt=term.start)
    assert last_terms.count() == 1  # the report compares this term's 账实相符率 with it
    assert Disposal.objects.for_school(school).filter(status="executed").count() == 1
    assert StockIssue.objects.for_school(school).filter(status="issued").exists()
    assert AssetCard.objects.for_school(school).filter(accumulated_depreciation__gt=0).exists()
    seed_work(school, size="small", stdout=io.StringIO())
    assert Stocktake.objects.for_school(school).count() == 3
