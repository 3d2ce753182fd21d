"""Dashboard widgets and navigation entries, registered by each app's `widgets.py`.

The same idea as the report registry: the shell knows nothing of the apps; each app says what it
shows on the home pages and in the navigation, and for which permission. Discovered at start-up
(LogisticsConfig.ready), like Django discovers admin.py.

    # repairs/widgets.py
    from logistics import widgets
    widgets.register_nav(widgets.NavItem("repairs", _("Repairs"), "repairs:ticket-list", "tools", order=20))
    @widgets.widget("repairs-open", _("Open repairs"), "repairs/widgets/open.html", permission="repairs.view_ticket")
    def open_tickets(request): return {"count": ...}   # None hides the card
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from logistics.permissions import can_any


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    url_name: str
    icon: str = "circle"
    order: int = 50
    permissions: tuple[str, ...] = ()  # any of these; empty = every member of a school
    children: tuple["NavItem", ...] = field(default_factory=tuple)
    count: str = ""  # a logistics.options person_count shown beside the entry ("审批 3")

    def visible_to(self, request: HttpRequest) -> bool:
        if request.school is None:
            return False
        return not self.permissions or can_any(request.user, request.school, self.permissions)

    @property
    def url(self) -> str:
        # Every page draws the navigation: an entry's address is reversed once per URLconf and script prefix.
        key = (self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if (url := _urls.get(key)) is None:
            try:
                url = reverse(self.url_name)
            except NoReverseMatch:
                url = "#"
            _urls[key] = url
        return url


_urls: dict[tuple[str, str, Any], str] = {}


@dataclass(frozen=True)
class Widget:
    key: str
    title: Any
    template: str
    context: Callable[[HttpRequest], dict | None]
    permissions: tuple[str, ...] = ()
    order: int = 50
    width: str = "col-12 col-md-6 col-xl-4"


@dataclass(frozen=True)
class DistrictColumn:
    """One column of the district viewer's table: `values(schools)` answers {school id: value} in a
    fixed number of queries, however many schools there are."""

    key: str
    label: Any
    values: Callable[[list[Any]], dict[int, Any]]
    order: int = 50


_nav: dict[str, NavItem] = {}
_widgets: dict[str, Widget] = {}
_district_columns: dict[str, DistrictColumn] = {}


def district_column(key: str, label: Any, *, order: int = 50) -> Callable[[Callable[[list[Any]], dict[int, Any]]], Callable[[list[Any]], dict[int, Any]]]:
    def decorate(fn: Callable[[list[Any]], dict[int, Any]]) -> Callable[[list[Any]], dict[int, Any]]:
        _district_columns[key] = DistrictColumn(key, label, fn, order)
        return fn

    return decorate


def _group_of(column: DistrictColumn) -> Any:
    """The app a column belongs to, by its key's prefix ("repairs-open" → 维修), else the school's."""
    from django.apps import apps

    prefix = column.key.split("-", 1)[0] if "-" in column.key else "logistics"
    config = next((c for c in apps.get_app_configs() if c.label == prefix), None)
    return config.verbose_name if config else apps.get_app_config("logistics").verbose_name


def district_table(schools: list[Any]) -> dict[str, Any]:
    """The roll-up of `schools`: every registered column, one row per school; `groups` holds the
    columns by app (the table's upper header, and the sections of a school's card on a phone)."""
    by_app: dict[Any, list[DistrictColumn]] = {}  # apps in the order of their first column
    for column in sorted(_district_columns.values(), key=lambda c: (c.order, c.key)):
        by_app.setdefault(_group_of(column), []).append(column)
    columns = [column for app_columns in by_app.values() for column in app_columns]
    values = [c.values(schools) for c in columns]
    groups: list[dict[str, Any]] = []
    for label, app_columns in by_app.items():
        start = sum(len(g["indexes"]) for g in groups)
        groups.append({"label": label, "indexes": list(range(start, start + len(app_columns)))})
    rows = []
    for s in schools:
        cells = [v.get(s.pk) for v in values]
        rows.append({
            "school": s, "cells": cells, **{c.key: v.get(s.pk) for c, v in zip(columns, values)},
            "groups": [{"label": g["label"], "items": [(columns[i], cells[i]) for i in g["indexes"]]} for g in groups],
        })
    return {"columns": columns, "rows": rows, "groups": [{"label": g["label"], "span": len(g["indexes"])} for g in groups]}


def register_nav(item: NavItem) -> NavItem:
    _nav[item.key] = item
    return item


def widget(
    key: str, title: Any, template: str, *, permissions: tuple[str, ...] = (), order: int = 50, width: str = "col-12 col-md-6 col-xl-4"
) -> Callable[[Callable[[HttpRequest], dict | None]], Callable[[HttpRequest], dict | None]]:
    def decorate(fn: Callable[[HttpRequest], dict | None]) -> Callable[[HttpRequest], dict | None]:
        _widgets[key] = Widget(key, title, template, fn, permissions, order, width)
        return fn

    return decorate


def nav_for(request: HttpRequest) -> list[NavItem]:
    return sorted((i for i in _nav.values() if i.visible_to(request)), key=lambda i: (i.order, i.key))


def nav_counts(request: HttpRequest, items: list[NavItem]) -> dict[str, int]:
    """{entry key: its count} for the entries that carry one, from the cache (logistics.options)."""
    from logistics.options import count_for

    return {i.key: count_for(i.count, request.user, request.school) for i in items if i.count}


def widgets_for(request: HttpRequest) -> list[tuple[Widget, dict]]:
    """The cards this person sees on their home page, each with its context (None = hidden)."""
    shown = []
    if request.school is None:
        return shown
    for w in sorted(_widgets.values(), key=lambda w: (w.order, w.key)):
        if w.permissions and not can_any(request.user, request.school, w.permissions):
            continue
        context = w.context(request)
        if context is not None:
            shown.append((w, context))
    return shown


# --- The core's own entries -----------------------------------------------------------------------
# (Registered here because autodiscover imports logistics.widgets itself too.)

def _register_core() -> None:
    from django.db.models import Count, Q
    from django.utils.translation import gettext_lazy as _

    from logistics.models import Building, Membership, Role, Room, SchoolClass, Term
    from logistics.notifications import Notification
    from logistics.selectors import schools_where

    register_nav(NavItem("places", _("Buildings and rooms"), "building-list", "buildings", order=80, permissions=("logistics.view_building",)))
    register_nav(NavItem("people", _("People"), "people-list", "people", order=85, permissions=("logistics.view_membership",)))
    register_nav(NavItem("classes", _("Classes"), "class-list", "mortarboard", order=86, permissions=("logistics.view_membership",)))
    register_nav(NavItem("terms", _("Terms"), "term-list", "calendar3", order=90, permissions=("logistics.view_membership",)))

    @widget("core-school", _("The school"), "logistics/widgets/school.html", permissions=("logistics.view_membership",), order=90)
    def school_overview(request: HttpRequest) -> dict:
        school = request.school
        rooms = Room.objects.for_school(school).aggregate(rooms=Count("pk"), classrooms=Count("pk", filter=Q(kind=Room.Kind.CLASSROOM)))
        return {
            "buildings": Building.objects.for_school(school).count(),
            "classes": SchoolClass.objects.for_school(school).count(),
            "people": Membership.objects.for_school(school).active().count(),
            "term": Term.objects.for_school(school).current(),
            **rooms,
        }

    @widget("core-district", _("Schools in my district"), "logistics/widgets/district.html", order=5, width="col-12")
    def district_rollup(request: HttpRequest) -> dict | None:
        """A district viewer's read-only roll-up over every school they are a district viewer of."""
        if not request.membership.has_role(Role.DISTRICT_VIEWER):
            return None
        return district_table(list(schools_where(request.user, Role.DISTRICT_VIEWER)))

    def per_school(qs: Any, path: str, schools: list[Any]) -> dict[int, int]:
        counts = dict(qs.filter(**{f"{path}__in": schools}).values_list(path).annotate(n=Count("pk")).order_by())
        return {s.pk: counts.get(s.pk, 0) for s in schools}

    district_column("buildings", _("Buildings"), order=10)(lambda schools: per_school(Building.objects, "campus__school", schools))
    district_column("rooms", _("Rooms"), order=11)(lambda schools: per_school(Room.objects, "building__campus__school", schools))
    district_column("people", _("People"), order=12)(lambda schools: per_school(Membership.objects.active(), "school", schools))

    @widget("core-notifications", _("Latest notifications"), "logistics/widgets/notifications.html", order=95)
    def latest_notifications(request: HttpRequest) -> dict | None:
        latest = list(Notification.objects.for_school(request.school).filter(recipient=request.user, read_at__isnull=True)[:5])
        return {"notifications": latest} if latest else None


_register_core()
from logistics.reports import widgets as _report_widgets  # noqa: E402,F401  (the term reports entry and card)
