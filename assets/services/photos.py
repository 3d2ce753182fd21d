"""Photos of a card: checked, re-encoded without EXIF (no GPS position leaks), with a thumbnail.

The checking and re-encoding are the repairs app's photo helpers (`logistics.photos`, no tables):
one implementation of the EXIF stripping and the decompression-bomb guard for the whole project.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from logistics.models import User
from logistics.workflow import WorkflowError, record_change, refuse_unless
from logistics import photos as photo_lib

from assets import rules
from assets.models import AssetCard, AssetPhoto
from assets.services.common import lock_card

MAX_CARD_PHOTOS = 6


def card_add_photo(*, card: AssetCard, by: User, upload: Any) -> AssetPhoto:
    refuse_unless(rules.edit(card, by))
    refuse_unless(photo_lib.problem_with(upload))
    processed = photo_lib.process(upload)  # the slow part, before the row lock
    with transaction.atomic():
        card = lock_card(card)
        refuse_unless(rules.edit(card, by))
        if AssetPhoto.objects.filter(card=card).count() >= MAX_CARD_PHOTOS:
            raise WorkflowError(_("A card holds at most %(n)d photos.") % {"n": MAX_CARD_PHOTOS})
        photo = AssetPhoto(card=card, width=processed.width, height=processed.height, uploaded_by=by)
        photo.image.save(processed.image.name, processed.image, save=False)
        photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
        photo.save()
        record_change(card, "photo_added", by=by)
    return photo


@transaction.atomic
def card_remove_photo(*, photo: AssetPhoto, by: User) -> None:
    card = lock_card(photo.card)
    refuse_unless(rules.edit(card, by))
    names = [(f.storage, f.name) for f in (photo.image, photo.thumbnail) if f.name]
    AssetPhoto.objects.filter(pk=photo.pk).delete()
    record_change(card, "photo_removed", by=by)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
