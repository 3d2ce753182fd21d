from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView, UpdateView

from logistics import widgets
from logistics.forms import LoginForm, ProfileForm
from logistics.lists import safe_next
from logistics.models import Building, Membership, Role, Room, SchoolClass, Term
from logistics.notifications import Notification, mark_read
from logistics.permissions import can
from logistics.scoping import memberships_of, require_school, scoped, switch_school


class SchoolRequiredMixin(LoginRequiredMixin):
    """Signed in and a member of a school; querysets start from `scoped()`."""

    model: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_school(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return scoped(self.request, self.model)

    def has_permission(self) -> bool:
        # PermissionRequiredMixin asks this; the answer is the current school's (logistics.permissions).
        return all(can(self.request.user, self.request.school, p) for p in self.get_permission_required())

    def handle_no_permission(self) -> HttpResponse:
        # Anonymous: to the login page. Signed in without the permission: 403, not a login loop.
        if self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        return redirect_to_login(self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name())


class SchoolListView(SchoolRequiredMixin, PermissionRequiredMixin, ListView):
    paginate_by = 50


class SchoolDetailView(SchoolRequiredMixin, PermissionRequiredMixin, DetailView):
    pass


class SchoolLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


HOME_TITLES = [
    (Role.PRINCIPAL, gettext_lazy("Principal's desk")),
    (Role.VICE_PRINCIPAL, gettext_lazy("Vice principal's desk")),
    (Role.LOGISTICS_ADMIN, gettext_lazy("Logistics office")),
    (Role.DISTRICT_VIEWER, gettext_lazy("District overview")),
    (Role.FINANCE, gettext_lazy("Finance desk")),
    (Role.CANTEEN_MANAGER, gettext_lazy("Canteen desk")),
    (Role.SAFETY_OFFICER, gettext_lazy("Safety desk")),
    (Role.REPAIRER, gettext_lazy("My repair jobs")),
    (Role.CLASS_TEACHER, gettext_lazy("Class teacher's desk")),
    (Role.STAFF, gettext_lazy("My desk")),
]


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    membership = request.membership
    if membership is None:
        return render(request, "logistics/no_school.html", status=403)
    title = next((t for role, t in HOME_TITLES if membership.has_role(role)), _("My desk"))
    return render(
        request,
        "logistics/home.html",
        {"title": title, "widgets": widgets.widgets_for(request), **_shortcuts(request)},
    )


SHORTCUT_TILES = 8  # on a phone: three rows of tiles, the last one opening the whole menu


def _shortcuts(request: HttpRequest) -> dict[str, Any]:
    """The phone's tiles above the to-do cards: those with something waiting ("审批 3") first, then the
    rest in the menu's order, at most three rows so that the cards start on the first screen."""
    items = widgets.nav_for(request)
    counts = widgets.nav_counts(request, items)
    entries = sorted(((item, counts.get(item.key)) for item in items), key=lambda entry: not entry[1])
    if len(entries) <= SHORTCUT_TILES + 1:
        return {"shortcuts": entries, "more_shortcuts": 0}
    return {"shortcuts": entries[:SHORTCUT_TILES], "more_shortcuts": len(entries) - SHORTCUT_TILES}


SCHOOLS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def school_switch(request: HttpRequest) -> HttpResponse:
    """GET: the person's schools, searched by name or code and paginated. POST: work in one of them.

    One page rather than a form per school in the navigation: a district viewer belongs to a hundred
    schools or more, and every page would carry them all.
    """
    if request.method == "POST":
        try:
            school_id = int(request.POST.get("school", ""))
        except ValueError:
            school_id = 0
        if not switch_school(request, school_id):
            messages.error(request, _("You are not a member of that school."))
        return redirect(safe_next(request, request.POST.get("next")) or "home")
    query = request.GET.get("q", "").strip()[:50]
    memberships = memberships_of(request.user).prefetch_related("roles")
    if query:
        memberships = memberships.filter(Q(school__name__icontains=query) | Q(school__code__icontains=query))
    page = Paginator(memberships, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    back = safe_next(request, request.GET.get("next")) or ""
    return render(request, "logistics/school_switch.html", {"page_obj": page, "query": query, "next": back})


class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "logistics/profile.html"

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        return self.request.user

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        response = super().form_valid(form)
        translation.activate(form.instance.language)  # say it in the language just chosen
        messages.success(self.request, _("Your profile has been saved."))
        return response

    def get_success_url(self) -> str:
        return self.request.path


class NotificationListView(SchoolRequiredMixin, ListView):
    model = Notification
    paginate_by = 30
    template_name = "logistics/notification_list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().filter(recipient=self.request.user)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    require_school(request)
    unread = scoped(request, Notification).filter(recipient=request.user, read_at__isnull=True)
    if pk := request.POST.get("id", "").strip():
        if not pk.isdigit() or len(pk) > 18:
            return HttpResponseBadRequest(_("No such notification."))
        unread = unread.filter(pk=int(pk))
    mark_read(unread, request.school)
    return redirect(safe_next(request, request.POST.get("next")) or "notification-list")


class BuildingListView(SchoolListView):
    model = Building
    permission_required = "logistics.view_building"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("campus").annotate(room_count=Count("rooms")).order_by("campus__name", "code")


class BuildingDetailView(SchoolDetailView):
    model = Building
    permission_required = "logistics.view_building"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rooms = self.object.rooms.order_by("-floor", "code")
        floors: dict[int, list[Room]] = {}
        for room in rooms:
            floors.setdefault(room.floor, []).append(room)
        return super().get_context_data(floors=floors, **kwargs)


class RoomListView(SchoolListView):
    model = Room
    permission_required = "logistics.view_room"

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset().select_related("building")
        if q := self.request.GET.get("q", "").strip():
            qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(building__name__icontains=q))
        if building := self.request.GET.get("building", "").strip():
            qs = qs.filter(building_id=building) if building.isdigit() else qs.none()
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(buildings=scoped(self.request, Building), **kwargs)


class RoomDetailView(SchoolDetailView):
    model = Room
    permission_required = "logistics.view_room"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("building__campus")


class ClassListView(SchoolListView):
    model = SchoolClass
    permission_required = "logistics.view_schoolclass"
    paginate_by = 100

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("head_teacher", "room__building")


class PeopleListView(SchoolListView):
    model = Membership
    permission_required = "logistics.view_membership"
    template_name = "logistics/people_list.html"

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset().active().select_related("user", "department").prefetch_related("roles")
        if q := self.request.GET.get("q", "").strip():
            qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__username__icontains=q) | Q(user__phone__icontains=q))
        if role := self.request.GET.get("role", ""):
            qs = qs.filter(roles__name=role)
        return qs.order_by("department__name", "user__full_name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(roles=Role.choices, **kwargs)


class TermListView(SchoolListView):
    model = Term
    permission_required = "logistics.view_term"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(current=scoped(self.request, Term).current(), **kwargs)
