"""Reads of the core that every app asks: who holds a role in a school."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from logistics.models import Membership, School, User


def _memberships(school: Any, roles: tuple[str, ...]) -> QuerySet[Membership]:
    return Membership.objects.for_school(school).active().filter(roles__name__in=roles, user__is_active=True)


def people_with_role(school: Any, *roles: str) -> QuerySet[User]:
    """The active people holding any of `roles` in `school` (active membership, active school)."""
    return User.objects.filter(pk__in=_memberships(school, roles).values("user_id")).order_by("full_name", "username")


def holds_role(user: Any, school: Any, *roles: str) -> bool:
    return user is not None and _memberships(school, roles).filter(user=user).exists()


def schools_where(user: Any, *roles: str) -> QuerySet[School]:
    """The active schools where `user` holds any of `roles` (a district viewer's schools)."""
    held = Membership.objects.active().filter(user=user, roles__name__in=roles).values("school_id")
    return School.objects.filter(pk__in=held).order_by("code")
