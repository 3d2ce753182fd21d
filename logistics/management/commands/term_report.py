from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from logistics.models import School, Term
from logistics.reports import services
from logistics.reports.composer import Block
from logistics.reports.writers import excel, html, word


class Command(BaseCommand):
    help = (
        "Write a term's 工作总结 from the current records: "
        "term_report --school demo --term 2025-2026-2 --format docx --output report.docx. Nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="The school's code, e.g. demo.")
        parser.add_argument("--term", required=True, help="The term's code as the Term list shows it, e.g. 2025-2026-2.")
        parser.add_argument("--format", choices=["docx", "xlsx", "html"], default="docx")
        parser.add_argument("--output", required=True, help="Where to write the file.")

    def handle(self, *args: Any, school: str, term: str, format: str, output: str, **options: Any) -> None:
        found = School.objects.filter(code=school).first()
        if found is None:
            codes = ", ".join(School.objects.order_by("code").values_list("code", flat=True)) or "-"
            raise CommandError(f"No school with the code '{school}'. Schools: {codes}")
        terms = Term.objects.for_school(found).order_by("-start")
        parsed = Term.parse_code(term)
        chosen = terms.filter(year=parsed[0], semester=parsed[1]).first() if parsed else None
        if chosen is None:
            available = "\n".join(f"  {t.code}  {t.label}" for t in terms) or "  (none)"
            raise CommandError(f"No term '{term}' at {found.code}. Available terms:\n{available}")

        def progress(done: int, total: int, title: str) -> None:
            self.stderr.write(f"  [{done}/{total}] {title}")

        with translation.override(services.REPORT_LANGUAGE):
            if format == "xlsx":
                composed, sections = services.compose_term(found, chosen, progress=progress)
                content = excel.render(composed.title, sections)
            else:
                composed, _sections = services.compose_term(found, chosen, progress=progress)
                blocks: list[Block] = composed.blocks
                content = word.render(blocks) if format == "docx" else html.render(blocks).encode()
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{composed.title}: {path} ({len(content):,} bytes)"))
