"""The procurement part of the demo school's running-term report, composed: it names the projector
purchase with its amount, tells the purchase as an event of its month, says 截至 for the running
term, and has none of the sentences the report's checks forbid."""

from __future__ import annotations

import io
import re

import pytest

from logistics.demo import DEMO_CODE, seed_core
from logistics.models import School, Term
from logistics.reports import registry
from logistics.reports.composer import compose
from logistics.reports.services import report_context
from procurement import demo

FORBIDDEN = ["None", "0.0%", "nan", "全学期", "期末"]


@pytest.mark.django_db
def test_the_demo_terms_procurement_part_reads_well():
    school = School.objects.create(code=DEMO_CODE, name="新城实验中学")
    seed_core(school, size="small", stdout=io.StringIO())
    demo.seed(school, size="small", stdout=io.StringIO())
    term = Term.objects.for_school(school).current()
    sections = registry.collect(school, term, only=["procurement"])
    blocks = compose(report_context(school, term), sections).blocks
    text = "\n".join(b.text for b in blocks if "procurement" in b.key)
    assert re.search(r"\d+月，购置投影机8台，(费用|计|投入)3.44万元", text), text
    assert re.search(r"金额较大的采购有：购置[^。]+，计[\d.]+万元", text), text
    assert "政府采购" in text and "采购管理" not in text
    assert "截至" in text or "本学期开学至" in text
    if __import__("os").environ.get("SHOW"):
        print(text)
    for phrase in FORBIDDEN:
        assert phrase not in text, (phrase, text)
