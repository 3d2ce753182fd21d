"""Asset labels: each card's QR code holds the absolute address of the scan page with its number,
so a phone camera opens the card for someone who may see it (and "not found" for anyone else).
segno draws the codes; the SVG helpers and the SITE_URL check are the repairs labels' own."""

from __future__ import annotations

from urllib.parse import quote

import segno
from django.conf import settings
from django.urls import reverse

from repairs.qr import ERROR_LEVEL, qr_svg, site_is_local

__all__ = ["card_url", "card_qr_svg", "site_is_local", "number_from_scan"]


def card_path(number: str) -> str:
    return f"{reverse('assets:scan')}?n={quote(number)}"


def card_url(number: str) -> str:
    return settings.SITE_URL.rstrip("/") + card_path(number)


def card_qr_svg(number: str, *, title: str | None = None) -> str:
    return qr_svg(segno.make(card_url(number), error=ERROR_LEVEL, micro=False), inline=True, title=title)


def number_from_scan(text: str) -> str:
    """What a scan or a typed entry names: a label's address (its ?n=) or the number itself."""
    from urllib.parse import parse_qs, urlsplit

    text = (text or "").strip()[:300]
    if "?" in text and "n=" in text:
        values = parse_qs(urlsplit(text).query).get("n")
        if values:
            return values[0].strip()[:40]
    return text[:40]
