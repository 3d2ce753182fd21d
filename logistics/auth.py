"""Login by username or mobile number; permissions from the roles of the current school only.

Roles are groups attached to a Membership (one per school), not to the user, so a person who is
principal of one school and a teacher in another has a principal's permissions only while working
in the first. `CurrentSchoolMiddleware` sets `user.current_membership` for each request, and
`user.has_perm` (Django's admin, `{{ perms }}`) answers with `logistics.permissions.perms_of` for
that school. Outside a request there is no current school and `has_perm` is False: code that runs
there names its school and asks `logistics.permissions.can(user, school, perm)`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from logistics.permissions import perms_of

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

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()  # no permissions on the person, only through their roles in a school

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        membership = getattr(user_obj, "current_membership", None)
        if obj is not None or membership is None:
            return set()
        return set(perms_of(user_obj, membership.school_id))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_group_permissions(user_obj, obj)
