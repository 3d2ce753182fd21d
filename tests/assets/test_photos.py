"""Photos of a card: added by the office, re-encoded without EXIF, shown only to those who see the card."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assets.models import AssetPhoto
from logistics.audit import AuditEntry
from tests.assets.conftest import register


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    Image.new("RGB", (800, 600), "blue").save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_office_adds_a_photo_served_without_exif_to_those_who_see_the_card(client_for, school, logistics_admin, teacher, outsider):
    card = register(school, logistics_admin, custodian=teacher)
    response = client_for(logistics_admin).post(reverse("assets:card-photo-add", args=[card.pk]), {"photo": jpeg()})
    assert response.status_code == 302
    photo = AssetPhoto.objects.get(card=card)
    served = client_for(teacher).get(reverse("assets:photo", args=[photo.pk]))
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.size == (800, 600) and not image.getexif()
    assert client_for(outsider).get(reverse("assets:photo", args=[photo.pk])).status_code == 404
    assert AuditEntry.objects.filter(object_id=card.pk, action="assets.assetcard.photo_added").exists()
    page = client_for(teacher).get(reverse("assets:card-detail", args=[card.pk])).content.decode()
    assert reverse("assets:photo-thumb", args=[photo.pk]) in page and 'data-action="photo-add"' not in page


def test_a_file_that_is_not_a_picture_is_refused_and_a_holder_cannot_add(client_for, school, logistics_admin, teacher):
    card = register(school, logistics_admin, custodian=teacher)
    client_for(logistics_admin).post(reverse("assets:card-photo-add", args=[card.pk]),
                                     {"photo": SimpleUploadedFile("x.jpg", b"not a picture")})
    assert client_for(teacher).post(reverse("assets:card-photo-add", args=[card.pk]), {"photo": jpeg()}).status_code == 403
    assert not AssetPhoto.objects.exists()


def test_the_office_removes_a_photo(client_for, school, logistics_admin):
    card = register(school, logistics_admin)
    client = client_for(logistics_admin)
    client.post(reverse("assets:card-photo-add", args=[card.pk]), {"photo": jpeg()})
    photo = AssetPhoto.objects.get()
    assert client.post(reverse("assets:card-photo-remove", args=[card.pk, photo.pk])).status_code == 302
    assert not AssetPhoto.objects.exists()
