"""The admin site: Django's, with its view-on-site shortcut scoped like the changelists, and the
core's fourteen tables shown in four groups instead of one long column.

Django's `/admin/r/<content type>/<id>/` redirects to any object's page, whoever asks, so a staff
member could tell which ids of another school exist (redirect) and which do not (404). Here it
answers only for objects the model's admin would list to the person (`get_queryset`), 404 for the
rest, exactly as the changelist and change pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

# The core app's models, grouped as an office thinks of them. A model not named here (a new one)
# still shows, in a last group under the app's own name, so nothing can be hidden by forgetting it.
GROUPS: dict[str, list[tuple[Any, list[str]]]] = {
    "logistics": [
        (_("Schools and places"), ["school", "campus", "building", "room"]),
        (_("People and classes"), ["user", "membership", "department", "schoolclass"]),
        (_("Terms and reports"), ["term", "reportsettings", "termreport", "reportjob"]),
        (_("Records kept by the system"), ["auditentry", "notification"]),
    ],
}


def _grouped(app: dict[str, Any]) -> list[dict[str, Any]]:
    groups = GROUPS.get(app["app_label"])
    if not groups:
        return [app]
    by_name = {m["object_name"].lower(): m for m in app["models"]}
    split = []
    for title, names in groups:
        models = [by_name.pop(name) for name in names if name in by_name]
        if models:
            split.append({**app, "name": title, "models": models})
    if by_name:  # kept in the app's own order
        split.append({**app, "models": [m for m in app["models"] if m["object_name"].lower() in by_name]})
    return split


class SchoolAdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        if app_label:  # the app's own page keeps its title and one list
            return apps
        return [group for app in apps for group in _grouped(app)]

    def get_urls(self) -> list[URLPattern]:
        scoped = path("r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.scoped_shortcut), name="view_on_site")
        return [scoped, *(u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site")]

    def scoped_shortcut(self, request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
        # Imported here: this module is loaded with INSTALLED_APPS, before models may be.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        try:
            visible = model_admin is not None and model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            raise Http404
        return shortcut(request, content_type_id, object_id)


class AdminConfig(DjangoAdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS so that `admin.site` is the scoped site."""

    default_site = "logistics.admin_site.SchoolAdminSite"
