"""Bad photos are refused with the reason and the rest of the form kept; good ones are re-encoded."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from repairs.models import Ticket, TicketPhoto
from tests.repairs.conftest import jpeg

URL = reverse("repairs:ticket-report")


def form(room, category, **extra):
    return {"room": room.pk, "category": category.pk, "description": "黑板上方的灯管一直闪", "urgency": "normal",
            "reporter_phone": "13900001111", "token": "t-1", **extra}


def test_a_file_that_is_not_a_picture_is_refused_by_name_and_the_text_is_kept(client_for, teacher, room, category):
    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 not an image", content_type="application/pdf")
    response = client_for(teacher).post(URL, form(room, category, photos=[pdf]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“通知.pdf”" in page and "不是图片" in page
    assert "黑板上方的灯管一直闪" in page and "13900001111" in page
    assert "请重新选择照片" in page  # browsers cannot re-fill a file input: the page says so
    assert not Ticket.objects.exists()


def test_a_picture_over_ten_megabytes_is_refused(client_for, teacher, room, category, monkeypatch):
    from logistics import photos

    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    big = jpeg("大图.jpg", size=(800, 800))
    response = client_for(teacher).post(URL, form(room, category, photos=[big]))
    page = response.content.decode()
    assert response.status_code == 200 and "“大图.jpg”" in page and "10 MB" in page
    assert not Ticket.objects.exists()


def test_more_than_three_photos_are_refused(client_for, teacher, room, category):
    response = client_for(teacher).post(URL, form(room, category, photos=[jpeg(f"{i}.jpg") for i in range(4)]))
    page = response.content.decode()
    assert response.status_code == 200 and "4" in page and "最多 3" in page
    assert "黑板上方的灯管一直闪" in page
    assert not Ticket.objects.exists()


def exif_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}  # GPSInfo
    return exif.tobytes()


def test_a_photo_is_re_encoded_upright_without_exif_and_gets_a_thumbnail(client_for, teacher, room, category):
    photo = jpeg("IMG_0001.jpg", size=(400, 200), exif=exif_with_gps_and_rotation())
    response = client_for(teacher).post(URL, form(room, category, photos=[photo]))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    stored = TicketPhoto.objects.get(ticket=ticket)
    with stored.image.open("rb") as f:
        img = Image.open(io.BytesIO(f.read()))
        assert img.size == (200, 400)  # the orientation was applied before it was dropped
        assert not img.getexif()  # no GPS, no orientation, nothing
    with stored.thumbnail.open("rb") as f:
        assert max(Image.open(io.BytesIO(f.read())).size) <= 320
    assert "IMG_0001" not in stored.image.name  # the stored name gives nothing away either


def test_a_png_with_transparency_is_stored_as_jpeg(client_for, teacher, room, category):
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(buffer, "PNG")
    png = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    client_for(teacher).post(URL, form(room, category, photos=[png]))
    stored = TicketPhoto.objects.get()
    with stored.image.open("rb") as f:
        assert Image.open(f).format == "JPEG"


@pytest.fixture
def photo(client_for, teacher, room, category):
    client_for(teacher).post(URL, form(room, category, photos=[jpeg()]))
    return TicketPhoto.objects.get()


def test_photos_are_served_only_to_people_who_may_see_the_ticket(photo, client_for, teacher, class_teacher, outsider, principal):
    for url in (reverse("repairs:photo", args=[photo.pk]), reverse("repairs:photo-thumb", args=[photo.pk])):
        response = client_for(teacher).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        assert client_for(principal).get(url).status_code == 200
        assert client_for(class_teacher).get(url).status_code == 404
        assert client_for(outsider).get(url).status_code == 404


def test_a_repairer_adds_work_photos_with_a_note(in_progress, client_for, repairer):
    response = client_for(repairer).post(reverse("repairs:ticket-note", args=[in_progress.pk]), {"note": "已更换", "photos": [jpeg()]})
    assert response.status_code == 302
    assert TicketPhoto.objects.filter(ticket=in_progress, kind=TicketPhoto.Kind.WORK).count() == 1


def test_a_bad_work_photo_re_shows_the_note(in_progress, client_for, repairer):
    bad = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    response = client_for(repairer).post(reverse("repairs:ticket-note", args=[in_progress.pk]), {"note": "拆开检查", "photos": [bad]})
    assert response.status_code == 400
    assert "拆开检查" in response.content.decode() and "“x.txt”" in response.content.decode()
    assert not TicketPhoto.objects.exists()


# --- Decompression bombs (issue 10, security 1) -----------------------------------------------

@pytest.fixture(scope="session")
def bomb_png() -> bytes:
    """13,000 × 13,000 one-bit pixels, all white: ~20 KB as PNG, 2 GB once decoded to RGB."""
    buffer = io.BytesIO()
    Image.new("1", (13_000, 13_000), 1).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def bomb(bomb_png: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("炸弹.png", bomb_png, content_type="image/png")


def test_the_bomb_is_small_on_the_wire(bomb_png):
    assert len(bomb_png) < 100_000


def test_a_picture_over_the_pixel_limit_is_refused_on_the_report_form_before_it_is_decoded(
    client_for, teacher, room, category, bomb_png, monkeypatch
):
    from PIL import ImageFile

    decoded, load = [], ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self) or load(self))
    response = client_for(teacher).post(URL, form(room, category, photos=[bomb(bomb_png)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“炸弹.png”" in page and "像素过多" in page and "40,000,000 像素" in page
    assert "黑板上方的灯管一直闪" in page
    assert not decoded  # refused from the header alone
    assert not Ticket.objects.exists() and not TicketPhoto.objects.exists()


def test_a_picture_over_the_pixel_limit_is_refused_on_the_work_note_form(in_progress, client_for, repairer, bomb_png):
    response = client_for(repairer).post(reverse("repairs:ticket-note", args=[in_progress.pk]), {"note": "拆开检查", "photos": [bomb(bomb_png)]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“炸弹.png”" in page and "40,000,000 像素" in page and "拆开检查" in page
    assert not TicketPhoto.objects.exists()


def test_the_pixel_limit_is_a_setting(client_for, teacher, room, category, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    response = client_for(teacher).post(URL, form(room, category, photos=[jpeg("大.jpg", size=(101, 100))]))
    assert response.status_code == 200 and "“大.jpg”有 101 × 100 像素；照片最多 10,000 像素。" in response.content.decode()
    assert not Ticket.objects.exists()
    response = client_for(teacher).post(URL, form(room, category, photos=[jpeg("小.jpg", size=(100, 100))], token="t-2"))
    assert response.status_code == 302 and TicketPhoto.objects.count() == 1


def test_a_picture_past_pillows_own_guard_is_refused_as_too_large_not_as_not_a_picture(client_for, teacher, room, category, settings):
    settings.PHOTO_MAX_PIXELS = 1000
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow refuses at twice this, inside Image.open
        response = client_for(teacher).post(URL, form(room, category, photos=[jpeg("巨.jpg", size=(100, 100))]))
    page = response.content.decode()
    assert "“巨.jpg”" in page and "像素过多" in page and "不是图片" not in page
    assert not Ticket.objects.exists()


def test_processing_refuses_a_bomb_even_if_the_check_was_skipped(bomb_png):
    from logistics.workflow import WorkflowError
    from logistics import photos

    with pytest.raises(WorkflowError):
        photos.process(bomb(bomb_png))
