"""Depreciation: straight line monthly to exactly the original value, the acquisition-month setting,
classes not depreciated, disposed cards, idempotent runs, the totals by class and department equal to
the cards to the fen, and a bounded number of queries whatever the number of cards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.models import AssetCard, AssetSettings, DepreciationRun, Status
from assets.services.depreciation import depreciate_month, expected, ledger_totals, totals
from tests.assets.conftest import register
from tests.assets.factories import CardFactory, asset_class
from tests.factories import DepartmentFactory

D = Decimal


def card(pk):
    return AssetCard.objects.get(pk=pk)


def test_expected_reaches_the_original_value_exactly_and_never_beyond():
    value = D("4999.99")
    start = dt.date(2020, 1, 1)
    steps = [expected(value, 6, start, dt.date(2020 + m // 12, m % 12 + 1, 1))[0] for m in range(0, 80)]
    assert steps[0] == D("69.44") and steps[71] == value and steps[79] == value
    assert all(b >= a for a, b in zip(steps, steps[1:]))


def test_a_month_is_booked_once_and_the_card_shows_accumulated_and_net(client_for, school, logistics_admin):
    pc = register(school, logistics_admin, original_value=D("7200"), acquired_on=dt.date(2026, 1, 15))  # 6 years: 100 a month
    depreciate_month(school=school, period=dt.date(2026, 3, 1))
    assert (card(pc.pk).accumulated_depreciation, card(pc.pk).months_depreciated) == (D("300.00"), 3)
    run = depreciate_month(school=school, period=dt.date(2026, 3, 1))
    assert card(pc.pk).accumulated_depreciation == D("300.00") and run.amount == D("300.00") and DepreciationRun.objects.count() == 1
    page = client_for(logistics_admin).get(reverse("assets:card-detail", args=[pc.pk])).content.decode()
    assert "¥300.00" in page and "¥6,900.00" in page


def test_the_next_month_setting_starts_a_month_later(school, logistics_admin):
    AssetSettings.objects.update_or_create(school=school, defaults={"depreciate_acquisition_month": False})
    pc = register(school, logistics_admin, original_value=D("7200"), acquired_on=dt.date(2026, 1, 31))
    depreciate_month(school=school, period=dt.date(2026, 1, 1))
    assert card(pc.pk).accumulated_depreciation == 0
    depreciate_month(school=school, period=dt.date(2026, 3, 1))
    assert card(pc.pk).accumulated_depreciation == D("200.00")


def test_books_and_disposed_cards_are_left_alone(school, logistics_admin):
    books = CardFactory(school=school, original_value=D("5000"))
    from assets.models import AssetClass

    not_depreciated = AssetClass.objects.filter(depreciable=False).first()
    assert not_depreciated is not None
    AssetCard.objects.filter(pk=books.pk).update(asset_class=not_depreciated)
    gone = CardFactory(school=school, status=Status.DISPOSED)
    depreciate_month(school=school, period=dt.date(2026, 10, 1))
    assert card(books.pk).accumulated_depreciation == 0 and card(gone.pk).accumulated_depreciation == 0


def test_a_card_far_past_its_life_is_fully_depreciated_and_its_years_are_its_own(school, logistics_admin):
    old = CardFactory(school=school, acquired_on=dt.date(2001, 5, 1), original_value=D("3333.33"))
    own = CardFactory(school=school, acquired_on=dt.date(2026, 1, 1), original_value=D("1200"), useful_life_years=1)
    depreciate_month(school=school, period=dt.date(2026, 6, 1))
    assert card(old.pk).accumulated_depreciation == D("3333.33") and card(old.pk).net_value == 0
    assert card(own.pk).accumulated_depreciation == D("600.00")


def test_totals_by_class_and_department_equal_the_cards_to_the_fen(client_for, school, logistics_admin):
    dept = DepartmentFactory(school=school, name="信息中心")
    for i, value in enumerate(["4999.99", "1234.57", "8888.88", "1000.01", "2500.03"]):
        CardFactory(school=school, original_value=D(value), acquired_on=dt.date(2024, 1 + i, 3), department=dept if i % 2 else None,
                    asset_class=asset_class("A02010105" if i % 3 else "A05010203"))
    depreciate_month(school=school, period=dt.date(2026, 10, 1))
    cards = list(AssetCard.objects.filter(school=school))
    want = {"original": sum(c.original_value for c in cards), "accumulated": sum(c.accumulated_depreciation for c in cards)}
    want["net"] = want["original"] - want["accumulated"]
    assert totals(ledger_totals(school, "asset_class")) == want == totals(ledger_totals(school, "department"))
    page = client_for(logistics_admin).get(reverse("assets:depreciation"))
    assert page.status_code == 200 and page.context["whole"] == want


def test_the_run_costs_the_same_queries_for_3_or_60_cards_and_matches_the_rule(school, logistics_admin):
    AssetSettings.for_school(school)
    depreciate_month(school=school, period=dt.date(2026, 10, 1))  # the month's run row exists: both runs below update it
    values = ["4999.99", "1234.57", "8888.88", "1000.01", "2500.03", "7200", "100000"]

    def queries(n):
        for i in range(n):
            CardFactory(school=school, original_value=D(values[i % len(values)]), acquired_on=dt.date(2020 + i % 6, 1 + i % 12, 1 + i % 27))
        with CaptureQueriesContext(connection) as ctx:
            depreciate_month(school=school, period=dt.date(2026, 10, 1))
        return len(ctx)

    few = queries(3)
    many = queries(57)
    assert few == many
    years = {c.pk: c.asset_class.useful_life_years for c in AssetCard.objects.select_related("asset_class")}
    for c in AssetCard.objects.all():
        want = expected(c.original_value, years[c.pk], dt.date(c.acquired_on.year, c.acquired_on.month, 1), dt.date(2026, 10, 1))
        assert (c.accumulated_depreciation, c.months_depreciated) == want, c.number


def test_booking_a_month_from_the_page(access, client_for, school, logistics_admin, teacher, principal):
    register(school, logistics_admin, original_value=D("7200"), acquired_on=dt.date(2026, 1, 1))
    url = reverse("assets:depreciation-run")
    access(client_for, reverse("assets:depreciation"), {teacher: 403, principal: 200, logistics_admin: 200})
    access(client_for, url, {teacher: 403, principal: 403}, method="post")
    client = client_for(logistics_admin)
    client.post(url, {"month": "9999-12"})
    client.post(url, {"month": "nonsense"})
    assert not DepreciationRun.objects.exists()
    client.post(url, {"month": "2026-02"})
    assert AssetCard.objects.get().accumulated_depreciation == D("200.00")
