"""Who hears about a hazard's step, and what they read (in their own language)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from django.utils.translation import gettext as _

from logistics.models import Role, User
from logistics.notifications import notify
from logistics.selectors import people_with_role

from safety.models import Hazard


def office_of(school: Any) -> list[User]:
    """The safety officers and the logistics admins: they assign, verify and close hazards."""
    return list(people_with_role(school, Role.SAFETY_OFFICER, Role.LOGISTICS_ADMIN))


def tell(hazard: Hazard, recipients: Iterable[Any], *, by: Any, what: Callable[[], str]) -> None:
    def compose() -> tuple[str, str]:
        return _("Hazard %(number)s: %(what)s") % {"number": hazard.number, "what": what()}, f"{hazard.place_label} — {hazard.description}"

    notify(recipients, school=hazard.school, compose=compose, url=hazard.get_absolute_url(), exclude=by)


def tell_office(school: Any, *, by: Any, subject: str, url: str, body: str = "") -> None:
    """Tell the safety office and the logistics office about a drill, training or evaluation matter."""
    notify(office_of(school), school=school, compose=lambda: (subject, body), url=url, exclude=by)
