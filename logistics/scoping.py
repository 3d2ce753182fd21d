"""The one place that decides which school a request works in and what it may see.

- `CurrentSchoolMiddleware` gives every request `request.membership` and `request.school`: the
  signed-in person's membership of the school chosen in their session (or their first school),
  and `request.school_count`, how many schools they may switch between (logistics:school-switch).
  A person with no membership has `request.school = None` and sees nothing.
- Every school-owned model names its path to the school in `SCHOOL_FIELD` and uses
  `SchoolScopedQuerySet`, so `Model.objects.for_school(school)` is the only filter anyone writes.
- `scoped(request, Model)` and `get_scoped_or_404(request, Model, pk=...)` are what views call:
  another school's object is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, When, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from logistics.options import kept
from logistics.permissions import ACCESS, hold, read_perms

if TYPE_CHECKING:
    from logistics.models import Membership, School

SESSION_KEY = "current_school_id"
M = TypeVar("M", bound=models.Model)


class SchoolScopedQuerySet(models.QuerySet):
    def for_school(self, school: School | int | None) -> SchoolScopedQuerySet:
        if school is None:
            return self.none()
        return self.filter(**{self.model.SCHOOL_FIELD: getattr(school, "pk", school)})


def memberships_of(user: Any) -> models.QuerySet[Membership]:
    from logistics.models import Membership

    return Membership.objects.active().filter(user=user).select_related("school", "department").order_by("school__code")


def current_membership(user: Any, wanted: int | None) -> Membership | None:
    """The membership of the school chosen in the session, else the first; with how many schools the person has.

    One row, not one per school: a district viewer belongs to a hundred schools or more, and every
    page needs only the current one (the switcher page lists the rest). The count rides along as a
    window over the same query, so the navigation knows whether to offer the switcher.

    Every page asks this, so it is kept with the roles and the permissions there until a membership,
    school, department, role or permission changes anywhere (`ACCESS`, logistics.options.kept): three
    queries a page saved, in one read of the cache.
    """

    def read() -> tuple[Membership | None, frozenset[str]]:
        membership = (
            memberships_of(user)
            .annotate(school_count=Window(Count("pk")))
            .order_by(Case(When(school_id=wanted or 0, then=0), default=1), "school__code")
            .prefetch_related("roles")
            .first()
        )
        return membership, read_perms(user, membership.school_id) if membership else frozenset()

    membership, perms = kept(ACCESS, f"membership:{user.pk}:{wanted or 0}", read)
    if membership is not None and user.is_active:
        hold(user, membership.school_id, perms)
    return membership


class CurrentSchoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None
        request.school = None
        user = getattr(request, "user", None)
        request.school_count = 0
        if user is not None and user.is_authenticated:
            chosen = current_membership(user, request.session.get(SESSION_KEY))
            request.membership = chosen
            request.school = chosen.school if chosen else None
            request.school_count = chosen.school_count if chosen else 0
            # The permission backend reads the roles of this membership only (logistics.auth).
            user.current_membership = chosen
        return self.get_response(request)


def switch_school(request: HttpRequest, school_id: int) -> bool:
    """Make `school_id` the current school, if the person is a member. Returns whether it was."""
    if not memberships_of(request.user).filter(school_id=school_id).exists():
        return False
    request.session[SESSION_KEY] = school_id
    return True


def scoped(request: HttpRequest, model_or_qs: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """The records of the request's current school: the start of every list, detail and export."""
    qs = model_or_qs._default_manager.all() if isinstance(model_or_qs, type) else model_or_qs
    return qs.for_school(request.school) if hasattr(qs, "for_school") else qs.filter(**{qs.model.SCHOOL_FIELD: request.school})


def get_scoped_or_404(request: HttpRequest, model_or_qs: type[M] | models.QuerySet[M], **lookup: Any) -> M:
    if request.school is None:
        raise Http404
    return get_object_or_404(scoped(request, model_or_qs), **lookup)


def require_school(request: HttpRequest) -> None:
    """Views of school records call this (through SchoolRequiredMixin): no membership, no entry."""
    if request.school is None:
        raise PermissionDenied("no school")
