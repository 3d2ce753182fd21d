"""The Word file as Word sees it: part headings in the navigation pane, the office as author, 草稿 on a draft."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from logistics.reports import services
from logistics.reports.writers import word

pytestmark = pytest.mark.django_db

PART = re.compile(r"^[一二三四五六七八九十]+、")


@pytest.fixture
def draft(school: Any, term: Any, term_tickets: dict, logistics_admin: Any) -> Any:
    school.office_name = "总务处"
    school.save(update_fields=["office_name"])
    return services.report_generate(school=school, term=term, by=logistics_admin)


def docx(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def header_text(doc: Any) -> str:
    section = doc.sections[0]
    # A section without a header of its own has nothing to say (reading .paragraphs would add one).
    return "" if section.header.is_linked_to_previous else "".join(p.text for p in section.header.paragraphs)


def test_the_part_headings_are_heading_1_and_2_so_the_navigation_pane_lists_them(draft: Any) -> None:
    doc = docx(services.render_file(draft, "docx")[0])
    parts = [p for p in doc.paragraphs if PART.match(p.text)]
    assert [p.text for p in parts] == ["一、校舍维修与报修服务", "二、存在的不足", "三、下学期工作打算"]
    assert {p.style.name for p in parts} == {"Heading 1"}
    subparts = [p for p in doc.paragraphs if p.text.startswith("（")]
    assert len(subparts) >= 2 and {p.style.name for p in subparts} == {"Heading 2"}
    headed = {p.text for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert headed == {p.text for p in parts + subparts}, "only the part headings are headings"
    assert doc.paragraphs[0].style.name == "Normal" and not doc.paragraphs[0].text.startswith("一")


def test_the_heading_styles_keep_the_gb_t_9704_look_black_and_unnumbered() -> None:
    doc = docx(word.render([]))
    for name, font, bold in (("Heading 1", "黑体", False), ("Heading 2", "楷体_GB2312", False), ("Heading 3", "仿宋_GB2312", True)):
        style = doc.styles[name]
        rpr = style.element.rPr
        assert rpr.rFonts.get(qn("w:eastAsia")) == font, name
        assert rpr.rFonts.get(qn("w:eastAsiaTheme")) is None and rpr.rFonts.get(qn("w:asciiTheme")) is None, name
        assert style.font.size == Pt(16) and style.font.bold is bold and style.font.color.rgb == RGBColor(0, 0, 0), name
        assert rpr.find(qn("w:color")).get(qn("w:themeColor")) is None, name
        fmt = style.paragraph_format
        assert fmt.space_before == Pt(0) and fmt.space_after == Pt(0) and fmt.first_line_indent == Pt(32), name
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and 28 <= fmt.line_spacing.pt <= 29, name
        assert fmt.keep_with_next, name
        assert style.element.pPr.find(qn("w:numPr")) is None, name
        level = int(name[-1]) - 1
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level), name


def test_the_author_is_the_school_office_and_the_title_the_report_title(draft: Any) -> None:
    props = docx(services.render_file(draft, "docx")[0]).core_properties
    assert props.author == "东城实验中学总务处" and props.last_modified_by == "东城实验中学总务处"
    assert props.title == "东城实验中学2026—2027学年第一学期后勤工作总结"
    assert "python-docx" not in f"{props.comments}{props.subject}{props.keywords}"


def test_a_draft_says_草稿_in_its_page_header_and_the_issued_version_does_not(draft: Any, logistics_admin: Any) -> None:
    draft_doc = docx(services.render_file(draft, "docx")[0])
    assert header_text(draft_doc) == "草稿"
    run = draft_doc.sections[0].header.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    services.report_issue(report=draft, by=logistics_admin)
    draft.refresh_from_db()
    issued = docx(services.render_file(draft, "docx")[0])
    assert header_text(issued) == ""
    assert [p.text for p in issued.paragraphs if p.text.strip()][1:] == [p.text for p in draft_doc.paragraphs if p.text.strip()][1:]
