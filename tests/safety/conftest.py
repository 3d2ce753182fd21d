"""Safety personas and records, made through the services (as the screens make them)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from logistics.models import Role
from safety import services
from safety.models import Answer, Grade, Hazard, HazardCategory, InspectionTemplate, Round, TemplateItem
from tests.factories import member


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def safety_officer(school: Any) -> Any:
    return member(school, Role.STAFF, Role.SAFETY_OFFICER, username="safety", full_name="孙安全")


@pytest.fixture
def vice_principal(school: Any) -> Any:
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")


@pytest.fixture
def district_viewer(school: Any) -> Any:
    return member(school, Role.DISTRICT_VIEWER, username="district", full_name="教育局")


@pytest.fixture
def patrol(school: Any) -> InspectionTemplate:
    InspectionTemplate.ensure_defaults(school)
    return InspectionTemplate.objects.get(school=school, key="fire_patrol")


@pytest.fixture
def monthly(school: Any) -> InspectionTemplate:
    InspectionTemplate.ensure_defaults(school)
    return InspectionTemplate.objects.get(school=school, key="fire_inspection")


def items_of(template: InspectionTemplate) -> list[TemplateItem]:
    return list(TemplateItem.objects.filter(section__template=template).order_by("section__order", "order", "pk"))


def item_named(template: InspectionTemplate, text: str) -> TemplateItem:
    return TemplateItem.objects.get(section__template=template, text=text)


def walk_all(round: Round, by: Any, *, fail: dict[str, str] | None = None) -> Round:
    """Answer every item pass, except those in `fail` (item text → note)."""
    fail = fail or {}
    for item in items_of(round.template):
        if item.text in fail:
            services.round_answer(round=round, item=item, by=by, answer=Answer.FAIL, note=fail[item.text])
        else:
            services.round_answer(round=round, item=item, by=by, answer=Answer.PASS)
    return round


def report(school: Any, by: Any, room: Any, **kwargs: Any) -> Hazard:
    kwargs.setdefault("category", HazardCategory.FIRE)
    kwargs.setdefault("description", "二楼走廊灭火器压力不足")
    return services.hazard_report(school=school, by=by, room=room, **kwargs)


@pytest.fixture
def hazard(school: Any, teacher: Any, room: Any) -> Hazard:
    return report(school, teacher, room)


@pytest.fixture
def assigned(hazard: Hazard, safety_officer: Any, repairer: Any) -> Hazard:
    return services.hazard_assign(hazard=hazard, by=safety_officer, responsible=repairer, deadline=timezone.localdate() + dt.timedelta(days=3))


@pytest.fixture
def fixing(assigned: Hazard, safety_officer: Any) -> Hazard:
    return services.hazard_start(hazard=assigned, by=safety_officer)


@pytest.fixture
def to_verify(fixing: Hazard, repairer: Any) -> Hazard:
    return services.hazard_rectify(hazard=fixing, by=repairer, measures="更换灭火器")


MAJOR = {"grade": Grade.MAJOR}
