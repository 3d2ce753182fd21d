"""Room QR codes: each room's code opens the repair report form with that room filled in.

The code holds an absolute URL built from `settings.SITE_URL`, because a phone camera has no idea
which host printed the label. The report view is login-required, so a person who is not signed in
lands on the login page with `?next=` and comes back to the form afterwards.

segno draws the codes (pure Python, no system library); nothing here writes to the database.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import io
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:
    from logistics.models import Room

# "M" (15 % recovery) keeps the symbol small enough for a 22 mm label while surviving a scuffed
# sticker; segno raises it on its own when the data leaves room for more.
ERROR_LEVEL = "m"


def report_path(room: Room | int) -> str:
    """The site-relative URL of the report form for `room` (for links inside the app)."""
    pk = room if isinstance(room, int) else room.pk
    return f"{reverse('repairs:ticket-report')}?room={pk}"


def report_url(room: Room | int) -> str:
    """The absolute URL a room's QR code holds."""
    return settings.SITE_URL.rstrip("/") + report_path(room)


def room_qr(room: Room | int) -> segno.QRCode:
    # micro=False: Micro QR codes are not read by most phone cameras.
    return segno.make(report_url(room), error=ERROR_LEVEL, micro=False)


def qr_svg(qr: segno.QRCode, *, inline: bool = False, title: str | None = None) -> str:
    """The code as SVG with a viewBox and no fixed size, so CSS decides how large it prints.

    `inline=True` leaves out the XML declaration and namespace, for embedding in an HTML page.
    """
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=1,
        border=4,  # the quiet zone the standard asks for (ISO/IEC 18004: four modules)
        omitsize=True,
        xmldecl=not inline,
        svgns=not inline,
        svgclass="qr",
        lineclass=None,
        title=title,
        nl=not inline,
    )
    return out.getvalue().decode("utf-8")


def site_is_local() -> bool:
    """Whether SITE_URL points at this machine only: labels printed with it scan to nowhere."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in ("localhost", "0.0.0.0") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
