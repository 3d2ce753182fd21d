"""Photos of a repair: checked, re-encoded without EXIF (no GPS position leaks), with a thumbnail.

Re-encoding happens before the ticket's transaction starts (it is the slow part), so the row locks
of numbering are held only for the inserts.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any, Iterable

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000  # enough to read a meter or a model plate; keeps a phone photo at ~400 KB
THUMB_SIDE = 320
JPEG_QUALITY = 85


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def problem_with(upload: Any) -> str | None:
    """Why this upload cannot be a photo, in words for the person; None if it is fine."""
    name = getattr(upload, "name", "") or _("(no name)")
    size = getattr(upload, "size", 0) or 0
    if size > MAX_BYTES:
        return _("“%(name)s” is %(size).1f MB; a photo may be at most 10 MB.") % {"name": name, "size": size / 1024 / 1024}
    if size == 0:
        return _("“%(name)s” is empty.") % {"name": name}
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return _("“%(name)s” is not a picture (JPEG, PNG, HEIF-converted JPEG, GIF or WebP).") % {"name": name}
    finally:
        upload.seek(0)
    return None


def process(upload: Any) -> ProcessedPhoto:
    """Re-encode as JPEG with the EXIF orientation applied first, then dropped with all other EXIF."""
    upload.seek(0)
    with Image.open(upload) as img:
        img = ImageOps.exif_transpose(img)  # rotates as the phone meant; the result carries no orientation tag
        if img.mode not in ("RGB", "L"):
            background = Image.new("RGB", img.size, "white")
            rgba = img.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            img = background
        elif img.mode == "L":
            img = img.convert("RGB")
        img.thumbnail((MAX_SIDE, MAX_SIDE))
        width, height = img.size
        full = io.BytesIO()
        img.save(full, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif= argument: nothing is copied
        thumb_img = img.copy()
        thumb_img.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumb = io.BytesIO()
        thumb_img.save(thumb, "JPEG", quality=80)
    stem = uuid.uuid4().hex
    return ProcessedPhoto(ContentFile(full.getvalue(), f"{stem}.jpg"), ContentFile(thumb.getvalue(), f"{stem}_t.jpg"), width, height)


def process_all(uploads: Iterable[Any]) -> list[ProcessedPhoto]:
    return [p if isinstance(p, ProcessedPhoto) else process(p) for p in uploads]
