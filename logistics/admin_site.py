"""The admin site: Django's, with its view-on-site shortcut scoped like the changelists.

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


class SchoolAdminSite(admin.AdminSite):
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
