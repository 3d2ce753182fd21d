"""Per-person safety-training coverage (safety/coverage.py): who on the staff was trained this school
year, new staff trained before starting; the page, its export, the officer's card and the report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from logistics.models import Role
from logistics.reports.composer import Context, compose
from safety import services
from safety.services import drills as drill_services
from safety.coverage import training_coverage
from logistics.audit import history_of
from logistics.models import Membership
from safety.models import Training
from safety.report import safety_section
from tests.factories import member

pytestmark = pytest.mark.django_db


def session(school: Any, by: Any, day: dt.date, people: list[Any], kind: str = "term_start") -> Training:
    training = Training.objects.create(school=school, day=day, kind=kind, topic=f"培训{day}", audience="教职工", attendees_count=max(1, len(people)),
                                       hours=Decimal("1.0"), trainer="安全办", recorded_by=by)
    training.attendees.set(people)
    return training


@pytest.fixture
def staff(school: Any, term: Any, safety_officer: Any, teacher: Any, repairer: Any, district_viewer: Any) -> dict[str, Any]:
    """Five staff (the district viewer is not staff): the officer and the teacher trained on 1 Sep;
    two new teachers started 1 Oct, one trained on 28 Sep and one only after starting; the repairer never."""
    early = member(school, Role.STAFF, username="new1", full_name="新老师甲")
    late = member(school, Role.STAFF, username="new2", full_name="新老师乙")
    session(school, safety_officer, dt.date(2026, 9, 1), [safety_officer, teacher])
    session(school, safety_officer, dt.date(2026, 9, 28), [early], kind="new_staff")
    session(school, safety_officer, dt.date(2026, 10, 9), [late])
    session(school, safety_officer, dt.date(2026, 3, 1), [repairer])  # last school year: does not count
    for person in (early, late):
        Membership.objects.filter(school=school, user=person).update(started_on=dt.date(2026, 10, 1))
    return {"early": early, "late": late}


def test_the_coverage_counts_each_person_once_and_new_staff_by_their_start(school, staff, repairer, django_assert_num_queries):
    with django_assert_num_queries(3):
        coverage = training_coverage(school, cut=dt.date(2026, 11, 20))
    assert (coverage.year, coverage.start, coverage.staff) == (2026, dt.date(2026, 8, 1), 5)
    assert [p.user for p in coverage.untrained] == [repairer]
    assert {p.user.username for p in coverage.new_staff} == {"new1", "new2"}
    assert [p.user for p in coverage.new_untrained] == [staff["late"]]
    assert coverage.rate == pytest.approx(80.0)


def test_the_report_says_who_was_trained_and_names_the_gap(school, term, staff):
    section = safety_section(school, term)
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    text = "".join(b.text for b in compose(ctx, [section]).blocks)
    assert "全体教职工5人中4人本学年参加安全培训，覆盖率80%，尚有1人未参加；新入职2人中1人于上岗前完成培训，1人未在上岗前参加培训。" in text
    assert "全体教职工中尚有1人本学年未参加安全培训，新入职人员中有1人未在上岗前参加培训。" in text


def test_when_everyone_is_trained_the_report_says_so(school, term, staff, repairer, safety_officer):
    session(school, safety_officer, dt.date(2026, 9, 30), [staff["late"], repairer])
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    text = "".join(b.text for b in compose(ctx, [safety_section(school, term)]).blocks)
    assert "全体教职工5人中5人本学年参加安全培训，实现全员覆盖；新入职2人均于上岗前完成培训。" in text
    assert "未参加安全培训" not in text


def test_no_sentence_when_no_session_names_its_attendees(school, term, safety_officer, teacher):
    Training.objects.create(school=school, day=dt.date(2026, 9, 1), kind="fire", topic="消防", audience="全体", attendees_count=80,
                            hours=Decimal("1.0"), trainer="消防队", recorded_by=safety_officer)
    ctx = Context(school_name=school.name, term_label=term.label, term_code=term.code, date=term.end)
    text = "".join(b.text for b in compose(ctx, [safety_section(school, term)]).blocks)
    assert "全体教职工" not in text


def test_the_page_lists_the_untrained_and_the_new(client_for, safety_officer, staff, repairer, django_assert_num_queries):
    client = client_for(safety_officer)
    url = reverse("safety:training-coverage")
    client.get(url)
    with django_assert_num_queries(5):  # the person and the coverage's queries: session, roles and counts are kept
        page = client.get(url + "?show=untrained").content.decode()
    assert 'data-person="repairer"' in page and 'data-person="teacher"' not in page
    page = client.get(url + "?show=new").content.decode()
    assert page.count("data-not-before") == 1 and page.count("data-before") == 1


def test_the_page_is_for_those_who_see_training_in_their_own_school(access, client_for, safety_officer, teacher, outsider, staff):
    url = reverse("safety:training-coverage")
    access(client_for, url, {None: 302, safety_officer: 200, teacher: 403, outsider: 200})
    assert "新老师甲" not in client_for(outsider).get(url).content.decode()
    assert client_for(teacher).post(url, {"user": teacher.pk, "started_on": "2026-09-01"}).status_code == 403


def test_the_office_records_a_start_date_and_bad_input_changes_nothing(client_for, safety_officer, teacher, school):
    client = client_for(safety_officer)
    url = reverse("safety:training-coverage")
    answer = client.post(url, {"user": teacher.pk, "started_on": "1999-01-01"})
    membership = Membership.objects.get(school=school, user=teacher)
    assert answer.status_code == 400 and not Membership.objects.filter(started_on__isnull=False).exists()
    answer = client.post(url, {"user": teacher.pk, "started_on": "2026-09-01"})
    membership.refresh_from_db()
    assert answer.status_code == 302 and membership.started_on == dt.date(2026, 9, 1)
    drill_services.staff_start_record(school=school, user=teacher, started_on=dt.date(2026, 9, 2), by=safety_officer)
    membership.refresh_from_db()
    assert membership.started_on == dt.date(2026, 9, 2)
    assert [e.action for e in history_of(membership)][-2:] == ["logistics.membership.start_recorded", "logistics.membership.start_corrected"]


def test_a_teacher_may_not_record_a_start_date(client_for, teacher, safety_officer, school):
    with pytest.raises(services.WorkflowError):
        drill_services.staff_start_record(school=school, user=safety_officer, started_on=dt.date(2026, 9, 2), by=teacher)
    assert not Membership.objects.filter(started_on__isnull=False).exists()


def test_the_export_has_one_row_per_person(client_for, safety_officer, staff):
    answer = client_for(safety_officer).get(reverse("safety:training-coverage-export") + "?show=new")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content) if answer.streaming else answer.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    names = {r[0]: r for r in rows}
    assert "新老师甲" in names and "新老师乙" in names and "李老师" not in names
    assert names["新老师甲"][-1] == "是" and names["新老师乙"][-1] == "否"


def test_the_officer_is_told_when_someone_is_untrained(client_for, safety_officer, staff):
    page = client_for(safety_officer).get("/").content.decode()
    assert "data-safety-untrained" in page and "?show=untrained" in page
