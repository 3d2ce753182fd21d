"""Photos for every app (tickets, asset cards, hazards, drills, deliveries, canteen staff, 工作纪事):
checked, re-encoded without EXIF (no GPS position leaks), with a thumbnail. A library module, no tables.

Re-encoding happens before the record's transaction starts (it is the slow part), so the row locks
of numbering are held only for the inserts.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any, Iterable

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from logistics.workflow import WorkflowError

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000  # enough to read a meter or a model plate; keeps a phone photo at ~400 KB
THUMB_SIDE = 320
JPEG_QUALITY = 85
# A 20 KB PNG of 13,000 × 13,000 one-bit pixels decodes to 2 GB: the pixel count, read from the
# header, is checked before anything is decoded. 40 megapixels is above any phone camera (48 MP
# phones save 12 MP by default). Pillow's own guard is set to the same figure, so what slips past
# our check (a caller that forgets it) raises DecompressionBombError at twice the limit instead of
# at Pillow's default of ~179 megapixels.
DEFAULT_MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_pixels() -> int:
    return getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _too_many_pixels(name: str, width: int | None = None, height: int | None = None) -> str:
    limit = {"name": name, "limit": f"{max_pixels():,}"}
    if width and height:
        return _("“%(name)s” is %(width)d × %(height)d pixels; a photo may have at most %(limit)s pixels.") % {
            **limit, "width": width, "height": height}
    return _("“%(name)s” has too many pixels; a photo may have at most %(limit)s pixels.") % limit


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
        with warnings.catch_warnings():
            # Pillow warns between the limit and twice it; our own check below refuses those.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as img:  # reads the header only: nothing is decoded yet
                width, height = img.size
                if width * height > max_pixels():
                    return _too_many_pixels(name, width, height)
                img.verify()
    except Image.DecompressionBombError:
        return _too_many_pixels(name)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return _("“%(name)s” is not a picture (JPEG, PNG, HEIF-converted JPEG, GIF or WebP).") % {"name": name}
    finally:
        upload.seek(0)
    return None


def process(upload: Any) -> ProcessedPhoto:
    """Re-encode as JPEG with the EXIF orientation applied first, then dropped with all other EXIF."""
    upload.seek(0)
    name = getattr(upload, "name", "")
    try:
        img = Image.open(upload)
    except Image.DecompressionBombError:
        raise WorkflowError(_too_many_pixels(name)) from None
    with img:
        if img.size[0] * img.size[1] > max_pixels():  # callers check with problem_with(); never decode a bomb
            raise WorkflowError(_too_many_pixels(name, *img.size))
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


# --- The form field of every multi-photo upload ---------------------------------------------------

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three pictures; each refused one is named with the reason."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
    held = 0  # photos kept from an earlier try of the same form; they count towards the limit

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        problems = []
        if len(files) + self.held > MAX_PHOTOS:
            problems.append(
                _("You chose %(n)d photos; at most %(max)d are allowed.") % {"n": len(files) + self.held, "max": MAX_PHOTOS}
            )
        problems += [p for f in files if (p := problem_with(f))]
        if problems:
            # Browsers never re-fill a file input: the good photos are held by the view (shown above
            # the input); say plainly that only the refused ones need choosing again.
            problems.append(_("Everything else you typed and the good photos are kept; choose the refused ones again."))
            raise forms.ValidationError(problems)
        return files
