"""The transition log every app writes: who, when, from, to, note. Shown as a record's timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.scoping import SchoolScopedQuerySet


class AuditEntry(models.Model):
    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=60, help_text=_("Dotted name, e.g. repairs.ticket.dispatched."))
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


def record(
    obj: models.Model,
    action: str,
    *,
    by: Any,
    school: Any,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Write one entry; call inside the transaction that made the change. `by=None` is the system.
    `school` is the school or its id."""
    return AuditEntry.objects.create(
        school_id=getattr(school, "pk", school),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        actor=by,
        note=note,
        data=data or {},
    )


def history_of(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
