"""The core section (the school's scale) and the term_report command."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from logistics.models import Room
from logistics.report import core_section
from logistics.reports import registry
from tests.factories import BuildingFactory, RoomFactory, SchoolClassFactory, member

pytestmark = pytest.mark.django_db


def test_the_core_section_counts_buildings_rooms_classes_and_staff(school: Any, term: Any, room: Any, teacher: Any, principal: Any,
                                                                   other_room: Any) -> None:
    RoomFactory(building=room.building, code="S101", kind=Room.Kind.LAB)
    RoomFactory(building=room.building, code="OLD", is_active=False)
    BuildingFactory(campus=room.building.campus, code="B")
    SchoolClassFactory(school=school)
    s = core_section(school, term)
    value = {f.key: f.value for f in s.facts}
    assert value == {"core.campuses": None, "core.buildings": 2, "core.rooms": 2, "core.classrooms": 1, "core.special_rooms": 1,
                     "core.classes": 1, "core.staff": 2}
    assert s.placement == "opening"
    assert s.fact("core.rooms").link.url == "/places/rooms/"
    assert [r[2] for r in s.all_sheets()[0].rows] == ["S101", "A203"]  # building, floor, code


def test_every_app_section_is_registered_at_start_up() -> None:
    keys = [p.key for p in registry.providers()]
    assert keys[:2] == ["core", "repairs"]


def test_the_command_writes_each_format(school: Any, term: Any, term_tickets: dict, tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("term_report", "--school", "east", "--term", term.code, "--format", "docx", "--output", str(tmp_path / "r.docx"), stdout=out,
                 stderr=io.StringIO())
    assert "东城实验中学2026—2027学年第一学期后勤工作总结" in out.getvalue()
    doc = Document(str(tmp_path / "r.docx"))
    assert any("受理报修6件" in p.text for p in doc.paragraphs)
    call_command("term_report", "--school", "east", "--term", term.code, "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert "报修工单" in load_workbook(tmp_path / "r.xlsx").sheetnames
    call_command("term_report", "--school", "east", "--term", term.code, "--format", "html", "--output", str(tmp_path / "r.html"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert "后勤工作总结" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_command_lists_the_terms_when_the_code_is_wrong(school: Any, term: Any, previous_term: Any, tmp_path: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command("term_report", "--school", "east", "--term", "2030-2031-1", "--output", str(tmp_path / "x.docx"))
    assert "2026-2027-1" in str(error.value) and "2025-2026-2" in str(error.value)
    with pytest.raises(CommandError):
        call_command("term_report", "--school", "east", "--term", "garbage", "--output", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_the_command_names_an_unknown_school(school: Any, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="No school with the code 'nowhere'"):
        call_command("term_report", "--school", "nowhere", "--term", "2026-2027-1", "--output", str(tmp_path / "x.docx"))


def test_the_command_exits_non_zero_on_a_wrong_term(school: Any, term: Any, tmp_path: Any, capsys: Any) -> None:
    from django.core.management import ManagementUtility

    # Through the real entry point: the person at the shell sees the codes and a failing exit status.
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "term_report", "--school", "east", "--term", "2019-2020-1", "--output", str(tmp_path / "x.docx")]).execute()
    assert exit_.value.code == 1
    assert "2026-2027-1" in capsys.readouterr().err


def test_a_school_with_only_the_core_gets_a_short_report(school: Any, term: Any, room: Any, teacher: Any, tmp_path: Any) -> None:
    member(school, "staff", username="x2")
    call_command("term_report", "--school", "east", "--term", term.code, "--output", str(tmp_path / "r.docx"), stdout=io.StringIO(),
                 stderr=io.StringIO())
    texts = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs if p.text.strip()]
    assert [t for t in texts if t[:2] in ("一、", "二、")] == ["一、下学期工作打算"]
    assert all("None" not in t and "0件" not in t for t in texts)
