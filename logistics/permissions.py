"""The one answer to "may this person do that in this school?".

Roles are groups attached to a person's Membership of one school, so a permission holds only in the
school whose membership carries the role, only while the membership, the school and the person are
active. Services, selectors, views, widgets, templates (`{% can %}`) and the admin (through
`logistics.auth.SchoolRoleBackend`) all ask `can()`; nothing else reads roles for permissions.

    can(user, school, "repairs.dispatch_ticket")

The set of a person's permissions in a school is read once and kept in the cache until a membership,
role, permission or school changes anywhere (`watch_access`), and on the user object for the rest of
the request (or task); `forget(user)` drops the latter after roles change.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from logistics.options import kept

_CACHE = "_school_perms"
# What a person may do and where (memberships, their roles, the roles' permissions, schools): kept
# between requests (logistics.options.kept) until one of those records changes anywhere.
ACCESS = "access"


def perms_of(user: Any, school: Any) -> frozenset[str]:
    """Every "app_label.codename" that `user` holds through their roles in `school`."""
    school_id = getattr(school, "pk", school)
    if user is None or school_id is None or not getattr(user, "is_active", False) or not getattr(user, "pk", None):
        return frozenset()
    held: dict[int, frozenset[str]] = user.__dict__.setdefault(_CACHE, {})
    if school_id not in held:
        held[school_id] = kept(ACCESS, f"perms:{user.pk}:{school_id}", lambda: read_perms(user, school_id))
    return held[school_id]


def read_perms(user: Any, school_id: int) -> frozenset[str]:
    """`perms_of` from the database."""
    return frozenset(f"{app}.{codename}" for app, codename in Permission.objects.filter(
        group__memberships__user=user,
        group__memberships__school_id=school_id,
        group__memberships__is_active=True,
        group__memberships__school__is_active=True,
    ).values_list("content_type__app_label", "codename"))


def hold(user: Any, school_id: int, perms: frozenset[str]) -> None:
    """Permissions read with the membership (logistics.scoping): `perms_of` looks nowhere else this request."""
    user.__dict__.setdefault(_CACHE, {})[school_id] = perms


def watch_access() -> None:
    """Read again who may do what whenever a record it comes from changes (logistics.apps)."""
    from django.contrib.auth.models import Group

    from logistics.models import Department, Membership, School
    from logistics.options import watch

    watch(ACCESS, [Membership, School, Department, Group], m2m=[Membership.roles.through, Group.permissions.through])


def can(user: Any, school: Any, perm: str) -> bool:
    """Whether `user` holds `perm` ("app_label.codename") through their roles in `school`."""
    return perm in perms_of(user, school)


def can_any(user: Any, school: Any, perms: tuple[str, ...] | list[str]) -> bool:
    held = perms_of(user, school)
    return any(p in held for p in perms)


def forget(user: Any) -> None:
    """Drop the cached permissions (after a role was granted or taken away)."""
    user.__dict__.pop(_CACHE, None)


def permission_required(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous → the login page; signed in without `perm` in the current school → 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, getattr(request, "school", None), perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
