"""Photos of the canteen: certificate photos of a delivery (索证索票) and the staff's own photos.

Both get the same checks and re-encoding (no EXIF, a thumbnail) as repair photos, from the shared
helper in logistics.photos (a library module, no tables). A staff photo is kept re-encoded in
`Staff.photo`; its thumbnails (a face on the day page, a larger one on the staff page) are written
next to it the first time they are asked for, and served only to people of that school
(canteen.views.staff_photo).
"""

from __future__ import annotations

import io
import posixpath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from logistics.photos import MAX_PHOTOS, ProcessedPhoto, max_pixels, problem_with, process, process_all

__all__ = ["MAX_PHOTOS", "ProcessedPhoto", "problem_with", "process", "process_all", "staff_photo_file", "staff_thumbnail", "THUMB_SIZES"]

# A face beside a name in the day view's morning checks (32 CSS px, sharp at 3×), and on the staff page (64 px).
THUMB_SIZES = {"s": 96, "m": 192}


def staff_photo_file(upload: Any) -> ContentFile:
    """The upload as kept: JPEG, at most 2000 px, no EXIF. Call `problem_with(upload)` first."""
    return process(upload).image


def _thumb_name(photo_name: str, size: str) -> str:
    stem, _ext = posixpath.splitext(photo_name)
    return f"{stem}_{size}.jpg"


def staff_thumbnail(photo: Any, size: str) -> str:
    """The storage name of the photo's thumbnail of `size` ("s" or "m"), made and stored the first time."""
    name = _thumb_name(photo.name, size)
    if default_storage.exists(name):
        return name
    with photo.open("rb") as handle, Image.open(handle) as img:
        if img.size[0] * img.size[1] > max_pixels():  # a file put there by hand: never decode a bomb
            raise ValueError("too many pixels")
        img = ImageOps.exif_transpose(img).convert("RGB")
        side = THUMB_SIZES[size]
        img = ImageOps.fit(img, (side, side), centering=(0.5, 0.35))  # square, the face rather than the feet
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80)
    return default_storage.save(name, ContentFile(out.getvalue()))
