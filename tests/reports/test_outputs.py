"""The Word document and the Excel annex, opened back and read."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from logistics.reports import charts, services
from logistics.reports.writers import excel, html, word
from repairs.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def docx_of(school: Any, term: Any, term_tickets: dict) -> Any:
    composed, _sections = services.compose_term(school, term)
    return Document(io.BytesIO(word.render(composed.blocks)))


def paragraphs(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_the_word_document_has_the_title_sections_shortcomings_and_plans(docx_of: Any, school: Any) -> None:
    texts = paragraphs(docx_of)
    assert texts[0].replace("\n", "") == "东城实验中学2026—2027学年第一学期后勤工作总结"
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == ["一、校舍维修与报修服务", "二、存在的不足", "三、下学期工作打算"]
    assert any(t.startswith("（一）") for t in texts) and any(t.startswith("（二）") for t in texts)
    after_problems = texts[texts.index("二、存在的不足") + 1]
    assert after_problems.startswith("1.")
    assert texts[-2:] == ["后勤处", "二〇二六年十一月"] or texts[-1].startswith("二〇")
    body = "".join(texts)
    assert "None" not in body and "0件" not in body


def test_the_word_figures_equal_the_database(docx_of: Any, school: Any, term: Any) -> None:
    body = "".join(paragraphs(docx_of))
    from logistics.reports.facts import term_bounds

    start, end = term_bounds(term)
    received = Ticket.objects.filter(school=school, submitted_at__gte=start, submitted_at__lt=end).exclude(status="merged").count()
    done = Ticket.objects.filter(school=school, submitted_at__gte=start, submitted_at__lt=end, status__in=["done", "accepted", "closed"]).count()
    assert f"受理报修{received}件" in body and f"完成维修{done}件" in body
    assert "完成率60%" in body
    table = docx_of.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "报修（件）", "撤销（件）", "完成（件）", "完成率", "平均评分"]
    assert [c.text for c in table.rows[1].cells][:4] == ["水", "3", "0", "3"]


@pytest.mark.skipif(charts.cjk_font() is None, reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_the_word_document_has_charts(docx_of: Any) -> None:
    # One chart per part by default, beside the text it supports (the section's others are optional).
    assert len(docx_of.inline_shapes) >= 1
    captions = [t for t in paragraphs(docx_of) if t.startswith("图")]
    assert captions[0].startswith("图1") and len(captions) == len(docx_of.inline_shapes)


def test_a_cjk_font_for_the_charts_is_installed() -> None:
    assert charts.cjk_font() is not None, "install Debian's fonts-noto-cjk so chart labels are not boxes"


def test_the_word_layout_follows_gb_t_9704(docx_of: Any) -> None:
    section = docx_of.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    title = docx_of.paragraphs[0]
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in docx_of.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    part = next(p for p in docx_of.paragraphs if p.text.startswith("（一）"))
    assert part.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")).startswith("楷体")
    for p in docx_of.paragraphs:
        for run in p.runs:
            if run.text.strip():
                assert run._element.rPr.rFonts.get(qn("w:eastAsia")), f"run without an East Asian font: {run.text!r}"
    body = next(p for p in docx_of.paragraphs if p.text.startswith("本学期") or "受理报修" in p.text and not p.text.startswith("一"))
    assert body.runs[0].font.size == Pt(16) and body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")).startswith("仿宋")
    assert 28 <= body.paragraph_format.line_spacing.pt <= 29
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._element.xml and footer.text.startswith("— ") and footer.text.endswith(" —")


def test_edited_markup_is_plain_text_in_word_and_escaped_in_html() -> None:
    from logistics.reports.composer import Block

    blocks = [Block("title", "title", "标题"), Block("p", "para", "<script>alert(1)</script> & <b>粗</b>", [["<b>", "/x"]])]
    doc = Document(io.BytesIO(word.render(blocks)))
    assert doc.paragraphs[1].text == "<script>alert(1)</script> & <b>粗</b>"
    page = html.render(blocks, base_url="http://x")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>粗</b>" not in page


def test_the_excel_annex_has_a_sheet_per_section_with_its_records(school: Any, term: Any, term_tickets: dict) -> None:
    _composed, sections = services.compose_term(school, term)
    wb = load_workbook(io.BytesIO(excel.render("总结", sections)))
    # The core's and repairs' sheets first; other apps' sections add theirs after them.
    assert wb.sheetnames[:3] == ["校舍与用房", "报修工单", "维修材料"]
    ws = wb["报修工单"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:4] == ["编号", "报修时间", "地点", "类别"]
    assert ws.max_row == 1 + 6
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm" and ws["B2"].is_date
    assert ws.column_dimensions["A"].width == 16
    materials = wb["维修材料"]
    assert materials["F3"].value == pytest.approx(77.0) and materials["F3"].number_format == "#,##0.00"


def test_an_empty_term_still_gives_a_workbook(school: Any, term: Any) -> None:
    wb = load_workbook(io.BytesIO(excel.render("总结", [])))
    assert wb.sheetnames == ["说明"]
