"""The HTML of a report: every text escaped, every figure linked to the records it counts.

Used by the preview page (inside the site layout) and as a standalone .html download. Links are
(figure as written, URL) pairs from the composer; each is linked at its first occurrence after the
previous one, so an edited paragraph keeps the links of the figures it still cites and loses the
others. A pair with no URL is a figure that counts no records (a rate, a comparison): it is passed
over unlinked, holding its place so that a later figure written the same is not linked there. Nothing the person typed is ever interpreted as markup.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from logistics.reports.composer import Block


def linked_text(text: str, links: list[list[str]], *, base_url: str = "") -> SafeString:
    out: list[str] = []
    position = 0
    for figure, url in links:
        if not figure:
            continue
        at = text.find(figure, position)
        if at < 0:
            continue
        out.append(escape(text[position:at]))
        out.append(format_html('<a href="{}" class="report-figure" data-figure>{}</a>', base_url + url, figure) if url else escape(figure))
        position = at + len(figure)
    out.append(escape(text[position:]))
    return mark_safe("".join(out).replace("\n", "<br>"))


def render(blocks: list[Block], *, base_url: str = "") -> str:
    """A standalone page (the .html download)."""
    from django.conf import settings

    base_url = base_url or settings.SITE_URL.rstrip("/")
    items = [(b, linked_text(b.text, b.links, base_url=base_url)) for b in blocks]
    return render_to_string("reports/report_document.html", {"items": items, "standalone": True})
