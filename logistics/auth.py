"""Login by username or mobile number; permissions from the roles of the current school only.

Roles are groups attached to a Membership (one per school), not to the user, so a person who is
principal of one school and a teacher in another has a principal's permissions only while working
in the first. `CurrentSchoolMiddleware` sets `user.current_membership` for each request; outside a
request (shell, tasks, tests) the union of the person's active memberships counts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.http import HttpRequest

_UNSET = object()


class SchoolRoleBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        User = get_user_model()
        username = username.strip()
        user = User.objects.filter(Q(username__iexact=username) | Q(phone=username)).order_by("pk").first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing hint that the name is unknown
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _get_group_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        membership = getattr(user_obj, "current_membership", _UNSET)
        if membership is None:
            return Permission.objects.none()
        if membership is _UNSET:
            return Permission.objects.filter(
                group__memberships__user=user_obj, group__memberships__is_active=True, group__memberships__school__is_active=True
            )
        return Permission.objects.filter(group__memberships=membership)
