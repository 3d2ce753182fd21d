from __future__ import annotations

from typing import Any

import pytest

from logistics.models import Role
from tests.factories import member
from tests.reports import factories


@pytest.fixture
def previous_term(school: Any) -> Any:
    return factories.previous_term(school)


@pytest.fixture
def vice(school: Any) -> Any:
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")


@pytest.fixture
def term_tickets(school: Any, term: Any, previous_term: Any, room: Any, teacher: Any, repairer: Any, other_room: Any, outsider: Any) -> dict:
    return factories.term_tickets(school=school, term=term, previous_term=previous_term, room=room, teacher=teacher, repairer=repairer,
                                  other_room=other_room, outsider=outsider)


@pytest.fixture
def eager(django_capture_on_commit_callbacks: Any) -> Any:
    """Generation jobs run in the test: on-commit callbacks executed, Celery eager even with REDIS_URL."""
    from logistics.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = before
