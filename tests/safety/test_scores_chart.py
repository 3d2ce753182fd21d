"""The contractor page's scores over time: a line per service of monthly averages with the follow-up
threshold, its data in a json_script block, our own script file (no inline code), a table beside it
for phones and browsers without JavaScript."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.catalogue import ensure_criteria
from safety.models import Contractor, Evaluation
from safety.selectors import contractor_scores

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
M0 = TODAY.replace(day=1)
M1 = (M0 - dt.timedelta(days=1)).replace(day=1)
M2 = (M1 - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def scored(school: Any, safety_officer: Any, teacher: Any) -> dict[str, Any]:
    ensure_criteria(school)
    guards = Contractor.objects.create(school=school, name="平安保安", service="security")
    cleaners = Contractor.objects.create(school=school, name="洁美保洁", service="cleaning")
    for month, score in ((M2, 88), (M1, 62), (M0, 80)):
        Evaluation.objects.create(contractor=guards, school=school, month=month, score=score, evaluated_by=safety_officer)
    Evaluation.objects.create(contractor=cleaners, school=school, month=M1, score=90, evaluated_by=safety_officer)
    Evaluation.objects.create(contractor=cleaners, school=school, month=M1, score=80, evaluated_by=teacher)
    Evaluation.objects.create(contractor=guards, school=school, month=M1.replace(year=M1.year - 1), score=10, evaluated_by=safety_officer)  # too old
    return {"guards": guards, "cleaners": cleaners}


def test_each_service_gets_its_monthly_average_over_the_last_twelve_months(school, scored, django_assert_num_queries):
    contractor_scores(school, today=TODAY)  # the school's safety settings are made on the first read
    with django_assert_num_queries(2):
        scores = contractor_scores(school, today=TODAY)
    assert len(scores.months) == 12 and scores.months[-1] == M0 and M0.replace(year=M0.year - 1) < scores.months[0] < M0
    series = {key: values for key, _label, values in scores.services}
    assert series["security"][-3:] == [88.0, 62.0, 80.0] and series["cleaning"][-3:] == [None, 85.0, None]
    assert set(v for v in series["security"][:-3]) == {None}
    assert scores.threshold == 70.0
    assert scores.rows()[0] == (M0, [None, 80.0])  # newest first; cleaning comes before security


def test_the_page_carries_the_data_a_script_file_and_a_table(client_for, safety_officer, scored):
    page = client_for(safety_officer).get(reverse("safety:evaluation-list")).content.decode()
    data = json.loads(re.search(r'<script id="safety-scores" type="application/json">(.*?)</script>', page).group(1))
    assert data["threshold"] == 70.0 and [s["label"] for s in data["series"]] == ["保洁", "保安"]
    assert "/static/vendor/chart.js/chart.umd.js" in page and "/static/safety/scores.js" in page
    assert "data-score-chart" in page and "data-score-table" in page
    table = page[page.index("data-score-table"):page.index("</table>", page.index("data-score-table"))]
    assert "62.0" in table and "data-low" in table and "85.0" in table
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    assert not any("Chart" in body for body in inline)


def test_no_chart_without_scores(client_for, safety_officer, school):
    page = client_for(safety_officer).get(reverse("safety:evaluation-list")).content.decode()
    assert "data-score-chart" not in page and "safety-scores" not in page
