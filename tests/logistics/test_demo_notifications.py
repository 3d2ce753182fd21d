"""The demo opens with a handful of unread messages per person, not the whole replayed term's."""

from __future__ import annotations

import io

import pytest

from logistics.demo import UNREAD_LEFT, settle_notifications
from logistics.notifications import Notification
from tests.factories import SchoolFactory, member

pytestmark = pytest.mark.django_db


def test_each_person_keeps_only_their_newest_messages_unread():
    school = SchoolFactory(code="demo")
    busy, quiet = member(school, "staff", username="busy"), member(school, "staff", username="quiet")
    for i in range(10):
        Notification.objects.create(school=school, recipient=busy, subject=f"隐患 {i}", body="")
    Notification.objects.create(school=school, recipient=quiet, subject="一条", body="")
    settle_notifications(school, size="small", stdout=io.StringIO())
    unread = Notification.objects.filter(read_at__isnull=True)
    assert sorted(unread.filter(recipient=busy).values_list("subject", flat=True)) == ["隐患 7", "隐患 8", "隐患 9"][:UNREAD_LEFT]
    assert unread.filter(recipient=quiet).count() == 1
    assert Notification.objects.filter(read_at__isnull=False).count() == 10 - UNREAD_LEFT
