"""The one way to queue a Celery task from a request: it never fails the request.

With Redis unreachable, a `.delay()` raises after its one quick retry (settings: CELERY_*). A
change the person made is already committed by then, so the error must not turn the answer into
a 500: `enqueue` logs it and returns False. What the task would have done must therefore be
recorded in the database before queuing (the notification outbox, a job row), where a beat task or
the caller's fallback picks it up.

    transaction.on_commit(lambda: enqueue(deliver_notifications, ids))
    enqueue_on_commit(run_report_job, job.pk)
    if not enqueue_with(run_export_job, (job.pk,), queue=settings.EXPORT_QUEUE or None): ...
"""

from __future__ import annotations

import logging
from typing import Any, Mapping, Sequence

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis is in requirements.txt; the embedded demo does not need it
    RedisConnectionError = RedisTimeoutError = KombuOperationalError  # type: ignore[misc, assignment]

log = logging.getLogger(__name__)

# What a broker or result backend out of reach raises: kombu wraps most connection errors in its
# OperationalError, the Redis result backend lets redis-py's through, a socket error may escape both.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Send `task(*args, **kwargs)` to the workers; False, logged, when the broker cannot be reached.

    Only broker errors are swallowed: in eager mode (no REDIS_URL) the task runs here and its own
    errors propagate as they would in a worker's log.
    """
    return enqueue_with(task, args, kwargs)


def enqueue_with(task: Any, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None, **options: Any) -> bool:
    """`enqueue` with `apply_async`'s options: `enqueue_with(run_export_job, (job.pk,), queue="exports")`."""
    try:
        task.apply_async(tuple(args), dict(kwargs or {}), **options)
    except BROKER_ERRORS:
        log.warning("could not queue %s%r: broker unreachable", getattr(task, "name", task), tuple(args), exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (at once outside one), so the task sees the rows."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
