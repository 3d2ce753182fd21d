"""The real services themselves: PostgreSQL, Redis, a Celery worker process. Run by `make test-services` (CI).

On a laptop without them these tests skip; with REQUIRE_SERVICES=1 (CI's second run) a missing
service is a failure, not a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from logistics.tasks import school_count
from tests.factories import SchoolFactory

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    if not condition:
        (pytest.fail if REQUIRED else pytest.skip)(reason)


@pytest.mark.django_db
def test_the_database_is_postgresql_when_services_are_required() -> None:
    need(connection.vendor == "postgresql", f"DATABASE_URL is {connection.vendor}, not PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_the_cache_is_redis_and_round_trips() -> None:
    need(bool(settings.REDIS_URL), "REDIS_URL is not set")
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
    cache.set("services-check", {"学校": 1}, 30)
    assert cache.get("services-check") == {"学校": 1}


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_runs_in_a_real_celery_worker_and_reads_the_database(request: Any) -> None:
    need(bool(settings.REDIS_URL) and connection.vendor == "postgresql", "needs REDIS_URL and PostgreSQL")
    queue = request.getfixturevalue("celery_worker_process")
    SchoolFactory.create_batch(3)
    result = school_count.apply_async(queue=queue)
    assert result.get(timeout=60) == {"schools": 3}


def test_production_settings_pass_the_deploy_check() -> None:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "off",
        "SECRET_KEY": "a-long-production-secret-key-for-the-deploy-check-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "houqin.example.edu.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "off"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
