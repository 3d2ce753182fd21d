"""Failed logins are throttled per account and per address (django-axes, its database handler), on
the site's login page and the admin's alike.

- The account is the one the typed name resolves to: a person's username and mobile number (both
  accepted by `logistics.auth.SchoolRoleBackend`) count together, so alternating them gains nothing.
- An address may fail more often than an account before it is locked: a school's staff often share
  one public address, and one person's forgotten password must not lock out the staff room.
- A locked login gets its page back with what was typed, the reason and the time to try again.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def account_key(request: HttpRequest, credentials: dict | None = None) -> str:
    """The name failures are counted under: the username of the account the typed name or mobile
    number logs in to (the same lookup as SchoolRoleBackend), else the typed name itself."""
    from logistics.models import User

    typed = ((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    if not typed:
        return ""
    username = User.objects.filter(Q(username__iexact=typed) | Q(phone=typed)).order_by("pk").values_list("username", flat=True).first()
    return (username or typed).lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind LOGIN_PROXY_COUNT trusted reverse proxies, the one the first of
    them saw (X-Forwarded-For is appended to by each proxy, so only its right end can be trusted)."""
    proxies = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' gate, first in AUTHENTICATION_BACKENDS. A call without a request is code (a shell, a
    test's `client.login`), not someone guessing at a login page: it is let through unchecked."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes counts failures per lockout parameter against one limit; here the address
    (AXES_LOCKOUT_PARAMETERS' second entry) has its own, higher limit."""

    def _counts(self, request: HttpRequest, credentials: dict | None) -> tuple[int, int]:
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in self.get_user_attempts(request, credentials)
        )
        return by_account, by_address

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """On the account's scale: an address at its own limit counts as an account at the account limit."""
        by_account, by_address = self._counts(request, credentials)
        if by_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def locked_until(self, request: HttpRequest, credentials: dict | None = None) -> datetime:
        """When the lock opens: the cool-off after the last failure of what is locked (the account, the address or both)."""
        by_account, by_address = self._counts(request, credentials)
        account_attempts, address_attempts = self.get_user_attempts(request, credentials)
        locked = [qs for qs, n, limit in ((account_attempts, by_account, settings.AXES_FAILURE_LIMIT),
                                          (address_attempts, by_address, settings.LOGIN_FAILURES_PER_ADDRESS)) if n >= limit]
        times = [qs.aggregate(at=Max("attempt_time"))["at"] for qs in locked or [account_attempts]]
        return max((t for t in times if t), default=timezone.now()) + get_cool_off(request)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """The login page again (site or admin, whichever was used) with the name typed and when to try again."""
    until = LoginThrottleHandler().locked_until(request, credentials)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = _("Too many failed logins. Please try again after %(time)s (in about %(minutes)d minutes).") % {
        "time": timezone.localtime(until).strftime("%H:%M"), "minutes": minutes}
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None:
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    form._errors = ErrorDict({"__all__": form.error_class([message], error_class="nonfield")})
    # Rendered here: the middleware that asked for this response runs after the template phase.
    return TemplateResponse(request, original_response.template_name, {**context, "locked_out": True}, status=429).render()
