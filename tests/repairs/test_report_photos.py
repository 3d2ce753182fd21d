"""A form error keeps the photo and names the missing field (issue 10, walking 5)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from repairs.models import PendingPhoto, Ticket, TicketPhoto
from repairs.services.reporting import held_photos_purge
from repairs.tasks import purge_held_photos
from tests.repairs.conftest import jpeg

URL = reverse("repairs:ticket-report")


def form(room, category, **extra):
    return {"room": room.pk, "category": category.pk, "description": "教室日光灯不亮", "urgency": "normal", "token": "form-1", **extra}


def test_a_missing_description_is_named_and_the_photo_is_kept_for_the_next_try(client_for, teacher, room, category):
    client = client_for(teacher)
    response = client.post(URL, form(room, category, description="", photos=[jpeg("灯.jpg")]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写：故障描述" in page and "这个字段是必填项" not in page
    held = response.context["held"]
    assert len(held) == 1 and f'src="{reverse("repairs:held-photo", args=[held[0].pk])}"' in page
    # The second try sends no file: the held photo goes with the ticket.
    response = client.post(URL, form(room, category, description="第二排灯管不亮"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    photo = TicketPhoto.objects.get(ticket=ticket)
    assert (photo.kind, photo.uploaded_by, photo.width) == (TicketPhoto.Kind.REPORT, teacher, 640)
    assert photo.image.open("rb").read(2) == b"\xff\xd8"
    assert not PendingPhoto.objects.exists()


def test_a_held_photo_and_a_new_one_both_go_with_the_ticket(client_for, teacher, room, category):
    client = client_for(teacher)
    response = client.post(URL, {**form(room, category, photos=[jpeg("1.jpg")]), "room": ""})
    assert "请选择：报修地点" in response.content.decode()
    response = client.post(URL, form(room, category, photos=[jpeg("2.jpg", color="blue")]))
    assert response.status_code == 302
    assert TicketPhoto.objects.filter(ticket=Ticket.objects.get()).count() == 2


def test_a_held_photo_ticked_leave_out_is_not_attached(client_for, teacher, room, category):
    client = client_for(teacher)
    held = client.post(URL, form(room, category, description="", photos=[jpeg()])).context["held"][0]
    response = client.post(URL, form(room, category, remove_photo=[str(held.pk)]))
    assert response.status_code == 302
    assert not TicketPhoto.objects.exists() and not PendingPhoto.objects.exists()


def test_held_photos_count_towards_the_limit_of_three(client_for, teacher, room, category):
    client = client_for(teacher)
    client.post(URL, form(room, category, description="", photos=[jpeg(f"{i}.jpg") for i in range(2)]))
    response = client.post(URL, form(room, category, photos=[jpeg("3.jpg"), jpeg("4.jpg")]))
    assert response.status_code == 200 and "最多 3" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_bad_file_is_named_and_the_good_photo_beside_it_is_kept(client_for, teacher, room, category):
    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client_for(teacher).post(URL, form(room, category, photos=[pdf, jpeg("好.jpg")]))
    assert "“通知.pdf”" in response.content.decode()
    assert len(response.context["held"]) == 1


def test_a_held_photo_is_shown_only_to_the_person_who_chose_it(client_for, teacher, class_teacher, logistics_admin, room, category):
    held = client_for(teacher).post(URL, form(room, category, description="", photos=[jpeg()])).context["held"][0]
    url = reverse("repairs:held-photo", args=[held.pk])
    response = client_for(teacher).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(class_teacher).get(url).status_code == 404
    assert client_for(logistics_admin).get(url).status_code == 404


def test_another_persons_held_photo_cannot_be_taken_by_their_token(client_for, teacher, class_teacher, room, category):
    client_for(teacher).post(URL, form(room, category, description="", photos=[jpeg()]))
    response = client_for(class_teacher).post(URL, form(room, category))
    assert response.status_code == 302
    assert not TicketPhoto.objects.exists() and PendingPhoto.objects.count() == 1


def test_abandoned_held_photos_are_purged_after_a_day(client_for, teacher, room, category, settings, django_capture_on_commit_callbacks):
    client_for(teacher).post(URL, form(room, category, description="", photos=[jpeg()]))
    client_for(teacher).post(URL, form(room, category, description="", token="form-2", photos=[jpeg()]))
    old = PendingPhoto.objects.get(token="form-1")
    PendingPhoto.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_held_photos() == 1
    assert list(PendingPhoto.objects.values_list("token", flat=True)) == ["form-2"]
    assert not old.image.storage.exists(old.image.name)
    assert held_photos_purge() == 0
    assert "repairs.tasks.purge_held_photos" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
