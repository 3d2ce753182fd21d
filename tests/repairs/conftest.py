"""Tickets at each step of the workflow, made through the services (as the screens make them)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from repairs import services
from repairs.models import Category, Ticket


def jpeg(name: str = "photo.jpg", *, size: tuple[int, int] = (640, 480), exif: bytes | None = None, color: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(school: Any) -> Category:
    Category.ensure_defaults(school)
    return Category.objects.get(school=school, name="电")


@pytest.fixture
def water(school: Any) -> Category:
    Category.ensure_defaults(school)
    return Category.objects.get(school=school, name="水")


def submit(school: Any, reporter: Any, room: Any, category: Any, **kwargs: Any) -> Ticket:
    kwargs.setdefault("description", "教室日光灯不亮")
    return services.ticket_submit(school=school, reporter=reporter, room=room, category=category, **kwargs)


@pytest.fixture
def ticket(school: Any, teacher: Any, room: Any, category: Any) -> Ticket:
    return submit(school, teacher, room, category)


@pytest.fixture
def dispatched(ticket: Ticket, logistics_admin: Any, repairer: Any) -> Ticket:
    return services.ticket_dispatch(ticket=ticket, by=logistics_admin, repairer=repairer)


@pytest.fixture
def in_progress(dispatched: Ticket, repairer: Any) -> Ticket:
    return services.ticket_start(ticket=dispatched, by=repairer)


@pytest.fixture
def done(in_progress: Ticket, repairer: Any) -> Ticket:
    services.ticket_add_material(ticket=in_progress, by=repairer, name="LED灯管", quantity=Decimal("2"), unit="支", unit_cost=Decimal("18.50"))
    return services.ticket_mark_done(ticket=in_progress, by=repairer, labour_hours=Decimal("1.5"), work_summary="更换灯管")
