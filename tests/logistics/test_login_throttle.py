"""Password guessing is throttled (issue 10, security 3): per account, whichever of its names is
typed, and per address; on the site's login and the admin's; the page says when to try again and
the lock opens when that time comes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from logistics.models import Role
from tests.factories import member

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "right-horse-battery"
real_now = timezone.now


@pytest.fixture
def person(school):
    return member(school, Role.STAFF, Role.LOGISTICS_ADMIN, username="zhangsan", phone="13912345678", password=PASSWORD, is_staff=True)


def attempt(client: Client, name: str, password: str, url: str = LOGIN, address: str = "10.0.0.1"):
    return client.post(url, {"username": name, "password": password}, REMOTE_ADDR=address)


def later(monkeypatch, minutes: int) -> None:
    """Move the clock on, for axes (which imported `now` by name) and for the lockout page."""
    import axes.attempts
    import axes.handlers.proxy

    moved = real_now() + dt.timedelta(minutes=minutes)
    for module in (timezone, axes.attempts, axes.handlers.proxy):
        monkeypatch.setattr(module, "now", lambda: moved)


def test_five_wrong_passwords_lock_the_account_even_the_right_one_is_refused_until_the_time_named(client, person, monkeypatch, settings):
    for _ in range(4):
        response = attempt(client, "zhangsan", "wrong")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = attempt(client, "zhangsan", "wrong")
    assert response.status_code == 429
    response = attempt(client, "zhangsan", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "登录失败次数过多" in page and "15 分钟" in page
    until = timezone.localtime(timezone.now() + dt.timedelta(minutes=15))
    assert re.search(r"请在 \d\d:\d\d 之后再试", page) and until.strftime("%H:%M") in page
    assert 'value="zhangsan"' in page  # what was typed is kept (never the password)
    assert PASSWORD not in page
    assert "请联系后勤处为您重设" in page

    later(monkeypatch, 14)
    assert attempt(client, "zhangsan", PASSWORD).status_code == 429
    later(monkeypatch, 16)
    response = attempt(client, "zhangsan", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(person.pk)


def test_the_mobile_number_and_the_username_count_as_one_account(client, person):
    for name in ("zhangsan", "13912345678", "ZhangSan", "13912345678", "zhangsan"):
        attempt(client, name, "wrong")
    assert attempt(client, "13912345678", PASSWORD).status_code == 429
    assert attempt(Client(), "zhangsan", PASSWORD, address="10.9.9.9").status_code == 429  # the account, from anywhere


def test_a_locked_account_does_not_lock_a_colleague_at_the_same_address(client, person, school):
    member(school, Role.STAFF, username="lisi", password=PASSWORD)
    for _ in range(5):
        attempt(client, "zhangsan", "wrong")
    assert attempt(Client(), "lisi", PASSWORD).status_code == 302


def test_an_address_trying_many_names_is_locked_at_its_own_limit(client, person, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for i in range(8):
        attempt(client, f"guess{i}", "wrong", address="10.6.6.6")
    assert attempt(Client(), "zhangsan", PASSWORD, address="10.6.6.6").status_code == 429
    assert attempt(Client(), "zhangsan", PASSWORD, address="10.7.7.7").status_code == 302


def test_the_admin_login_is_throttled_too(client, person):
    for _ in range(5):
        attempt(client, "zhangsan", "wrong", url=ADMIN_LOGIN)
    response = attempt(client, "zhangsan", PASSWORD, url=ADMIN_LOGIN)
    page = response.content.decode()
    assert response.status_code == 429 and "登录失败次数过多" in page and 'value="zhangsan"' in page
    assert "_auth_user_id" not in client.session
    # and it is one account whichever page is used
    assert attempt(Client(), "zhangsan", PASSWORD).status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(person, settings):
    settings.LOGIN_PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for i in range(3):
        Client().post(LOGIN, {"username": f"x{i}", "password": "wrong"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="spoofed, 10.1.1.1")
    colleague = Client().post(LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1",
                              HTTP_X_FORWARDED_FOR="10.2.2.2")
    assert colleague.status_code == 302  # the proxy's own address was not locked
