"""In-app notifications with e-mail delivery through an outbox.

`notify()` saves the notification in the caller's transaction, so it exists if and only if the
change it reports does. Delivery is a Celery task queued after commit; if the broker is down the
change still succeeds (`logistics.queue.enqueue` swallows the broker's error), and
`deliver_pending_notifications` (beat, every five minutes) sends what is left.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from logistics.options import count_for, counts_changed, person_count
from logistics.queue import enqueue
from logistics.scoping import SchoolScopedQuerySet

log = logging.getLogger(__name__)


class Notification(models.Model):
    class Email(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        NONE = "none", _("no address")
        FAILED = "failed", _("failed")

    school = models.ForeignKey("logistics.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(_("e-mail"), max_length=10, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    SCHOOL_FIELD = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        app_label = "logistics"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.subject


MAX_EMAIL_ATTEMPTS = 5


def notify(
    recipients: Iterable[Any], *, school: Any, compose: Callable[[], tuple[str, str]], url: str = "", exclude: Any = None
) -> list[Notification]:
    """Notify each recipient once, in their own language; `compose()` returns (subject, body)."""
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = compose()
        created.append(
            Notification(
                school=school,
                recipient=user,
                subject=str(subject)[:200],
                body=str(body),
                url=url,
                email_status=Notification.Email.PENDING if user.email else Notification.Email.NONE,
            )
        )
    Notification.objects.bulk_create(created)
    counts_changed([UNREAD], [getattr(school, "pk", school)])
    ids = [n.pk for n in created if n.email_status == Notification.Email.PENDING]
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return created


def enqueue_delivery(ids: list[int]) -> bool:
    """Queue the e-mails; with the broker down they stay pending and the beat's `deliver_pending` sends them."""
    from logistics.tasks import deliver_notifications

    return enqueue(deliver_notifications, ids)


def deliver(ids: Iterable[int]) -> int:
    """Send the e-mails of these pending notifications; returns how many were sent."""
    sent = 0
    for n in Notification.objects.filter(pk__in=list(ids), email_status=Notification.Email.PENDING).select_related("recipient"):
        # Claim the row so two workers never send the same mail twice.
        claimed = Notification.objects.filter(pk=n.pk, email_status=Notification.Email.PENDING, email_attempts=n.email_attempts)
        if not claimed.update(email_attempts=n.email_attempts + 1):
            continue
        try:
            body = f"{n.body}\n\n{settings.SITE_URL.rstrip('/')}{n.url}" if n.url else n.body
            send_mail(n.subject, body, None, [n.recipient.email])
        except Exception:
            log.warning("e-mail for notification %s failed", n.pk, exc_info=True)
            if n.email_attempts + 1 >= MAX_EMAIL_ATTEMPTS:
                Notification.objects.filter(pk=n.pk).update(email_status=Notification.Email.FAILED)
            continue
        Notification.objects.filter(pk=n.pk).update(email_status=Notification.Email.SENT)
        sent += 1
    return sent


def pending_ids(*, older_than_seconds: int = 60) -> list[int]:
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(email_status=Notification.Email.PENDING, created_at__lte=cutoff).values_list("pk", flat=True)[:500]
    )


UNREAD = "notifications.unread"


@person_count(UNREAD, depends_on=[Notification])
def _unread(user: Any, school: Any) -> int:
    return Notification.objects.filter(recipient=user, school=school, read_at__isnull=True).count()


def unread_count(user: Any, school: Any) -> int:
    """The bell's figure on every page: kept per person until a notification of the school is
    written or read (`mark_read`; `notify` writes in bulk, which sends no signal)."""
    return count_for(UNREAD, user, school)


def mark_read(notifications: models.QuerySet[Notification], school: Any) -> int:
    read = notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    counts_changed([UNREAD], [getattr(school, "pk", school)])
    return read
