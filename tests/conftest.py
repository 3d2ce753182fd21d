"""Personas every app's tests reuse, and the permission-matrix helper.

The school `school` has a teacher, a class teacher, a repairer, the logistics admin, a principal;
`other_school` has its own member (`outsider`) and records that nobody of `school` may reach.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator

import pytest
from django.test import Client

from logistics.models import Role
from logistics.options import forget_all
from tests.factories import (
    BuildingFactory,
    CampusFactory,
    RoomFactory,
    SchoolFactory,
    TermFactory,
    member,
)

pytest_plugins = ["tests.playwright_fixtures"]  # the browser fixtures, one browser for every folder


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def restore_roles() -> None:
    """Grant every role its permissions again, from each app's `*roles.py` data migration.

    A transactional test (browser, live server, real concurrency) ends with a flush that empties
    the groups the data migrations made; serialized_rollback does not bring them back reliably
    beside Playwright's event loop. Granting is idempotent.
    """
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps

    for app_config in apps.get_app_configs():
        folder = Path(app_config.path) / "migrations"
        for path in sorted(folder.glob("*roles.py")) if folder.is_dir() else ():
            import_module(f"{app_config.name}.migrations.{path.stem}").forwards(apps, None)


@pytest.fixture(autouse=True)
def _roles_in_transactional_tests(request: Any) -> None:
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        restore_roles()


@pytest.fixture(autouse=True)
def _fresh_list_options() -> Iterator[None]:
    """A list's choices kept for a school of one test are never shown to the next (logistics.options)."""
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2's 600,000 rounds per persona made each test's set-up take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def school(db: Any) -> Any:
    return SchoolFactory(code="east", name="东城实验中学")


@pytest.fixture
def other_school(db: Any) -> Any:
    return SchoolFactory(code="west", name="西城第二中学")


@pytest.fixture
def building(school: Any) -> Any:
    return BuildingFactory(campus=CampusFactory(school=school), code="A", name="教学楼A栋")


@pytest.fixture
def room(building: Any) -> Any:
    return RoomFactory(building=building, code="A203", name="初一(3)班教室", floor=2)


@pytest.fixture
def other_room(other_school: Any) -> Any:
    return RoomFactory(building=BuildingFactory(campus=CampusFactory(school=other_school), code="Z", name="西楼"), code="Z101")


@pytest.fixture
def term(school: Any) -> Any:
    return TermFactory(school=school)


@pytest.fixture
def teacher(school: Any) -> Any:
    return member(school, Role.STAFF, username="teacher", full_name="李老师")


@pytest.fixture
def class_teacher(school: Any) -> Any:
    return member(school, Role.STAFF, Role.CLASS_TEACHER, username="headteacher", full_name="陈老师")


@pytest.fixture
def repairer(school: Any) -> Any:
    return member(school, Role.STAFF, Role.REPAIRER, username="repairer", full_name="王师傅")


@pytest.fixture
def logistics_admin(school: Any) -> Any:
    return member(school, Role.STAFF, Role.LOGISTICS_ADMIN, username="logistics", full_name="郑主任", is_staff=True)


@pytest.fixture
def principal(school: Any) -> Any:
    return member(school, Role.STAFF, Role.PRINCIPAL, username="principal", full_name="周校长")


@pytest.fixture
def outsider(other_school: Any) -> Any:
    """The logistics admin of another school: every role, but not of `school`."""
    return member(other_school, Role.STAFF, Role.LOGISTICS_ADMIN, Role.PRINCIPAL, username="outsider", full_name="外校主任", is_staff=True)


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def assert_access(client_for: Callable[[Any], Client], url: str, expected: dict[Any, int], method: str = "get", data: Any = None) -> None:
    """The permission matrix: {None: 302 (anonymous → login), user: status, ...} in one call."""
    for user, status in expected.items():
        client = Client() if user is None else client_for(user)
        response = getattr(client, method)(url, data or {})
        assert response.status_code == status, f"{user or 'anonymous'} {method.upper()} {url}: {response.status_code} != {status}"
        if user is None and status == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.fixture
def access() -> Callable[..., None]:
    return assert_access


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """A real `celery -A logistics worker` on the services run (REDIS_URL set), on the test database.

    Tasks sent with `.apply_async(queue=celery_worker_process)` go to this worker only, so a worker
    left running elsewhere on the machine cannot answer for it.
    """
    import subprocess
    import sys
    import time
    import uuid

    from django.conf import settings as django_settings
    from django.db import connection

    if not django_settings.REDIS_URL:
        pytest.skip("no REDIS_URL: Celery runs eagerly (make test-services runs a real worker)")
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot share SQLite's in-memory test database")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "logistics", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=WARNING"],
        env=env,
    )
    from logistics.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1.0):
            break
        if worker.poll() is not None:
            pytest.fail(f"the celery worker exited with {worker.returncode}")
    else:
        worker.terminate()
        pytest.fail("the celery worker did not answer within 60 s")
    yield queue
    worker.terminate()
    worker.wait(timeout=30)
