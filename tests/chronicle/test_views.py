"""The 纪事 screens: who may do what (an access matrix), the phone form's refusals at the field with
everything else kept, another school's records a 404, withdrawing with a reason, photos checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from logistics.chronicle.models import ChronicleEntry
from logistics.chronicle.services import kind_for, record_by_rule
from logistics.reports.models import TermReport
from tests.reports.factories import category, ticket
from tests.repairs.conftest import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(school: Any, term: Any, room: Any) -> ChronicleEntry:
    return record_by_rule(room, school=school, domain="repairs", kind="project", title="维修运动场看台座椅", date=dt.date(2026, 10, 9),
                          quantity=46, unit="个", amount=Decimal("3680"), rule="test")


def _post(term: Any, school: Any, **over: Any) -> dict:
    data = {"title": "完成实验楼屋面防水工程", "date": "2026-11-12", "end_date": "", "kind": kind_for(school, "project").pk,
            "domain": "repairs", "summary": "屋面重做防水层", "amount": "52000", "quantity": "", "unit": "", "people_count": "",
            "people_text": "城建防水公司", "tickets": ""}
    return {**data, **over}


def test_the_access_matrix(access: Any, client_for: Any, school: Any, term: Any, entry: ChronicleEntry, teacher: Any, repairer: Any,
                           logistics_admin: Any, principal: Any, outsider: Any) -> None:
    list_url, detail = reverse("chronicle:entry-list"), reverse("chronicle:entry-detail", args=[entry.pk])
    add, edit = reverse("chronicle:entry-add"), reverse("chronicle:entry-edit", args=[entry.pk])
    access(client_for, list_url, {None: 302, teacher: 403, repairer: 403, principal: 200, logistics_admin: 200, outsider: 200})
    access(client_for, detail, {None: 302, teacher: 403, principal: 200, logistics_admin: 200, outsider: 404})
    access(client_for, add, {None: 302, teacher: 403, principal: 403, logistics_admin: 200})
    access(client_for, edit, {teacher: 403, principal: 403, logistics_admin: 200, outsider: 404})
    withdraw = reverse("chronicle:entry-withdraw", args=[entry.pk])
    access(client_for, withdraw, {principal: 403, outsider: 404}, method="post", data={"reason": "x"})


def test_the_list_shows_the_month(client_for: Any, logistics_admin: Any, entry: ChronicleEntry, other_school: Any, other_room: Any) -> None:
    record_by_rule(other_room, school=other_school, domain="repairs", kind="project", title="外校的工程", date=dt.date(2026, 10, 3))
    page = client_for(logistics_admin).get(reverse("chronicle:entry-list") + "?month=2026-10").content.decode()
    assert "维修运动场看台座椅" in page and "外校的工程" not in page
    november = client_for(logistics_admin).get(reverse("chronicle:entry-list") + "?month=2026-11").content.decode()
    assert "维修运动场看台座椅" not in november
    for bad in ("9999-99", "abc", "2026-13", "1-1", "12345678901234567890123-1"):
        assert client_for(logistics_admin).get(reverse("chronicle:entry-list") + f"?month={bad}").status_code == 200


def test_recording_from_the_form_with_a_photo_and_a_linked_ticket(client_for: Any, logistics_admin: Any, school: Any, term: Any,
                                                                    room: Any, teacher: Any) -> None:
    t = ticket(school=school, room=room, reporter=teacher, cat=category(school, "水"), day=dt.date(2026, 11, 2))
    response = client_for(logistics_admin).post(reverse("chronicle:entry-add"), _post(term, school, tickets=t.number.lower(), photos=jpeg()))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ChronicleEntry.objects.get(title="完成实验楼屋面防水工程")
    assert entry.amount == Decimal("52000") and entry.edited and entry.created_by == logistics_admin and not entry.rule
    assert [link.target for link in entry.links.all()] == [t]
    photo = entry.photos.get()
    assert client_for(logistics_admin).get(reverse("chronicle:photo-thumb", args=[photo.pk])).status_code == 200


@pytest.mark.parametrize("field, value", [
    ("date", "2026-08-31"),  # before the term
    ("date", "2027-01-23"),  # after it
    ("date", "0001-01-01"),
    ("date", "9999-12-31"),
    ("end_date", "2026-11-01"),  # before the first day
    ("amount", "-1"),
    ("amount", "12345678901234567890123"),
    ("title", "   "),
    ("quantity", "-3"),
    ("tickets", "BX2099-9999"),
    ("kind", "999999999"),
])
def test_bad_input_is_refused_at_its_field_and_the_rest_kept(client_for: Any, logistics_admin: Any, school: Any, term: Any,
                                                              field: str, value: str) -> None:
    response = client_for(logistics_admin).post(reverse("chronicle:entry-add"), _post(term, school, **{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert 'value="城建防水公司"' in response.content.decode()  # everything else stays typed
    assert not ChronicleEntry.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(client_for: Any, logistics_admin: Any, school: Any, term: Any) -> None:
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = client_for(logistics_admin).post(reverse("chronicle:entry-add"), _post(term, school, photos=fake))
    assert response.status_code == 400 and "photos" in response.context["form"].errors


def test_another_schools_ticket_cannot_be_linked(client_for: Any, logistics_admin: Any, school: Any, term: Any, other_school: Any,
                                                 other_room: Any, outsider: Any) -> None:
    theirs = ticket(school=other_school, room=other_room, reporter=outsider, cat=category(other_school, "水"), day=dt.date(2026, 11, 2))
    response = client_for(logistics_admin).post(reverse("chronicle:entry-add"), _post(term, school, tickets=theirs.number))
    assert response.status_code == 400 and "tickets" in response.context["form"].errors


def test_text_is_shown_as_text(client_for: Any, logistics_admin: Any, school: Any, term: Any) -> None:
    client = client_for(logistics_admin)
    client.post(reverse("chronicle:entry-add"), _post(term, school, title="<script>alert(1)</script>", summary="=HYPERLINK(\"x\")"))
    entry = ChronicleEntry.objects.get()
    page = client.get(reverse("chronicle:entry-detail", args=[entry.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_editing_marks_the_entry_as_a_persons_and_withdrawing_needs_a_reason(client_for: Any, logistics_admin: Any, school: Any,
                                                                             term: Any, entry: ChronicleEntry) -> None:
    client = client_for(logistics_admin)
    data = _post(term, school, title="维修运动场看台座椅（东侧）", date="2026-10-09", quantity="46", unit="个")
    assert client.post(reverse("chronicle:entry-edit", args=[entry.pk]), data).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "维修运动场看台座椅（东侧）" and entry.edited
    response = client.post(reverse("chronicle:entry-withdraw", args=[entry.pk]), {"reason": ""})
    assert response.status_code == 400
    assert client.post(reverse("chronicle:entry-withdraw", args=[entry.pk]), {"reason": "重复登记"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_withdrawn and entry.withdrawn_by == logistics_admin
    # Withdrawn: shown struck through in its month, no longer editable.
    assert client.get(reverse("chronicle:entry-edit", args=[entry.pk])).status_code == 302


def test_once_the_report_is_issued_the_entry_is_frozen(client_for: Any, logistics_admin: Any, school: Any, term: Any,
                                                       entry: ChronicleEntry) -> None:
    TermReport.objects.create(school=school, term=term, title="总结", status="issued", issued_at=timezone.now())
    client = client_for(logistics_admin)
    response = client.post(reverse("chronicle:entry-edit", args=[entry.pk]), _post(term, school, date="2026-10-09"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "维修运动场看台座椅"
    response = client.post(reverse("chronicle:entry-add"), _post(term, school))
    assert response.status_code == 400  # the issued term takes no new entry either
    assert client.post(reverse("chronicle:entry-withdraw", args=[entry.pk]), {"reason": "并入总结附件"}).status_code == 302
    assert ChronicleEntry.objects.filter(pk=entry.pk, withdrawn_reason="并入总结附件").exists()
