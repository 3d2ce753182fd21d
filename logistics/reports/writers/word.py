"""The Word document, laid out per GB/T 9704-2012《党政机关公文格式》.

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title 二号 (22 pt) 小标宋; body 三号
(16 pt) 仿宋 on a fixed 28.95 pt line (22 lines a page); 一、 headings 黑体, （一） headings 楷体,
1. items 仿宋 with the lead in bold; page numbers "— 1 —" in the footer from a PAGE field.

The part headings are Word's own Heading 1 (一、) and Heading 2 (（一）) styles, so the navigation
pane and a table of contents list them; the GB/T 9704 look (font, size, spacing, black, no
numbering) is set on those styles, not only on the runs, so a heading the office adds in Word looks
the same. The document's author is the office that signs it; a draft says 草稿 in its page header.

Word picks the Chinese font of a run from `w:eastAsia`, not from the Latin name python-docx sets,
so every run gets both. Offices without 方正小标宋简体 or 仿宋_GB2312 get the fallback named in the
document's font table (宋体, 仿宋, 楷体), which Word and LibreOffice honour.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from logistics.reports import charts
from logistics.reports.composer import Block
from logistics.reports.registry import Progress

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# name → (fallback, generic family) written into the font table.
FALLBACKS = {
    TITLE_FONT: ("宋体", "roman"),
    BODY_FONT: ("仿宋", "modern"),
    KAI_FONT: ("楷体", "script"),
    HEI_FONT: ("SimHei", "swiss"),
    PAGE_NUMBER_FONT: ("SimSun", "roman"),
}
TITLE_TAIL = "后勤工作总结"
BODY_SIZE = Pt(16)
LINE = Pt(28.95)  # 22 lines per page on the type area above
INDENT = Pt(32)  # two characters of 三号
# Block kind → (Word's built-in style, font, bold). GB/T 9704 7.3.3: 一、黑体, （一）楷体, 1. 仿宋.
HEADINGS = {"h1": ("Heading 1", HEI_FONT, False), "h2": ("Heading 2", KAI_FONT, False), "h3": ("Heading 3", BODY_FONT, True)}
DRAFT_MARK = "草稿"


def _set_font(run: Any, name: str, size: Any, *, bold: bool = False) -> None:
    run.font.size = size
    run.font.bold = bold
    run.font.name = LATIN_FONT if name in (BODY_FONT, KAI_FONT) else name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph(doc: Any, *, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: Any = INDENT, line: Any = LINE) -> Any:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = indent
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.widow_control = True
    return p


def _text(doc: Any, text: str, font: str, *, size: Any = BODY_SIZE, bold: bool = False, **paragraph: Any) -> Any:
    p = _paragraph(doc, **paragraph)
    for i, line in enumerate(text.split("\n")):
        run = p.add_run()
        if i:
            run.add_break()  # a newline the person typed stays a line break, never markup
        run.add_text(line)
        _set_font(run, font, size, bold=bold)
    return p


def _heading_styles(doc: Any) -> None:
    """Give Word's Heading 1–3 the official-document look. The built-in ones are blue, bold Calibri
    Light from the theme with 24 pt before: the theme fonts and colour are removed, not overridden,
    because a theme font attribute wins over a named one in Word."""
    for name, font, bold in HEADINGS.values():
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:rFonts", "w:color", "w:b", "w:bCs", "w:i", "w:iCs", "w:sz", "w:szCs"):
            for element in rpr.findall(qn(tag)):
                rpr.remove(element)
        style.font.name = LATIN_FONT if font in (BODY_FONT, KAI_FONT) else font
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
        style.font.size = BODY_SIZE
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = INDENT
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.keep_with_next = True  # a heading never ends a page alone
        fmt.widow_control = True
        ppr = style.element.get_or_add_pPr()
        for numbering in ppr.findall(qn("w:numPr")):  # the number is part of the text (一、), never a list
            ppr.remove(numbering)


def _heading(doc: Any, block: Block) -> None:
    name, font, bold = HEADINGS[block.kind]
    p = doc.add_paragraph(style=name)
    # The runs name the font as well: readers that drop a style's w:eastAsia still show 黑体/楷体.
    _set_font(p.add_run(block.text), font, BODY_SIZE, bold=bold)


def _draft_header(doc: Any) -> None:
    section = doc.sections[0]
    section.header.is_linked_to_previous = False
    headers = [section.header, section.even_page_header] if doc.settings.odd_and_even_pages_header_footer else [section.header]
    for header in headers:
        p = header.paragraphs[0]
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(p.add_run(DRAFT_MARK), HEI_FONT, Pt(14))


def _properties(doc: Any, blocks: list[Block]) -> None:
    """File › Properties: the title and, as author, the office that signs the document."""
    title = next((b.text.replace("\n", "") for b in blocks if b.kind == "title"), "")
    office = next((b.text for b in blocks if b.kind == "signature"), "")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # core.xml holds UTC
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, office, office
    props.comments = props.subject = props.keywords = ""  # python-docx's template fills these in
    props.language = "zh-CN"
    props.created = props.modified = now
    props.revision = 1


def _item(doc: Any, block: Block) -> None:
    lead = block.data.get("lead") or ""
    p = _paragraph(doc)
    if lead and block.text.startswith(lead):
        _set_font(p.add_run(lead), BODY_FONT, BODY_SIZE, bold=True)
        _set_font(p.add_run(block.text[len(lead):]), BODY_FONT, BODY_SIZE)
    else:
        _set_font(p.add_run(block.text), BODY_FONT, BODY_SIZE)


def _table(doc: Any, block: Block) -> None:
    data = block.data
    if data.get("title"):
        caption = _text(doc, data["title"], HEI_FONT, size=Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0))
        caption.paragraph_format.keep_with_next = True  # never leave the caption at the foot of a page
    headers, rows = data["headers"], data["rows"]
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            p = cell.paragraphs[0]
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if (r == 0 or c) else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(20)
            p.paragraph_format.keep_with_next = r < len(rows)  # the table stays on one page where it can
            _set_font(p.add_run(str(value)), HEI_FONT if r == 0 else BODY_FONT, Pt(12))
    _repeat_header(table.rows[0])
    _paragraph(doc, line=Pt(14))  # breathing space after the table


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _chart(doc: Any, block: Block, number: int) -> bool:
    png = charts.render_png(block.data)
    if png is None:
        return False
    p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0), line=None)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True  # the picture and its caption stay together
    p.add_run().add_picture(io.BytesIO(png), width=Mm(150))
    _text(doc, f"图{number}　{block.text}", KAI_FONT, size=Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0))
    return True


def _page_number_footer(doc: Any, placement: str = "outside") -> None:
    """GB/T 9704 7.5: "— 1 —" in 4号 宋体, odd pages on the right and even pages on the left, one
    character in from the edge ("outside", the default); "centre" puts every number in the middle."""
    section = doc.sections[0]
    if placement == "outside":
        doc.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)


def _page_number(p: Any, alignment: Any) -> None:
    p.paragraph_format.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    elif alignment == WD_ALIGN_PARAGRAPH.LEFT:
        p.paragraph_format.left_indent = Pt(14)
    _set_font(p.add_run("— "), PAGE_NUMBER_FONT, Pt(14))
    run = p.add_run()
    _set_font(run, PAGE_NUMBER_FONT, Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    _set_font(p.add_run(" —"), PAGE_NUMBER_FONT, Pt(14))


def _font_table(doc: Any) -> None:
    """Declare each Chinese font with its fallback (w:altName) and the GB2312 charset."""
    from lxml import etree

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for name, (alt, family) in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup(doc: Any, page_numbers: str = "outside") -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)  # the page number sits about 7 mm below the type area
    section.start_type = WD_SECTION.NEW_PAGE
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _heading_styles(doc)
    _page_number_footer(doc, page_numbers)
    _font_table(doc)


def render(blocks: list[Block], *, progress: Progress | None = None, draft: bool = False, page_numbers: str | None = None) -> bytes:
    """The .docx bytes of the composed blocks; `draft` puts 草稿 in the page header. `page_numbers`:
    "outside" (odd right, even left: GB/T 9704, the default) or "centre" (settings.REPORT_PAGE_NUMBERS)."""
    from django.conf import settings

    doc = Document()
    _setup(doc, page_numbers or getattr(settings, "REPORT_PAGE_NUMBERS", "outside"))
    _properties(doc, blocks)
    if draft:
        _draft_header(doc)
    total = max(len(blocks), 1)
    figure = 0
    for i, block in enumerate(blocks, start=1):
        kind = block.kind
        if kind == "title":
            text = block.text
            if len(text) > 18 and text.endswith(TITLE_TAIL) and "\n" not in text:
                # Break a long title before its genre name, not wherever the line happens to end.
                text = text[: -len(TITLE_TAIL)] + "\n" + TITLE_TAIL
            title = _text(doc, text, TITLE_FONT, size=Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0), line=Pt(36))
            title.paragraph_format.space_after = Pt(29)  # one blank line of body text under the title
        elif kind in HEADINGS:
            _heading(doc, block)
        elif kind == "item":
            _item(doc, block)
        elif kind == "table":
            _table(doc, block)
        elif kind == "chart":
            if _chart(doc, block, figure + 1):
                figure += 1
            if progress:
                progress(i, total, block.text)
        elif kind == "closing":
            _text(doc, block.text, BODY_FONT)
            _paragraph(doc)  # a blank line before the signature
        elif kind == "signature":
            # GB/T 9704 7.3.5.1: the date stands four characters from the right, the issuer centred above it.
            date_len = next((len(b.text) for b in blocks if b.kind == "date"), len(block.text))
            shift = 4 + max(date_len - len(block.text), 0) / 2
            signature = _text(doc, block.text, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))
            signature.paragraph_format.right_indent = Pt(16 * shift)
            signature.paragraph_format.keep_with_next = True
        elif kind == "date":
            _text(doc, block.text, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0)).paragraph_format.right_indent = Pt(64)
        else:
            _text(doc, block.text, BODY_FONT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
