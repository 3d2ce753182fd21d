"""QR labels of asset cards (A4 sheets per room, per list of numbers, or one card) and the scan page
(camera in the browser through jsQR from npm, a typed number where the camera is refused)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from logistics.lists import int_param
from logistics.models import Room
from logistics.permissions import permission_required
from logistics.scoping import require_school

from assets.models import AssetCard
from assets.qr import card_qr_svg, number_from_scan, site_is_local
from assets.selectors import get_card_for, visible_cards

COLUMNS, ROWS = 3, 8
MAX_LABELS = COLUMNS * ROWS * 50
SCANNER_JS = "vendor/jsqr/jsQR.js"


def _sheets(request: HttpRequest, cards: list[AssetCard], title: str) -> HttpResponse:
    labels = [{"card": c, "svg": card_qr_svg(c.number, title=c.number)} for c in cards[:MAX_LABELS]]
    per = COLUMNS * ROWS
    from django.conf import settings

    return render(request, "assets/label_sheet.html", {
        "sheets": [labels[i:i + per] for i in range(0, len(labels), per)] or [[]], "title": title, "columns": COLUMNS, "rows": ROWS,
        "school": request.school, "site_url": settings.SITE_URL, "site_is_local": site_is_local(), "count": len(labels),
        "cut": len(cards) > MAX_LABELS,
    })


@permission_required("assets.change_assetcard")
def label_sheet(request: HttpRequest) -> HttpResponse:
    """?room=<id>: the active cards standing in a room; ?numbers=…: a batch by number."""
    require_school(request)
    cards = visible_cards(request).active().select_related("asset_class").order_by("number", "id")
    room_id = int_param(request.GET.get("room"), 0, low=0)
    numbers = [n for n in re.split(r"[\s,，、;；]+", request.GET.get("numbers", ""))[:MAX_LABELS] if n]
    if room_id:
        room = Room.objects.for_school(request.school).filter(pk=room_id).select_related("building").first()
        if room is None:
            return render(request, "assets/label_pick.html", {"rooms": _rooms(request)}, status=404)
        return _sheets(request, list(cards.filter(room=room)[:MAX_LABELS + 1]), f"{room.building.name} {room.code}")
    if numbers:
        return _sheets(request, list(cards.filter(number__in=numbers)[:MAX_LABELS + 1]), _("Asset labels"))
    return render(request, "assets/label_pick.html", {"rooms": _rooms(request)})


def _rooms(request: HttpRequest) -> list[Room]:
    from django.db.models import Count, Q

    return list(Room.objects.for_school(request.school).filter(is_active=True).select_related("building")
                .annotate(n=Count("asset_cards", filter=~Q(asset_cards__status="disposed"))).filter(n__gt=0)
                .order_by("building__code", "code"))


@permission_required("assets.view_assetcard")
def label_card(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for(request, pk)
    return _sheets(request, [card], card.number)


@permission_required("assets.view_assetcard")
def scan(request: HttpRequest) -> HttpResponse:
    """Open a card from its label (or a typed number): only a card this person may see, of the
    current school; anything else is "not found" and says nothing more."""
    require_school(request)
    raw = request.GET.get("n", "")
    number = number_from_scan(raw)
    if number:
        card = visible_cards(request).filter(number=number).first()
        if card is not None:
            return redirect(card)
        messages.error(request, _("Asset %(number)s was not found.") % {"number": number})
        status = 404
    else:
        status = 200
    return render(request, "assets/scan.html", {"number": number, "scanner_js": SCANNER_JS if finders.find(SCANNER_JS) else ""},
                  status=status)
