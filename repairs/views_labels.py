"""QR labels for rooms: a print-ready A4 sheet per building and one room's code as an SVG file.

Mounted by `repairs/urls.py` (`urlpatterns += label_urlpatterns`). Only people who keep the
school's places (the logistics admin) print labels; other schools' buildings and rooms are 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _

from logistics.models import Building, Room
from logistics.permissions import permission_required
from logistics.scoping import get_scoped_or_404, require_school, scoped
from repairs.qr import qr_svg, report_url, room_qr, site_is_local

# Keeping the school's places and printing their labels go together: whoever may edit rooms
# (the logistics admin) prints their codes.
LABEL_PERMISSION = "logistics.change_room"
# A common A4 label stock (e.g. 70 × 37 mm, 3 across, 8 down); the CSS grid matches it.
COLUMNS, ROWS = 3, 8
PER_SHEET = COLUMNS * ROWS


def _labels_view(view: Any) -> Any:
    """Signed in (else login with ?next=), a member of a school, allowed to print labels."""

    @permission_required(LABEL_PERMISSION)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_school(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _site() -> dict[str, Any]:
    return {"site_url": settings.SITE_URL, "site_is_local": site_is_local()}


@_labels_view
def label_index(request: HttpRequest) -> HttpResponse:
    """The buildings of the school, each with its number of rooms and a link to its label sheet."""
    buildings = (
        scoped(request, Building)
        .select_related("campus")
        .annotate(room_count=Count("rooms", filter=Q(rooms__is_active=True)))
        .order_by("campus__name", "code")
    )
    return render(request, "repairs/labels/index.html", {"buildings": buildings, **_site()})


@_labels_view
def label_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A4 pages of 3 × 8 labels, one per room in use: QR code, room code and name, "scan to report"."""
    building = get_scoped_or_404(request, Building.objects.select_related("campus__school"), pk=pk)
    rooms = building.rooms.filter(is_active=True).order_by("floor", "code")
    floor = request.GET.get("floor", "").strip()
    if floor.lstrip("-").isdigit():
        rooms = rooms.filter(floor=int(floor))
    else:
        floor = ""
    labels = [{"room": room, "svg": qr_svg(room_qr(room), inline=True), "url": report_url(room)} for room in rooms]
    sheets = [labels[i : i + PER_SHEET] for i in range(0, len(labels), PER_SHEET)]
    floors = building.rooms.filter(is_active=True).order_by("floor").values_list("floor", flat=True).distinct()
    return render(
        request,
        "repairs/labels/sheet.html",
        {
            "building": building,
            "school": building.campus.school,
            "sheets": sheets,
            "label_count": len(labels),
            "floors": list(floors),
            "floor": floor,
            "columns": COLUMNS,
            "rows": ROWS,
            **_site(),
        },
    )


@_labels_view
def room_qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """One room's code as an SVG file, for a door sign or a label the office designs itself."""
    room = get_scoped_or_404(request, Room.objects.select_related("building"), pk=pk)
    title = _("Scan to report a repair: %(room)s") % {"room": room}
    response = HttpResponse(qr_svg(room_qr(room), title=title), content_type="image/svg+xml; charset=utf-8")
    name = slugify(f"{room.building.code}-{room.code}") or str(room.pk)
    response["Content-Disposition"] = f'attachment; filename="qr-{name}.svg"'
    return response


label_urlpatterns = [
    path("labels/", label_index, name="label-index"),
    path("labels/buildings/<int:pk>/", label_sheet, name="label-sheet"),
    path("rooms/<int:pk>/qr.svg", room_qr_svg, name="room-qr"),
]
