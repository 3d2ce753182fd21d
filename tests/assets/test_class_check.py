"""The class teacher's monthly check: damaged opens a repair ticket for that asset, missing is a loss
report on the card's history, once a month, only the class's teacher (or the office)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assets.models import ClassCheck
from assets.services.class_check import class_check_submit
from assets.services.stock import WorkflowError
from logistics import audit
from repairs.models import Ticket
from tests.assets.conftest import register
from tests.repairs.factories import CategoryFactory

URL = reverse("assets:class-check")


def test_a_damaged_asset_opens_a_ticket_and_a_missing_one_a_loss_report(school, logistics_admin, class_teacher, school_class):
    CategoryFactory(school=school, name="网络/多媒体")
    board = register(school, logistics_admin, custodian_class=school_class, name="触控一体机")
    chair = register(school, logistics_admin, custodian_class=school_class, name="讲台椅")
    ok = register(school, logistics_admin, custodian_class=school_class, name="电脑")
    check = class_check_submit(school_class=school_class, by=class_teacher,
                               results={board.pk: ("damaged", "屏幕花屏"), chair.pk: ("missing", "")})
    ticket = Ticket.objects.get()
    assert ticket.asset == board and ticket.room == school_class.room and "屏幕花屏" in ticket.description
    assert ticket.category.name == "网络/多媒体"
    assert "assets.assetcard.reported_missing" in [e.action for e in audit.history_of(chair)]
    assert dict(check.lines.values_list("card_id", "result")) == {board.pk: "damaged", chair.pk: "missing", ok.pk: "ok"}
    with pytest.raises(WorkflowError):
        class_check_submit(school_class=school_class, by=class_teacher, results={})


def test_only_the_class_teacher_or_the_office_checks(school, logistics_admin, teacher, class_teacher, school_class, client_for, outsider):
    register(school, logistics_admin, custodian_class=school_class)
    with pytest.raises(WorkflowError):
        class_check_submit(school_class=school_class, by=teacher, results={})
    assert client_for(teacher).get(URL).status_code == 404  # heads no class
    assert client_for(outsider).get(URL, {"class": school_class.pk}).status_code == 404
    page = client_for(class_teacher).get(URL)
    assert page.status_code == 200 and page.context["chosen"] == school_class


def test_the_page_submits_the_check(client_for, school, logistics_admin, class_teacher, school_class):
    CategoryFactory(school=school, name="电")
    board = register(school, logistics_admin, custodian_class=school_class, name="触控一体机")
    response = client_for(class_teacher).post(URL, {"class": school_class.pk, f"r{board.pk}": "damaged", f"n{board.pk}": "<b>坏</b>"})
    assert response.status_code == 302 and ClassCheck.objects.count() == 1
    page = client_for(class_teacher).get(URL).content.decode()
    assert Ticket.objects.get().number in page


def test_the_home_card_says_whether_this_months_check_is_done(client_for, school, logistics_admin, class_teacher, school_class):
    register(school, logistics_admin, custodian_class=school_class, name="触控一体机")
    home = client_for(class_teacher).get("/").content.decode()
    assert 'data-class-check="due"' in home and f"完成{school_class.name}本月资产月检" in home
    class_check_submit(school_class=school_class, by=class_teacher, results={})
    home = client_for(class_teacher).get("/").content.decode()
    assert 'data-class-check="done"' in home and 'data-class-check="due"' not in home
