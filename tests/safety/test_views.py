"""The safety screens: who may open what, the round walked on a phone, the hazard page and ledger."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from safety import services
from safety.models import Hazard, HazardStatus, InspectionTemplate, Round, RoundAnswer
from tests.safety.conftest import item_named, items_of, jpeg, report, walk_all

HOME = reverse("safety:home")
LIST = reverse("safety:hazard-list")
REPORT = reverse("safety:hazard-report")


def detail(hazard: Hazard) -> str:
    return reverse("safety:hazard-detail", args=[hazard.pk])


def test_the_permission_matrix_of_the_screens(access, client_for, hazard, teacher, safety_officer, logistics_admin, principal, outsider,
                                              district_viewer, repairer):
    access(client_for, HOME, {None: 302, teacher: 200, safety_officer: 200, principal: 200, outsider: 200})
    access(client_for, LIST, {None: 302, teacher: 200, safety_officer: 200, district_viewer: 200})
    access(client_for, REPORT, {None: 302, teacher: 200, district_viewer: 403})
    access(client_for, reverse("safety:round-list"), {None: 302, teacher: 403, safety_officer: 200, principal: 200})
    access(client_for, reverse("safety:hazard-export"), {None: 302, teacher: 403, principal: 200, safety_officer: 200})
    # The reporter sees their hazard; a colleague who neither reported nor answers for it does not.
    access(client_for, detail(hazard), {None: 302, teacher: 200, repairer: 404, safety_officer: 200, principal: 200, outsider: 404})


def test_post_steps_refuse_the_wrong_role_and_hide_other_schools(access, client_for, hazard, teacher, outsider):
    url = reverse("safety:hazard-withdraw", args=[hazard.pk])
    access(client_for, url, {None: 302, teacher: 403, outsider: 404}, method="post", data={"reason": "误报"})
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.OPEN


def test_the_safety_officer_walks_a_round_on_the_phone_and_a_refused_fail_keeps_the_note(client_for, school, safety_officer, patrol, building):
    client = client_for(safety_officer)
    home = client.get(HOME).content.decode()
    assert "防火巡查" in home and "今日应检" in home
    response = client.post(reverse("safety:round-start"), {"template": patrol.pk, "building": building.pk})
    round = Round.objects.get(school=school)
    assert response.status_code == 302 and response["Location"] == round.get_absolute_url()
    page = client.get(round.get_absolute_url()).content.decode()
    assert "合格" in page and "不合格" in page and "不适用" in page and "疏散通道畅通" in page
    answer_url = reverse("safety:round-answer", args=[round.pk])
    item = item_named(patrol, "疏散通道畅通")
    refused = client.post(answer_url, {"item": item.pk, "answer": "fail", "note": ""})
    assert refused.status_code == 400 and "请拍照或写明问题" in refused.content.decode()
    assert not RoundAnswer.objects.filter(round=round).exists()
    ok = client.post(answer_url, {"item": item.pk, "answer": "fail", "note": "", "photo": jpeg()})
    assert ok.status_code == 302 and "#item-" in ok["Location"]
    first = items_of(patrol)[0]
    client.post(answer_url, {"item": first.pk, "answer": "pass"})
    # Interrupted: the page opened again shows the answers given so far.
    again = client.get(round.get_absolute_url()).content.decode()
    assert f'data-item="{item.pk}" data-answer="fail"' in again and f'data-item="{first.pk}" data-answer="pass"' in again
    incomplete = client.post(reverse("safety:round-finish", args=[round.pk]), {"signature": "孙安全"})
    assert incomplete.status_code == 400 and "未作答" in incomplete.content.decode()
    walk_all(round, safety_officer, fail={"疏散通道畅通": "一楼通道堆放桌椅"})
    signed = client.post(reverse("safety:round-finish", args=[round.pk]), {"signature": "孙安全"}, follow=True)
    assert "登记隐患 1 条待整改" in signed.content.decode()
    hazard = Hazard.objects.get(source_answer__round=round)
    assert hazard.building == building and "疏散通道畅通" in hazard.description


def test_a_refused_fail_keeps_what_was_typed(client_for, school, safety_officer, patrol, building):
    round = services.round_start(school=school, template=patrol, building=building, by=safety_officer)
    item = item_named(patrol, "疏散通道畅通")
    response = client_for(safety_officer).post(reverse("safety:round-answer", args=[round.pk]), {"item": item.pk, "answer": "bogus", "note": "通道有杂物"})
    assert response.status_code == 400 and 'value="通道有杂物"' in response.content.decode()


def test_staff_report_a_hazard_and_a_past_deadline_is_refused_with_the_reason(client_for, teacher, room):
    client = client_for(teacher)
    past = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    refused = client.post(REPORT, {"room": room.pk, "category": "fire", "grade": "general", "description": "消防栓被遮挡", "deadline": past})
    assert refused.status_code == 200 and "整改期限不能早于今天" in refused.content.decode() and "消防栓被遮挡" in refused.content.decode()
    assert not Hazard.objects.exists()
    response = client.post(REPORT, {"room": room.pk, "category": "fire", "grade": "general", "description": "消防栓被遮挡"})
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(hazard)


def test_the_hazard_page_walks_to_closed_and_shows_the_timeline(client_for, school, hazard, safety_officer, logistics_admin, repairer):
    office = client_for(safety_officer)
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    office.post(reverse("safety:hazard-assign", args=[hazard.pk]), {"responsible": repairer.pk, "deadline": deadline, "grade": "general",
                                                                     "room": hazard.room_id})
    client_for(repairer).post(reverse("safety:hazard-start", args=[hazard.pk]))
    client_for(repairer).post(reverse("safety:hazard-rectify", args=[hazard.pk]), {"measures": "已更换灭火器"})
    page = client_for(repairer).get(detail(hazard)).content.decode()
    assert 'data-action="close"' not in page  # the fixer does not verify
    refused = office.post(reverse("safety:hazard-close", args=[hazard.pk]), {"verification": ""})
    assert refused.status_code == 400 and "验收依据" in refused.content.decode()
    office.post(reverse("safety:hazard-close", args=[hazard.pk]), {"verification": "现场核查合格"})
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    page = office.get(detail(hazard)).content.decode()
    for label in ("交办", "开始整改", "整改完成", "验收销号"):
        assert label in page
    assert "已销号" in page


def test_the_ledger_filters_and_exports_the_register(client_for, school, teacher, room, safety_officer, repairer):
    a = report(school, teacher, room, description="配电箱未上锁", category="electrical")
    b = report(school, teacher, room, description="楼梯扶手松动", category="building", grade="major")
    services.hazard_assign(hazard=a, by=safety_officer, responsible=repairer, deadline=timezone.localdate())
    Hazard.objects.filter(pk=a.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    client = client_for(safety_officer)
    assert [h.pk for h in client.get(LIST, {"grade": "major"}).context["page"]] == [b.pk]
    assert [h.pk for h in client.get(LIST, {"overdue": "on"}).context["page"]] == [a.pk]
    assert [h.pk for h in client.get(LIST, {"q": "扶手"}).context["page"]] == [b.pk]
    assert [h.pk for h in client.get(LIST, {"category": "electrical"}).context["page"]] == [a.pk]
    assert client.get(LIST, {"grade": "nonsense"}).status_code == 200
    response = client.get(reverse("safety:hazard-export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    assert list(header) == ["序号", "发现日期", "地点", "隐患描述", "等级", "责任人", "整改期限", "整改措施", "整改完成日期", "验收人", "销号日期"]
    data = rows[rows.index(header) + 1:]
    assert [r[0] for r in data] == [1, 2] and {r[3] for r in data} == {"配电箱未上锁", "楼梯扶手松动"}
    assert "重大" in {r[4] for r in data}


def test_the_widgets_count_what_the_lists_show(client_for, school, teacher, room, safety_officer, patrol):
    report(school, teacher, room)
    home = client_for(safety_officer).get(reverse("home")).content.decode()
    assert "data-rounds-due" in home and "data-open-hazards>1<" in home


def test_the_school_edits_its_templates_in_the_admin_and_sees_only_its_own(client_for, school, other_school, logistics_admin, patrol):
    InspectionTemplate.ensure_defaults(other_school)
    InspectionTemplate.objects.filter(school=other_school, key="fire_patrol").update(name="西城防火巡查")
    client = client_for(logistics_admin)
    listing = client.get(reverse("admin:safety_inspectiontemplate_changelist")).content.decode()
    assert "防火巡查" in listing and "西城防火巡查" not in listing
    theirs = InspectionTemplate.objects.get(school=other_school, key="fire_patrol")
    assert client.get(reverse("admin:safety_inspectiontemplate_change", args=[theirs.pk])).status_code in (302, 404)
    section = patrol.sections.get(title="用火用电")
    page = client.get(reverse("admin:safety_templatesection_change", args=[section.pk]))
    assert page.status_code == 200 and "无违章用火" in page.content.decode()  # its items, editable inline


def test_photos_are_served_only_to_people_who_may_see_them(client_for, school, teacher, room, repairer, outsider, safety_officer, patrol):
    hazard = report(school, teacher, room, photos=[jpeg()])
    photo = hazard.photos.get()
    url = reverse("safety:hazard-photo-thumb", args=[photo.pk])
    assert client_for(teacher).get(url).status_code == 200
    assert client_for(repairer).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    round = services.round_start(school=school, template=patrol, by=safety_officer)
    answer = services.round_answer(round=round, item=item_named(patrol, "疏散通道畅通"), by=safety_officer, answer="fail", photo=jpeg())
    assert client_for(safety_officer).get(reverse("safety:answer-photo", args=[answer.pk])).status_code == 200
    assert client_for(outsider).get(reverse("safety:answer-photo", args=[answer.pk])).status_code in (403, 404)


def test_the_round_list_filters_and_exports(client_for, school, safety_officer, patrol, monthly, building, teacher):
    a = services.round_start(school=school, template=patrol, by=safety_officer, day=dt.date(2026, 9, 7))
    walk_all(a, safety_officer, fail={"疏散通道畅通": "堆放杂物"})
    services.round_finish(round=a, by=safety_officer, signature="孙安全")
    b = services.round_start(school=school, template=monthly, building=building, by=safety_officer, day=dt.date(2026, 9, 30))
    client = client_for(safety_officer)
    url = reverse("safety:round-list")
    assert [r.pk for r in client.get(url, {"template": patrol.pk}).context["page"]] == [a.pk]
    assert [r.pk for r in client.get(url, {"status": "in_progress"}).context["page"]] == [b.pk]
    assert [r.pk for r in client.get(url, {"date_from": "2026-09-08"}).context["page"]] == [b.pk]
    assert client.get(url, {"date_from": "not-a-date"}).status_code == 200
    response = client.get(reverse("safety:round-export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "日期")
    data = {r[1]: r for r in rows[rows.index(header) + 1:]}
    answered, failed = header.index("已查项数"), header.index("不合格项数")
    assert data["防火巡查"][answered] == 13 and data["防火巡查"][failed] == 1
    assert data["防火检查"][2] == building.name and data["防火检查"][answered] == 0
    assert client_for(teacher).get(reverse("safety:round-export")).status_code == 403


def test_the_ledger_shows_and_filters_hazards_reported_to_the_bureau(client_for, school, teacher, room, safety_officer):
    a = report(school, teacher, room, grade="major", description="围墙开裂倾斜")
    report(school, teacher, room, description="其他")
    client = client_for(safety_officer)
    page = client.get(detail(a)).content.decode()
    assert 'data-action="bureau"' in page
    client.post(reverse("safety:hazard-bureau", args=[a.pk]), {"report": "东城校〔2026〕3号"})
    assert [h.pk for h in client.get(LIST, {"bureau": "on"}).context["page"]] == [a.pk]
    assert "东城校〔2026〕3号" in client.get(detail(a)).content.decode()
