"""Sessions read from the cache, written through to the database (Django's cached_db), and still
working while Redis is out of reach.

Every signed-in page reads its session; from Redis that costs no database query. Django's
`cached_db` already falls back to the database when the cache read fails, but then writes the
session back to the cache unguarded and deletes from it unguarded, so with Redis stopped every page
would be a 500. Here the database answers alone until Redis returns.

A session ended (logout) while Redis is out of reach is deleted from the database but may live on in
Redis until it expires there (SESSION_COOKIE_AGE): the warning in the log says so.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends import cached_db, db
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        try:
            return super().load()
        except RedisError:
            return db.SessionStore.load(self)

    def exists(self, session_key: str | None) -> bool:
        try:
            return super().exists(session_key)
        except RedisError:
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        try:
            super().delete(session_key)
        except RedisError:
            logger.warning("sessions: the cache is out of reach; a session ended now stays in it until it expires")
