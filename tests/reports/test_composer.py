"""The composer on hand-built facts: the genre's shape, figures as people write them, nothing empty."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from logistics.reports import numbers
from logistics.reports.composer import Context, Phraser, compose
from logistics.reports.facts import Chart, Fact, Part, Problem, RankItem, Ranking, Section, Table


def context(**kw: object) -> Context:
    defaults = dict(school_name="东城实验中学", term_label="2025—2026学年第二学期", term_code="2025-2026-2", date=dt.date(2026, 7, 10))
    return Context(**{**defaults, **kw})


def core() -> Section:
    return Section("core", "学校基本情况", order=0, placement="opening", parts=[Part("scale", "", facts=[
        Fact("core.buildings", "校舍", 7, unit="栋"), Fact("core.rooms", "各类用房", 128, unit="间"),
        Fact("core.campuses", "校区", None, unit="个"), Fact("core.staff", "教职工", 70, unit="人"),
    ])])


def repairs(**overrides: object) -> Section:
    facts = [
        Fact("r.received", "受理报修", 312, previous=288, headline=True),
        Fact("r.done", "完成维修", 298, headline=True),
        Fact("r.rate", "完成率", 95.51, kind="rate", unit="", base=312, previous=93.4, headline=True),
        Fact("r.cancelled", "报修人撤销", 0),
    ]
    section = Section("repairs", "校舍维修与报修服务", order=20, subject="报修", parts=[
        Part("intake", "报修受理与完成", facts=facts),
        Part("costs", "材料与费用", facts=[Fact("r.cost", "消耗维修材料", 13250.5, kind="money", unit="", previous=9800)],
             ranking=Ranking("r.cat", "报修类别", [RankItem("水电类", 86), RankItem("门窗类", 54), RankItem("照明类", 41), RankItem("空", 0)]),
             table=Table("t", "表1　分类", ["类别", "报修"], [["水电类", 86], ["门窗类", 54]], kinds=["text", "count"])),
        Part("empty", "空的部分", facts=[Fact("r.none", "不存在的", 0), Fact("r.norate", "按时率", None, kind="rate", unit="")]),
    ], problems=[
        Problem("r.overdue", "overdue", "报修工单", count=23, total=298, total_label="已完成工单"),
        Problem("r.open", "open", "报修工单", count=14, total=312),
        Problem("r.never", "overdue", "不存在的工单", count=0),
    ], charts=[Chart("c", "各类报修", ["水电类", "门窗类"], [("本学期", [86, 54])]), Chart("z", "全是零", ["a"], [("x", [0])])])
    for k, v in overrides.items():
        setattr(section, k, v)
    return section


def texts(composed: object) -> list[str]:
    return [b.text for b in composed.blocks]


def test_the_title_names_the_school_and_the_term() -> None:
    doc = compose(context(), [core(), repairs()])
    assert doc.title == "东城实验中学2025—2026学年第二学期后勤工作总结"
    assert doc.blocks[0].kind == "title" and doc.blocks[0].text == doc.title


def test_sections_are_numbered_in_chinese_with_parts_and_items() -> None:
    doc = compose(context(), [core(), repairs()])
    headings = [b.text for b in doc.blocks if b.kind == "h1"]
    assert headings == ["一、校舍维修与报修服务", "二、存在的不足", "三、下学期工作打算"]
    parts = [b.text for b in doc.blocks if b.kind == "h2"]
    assert parts == ["（一）报修受理与完成", "（二）材料与费用"]  # the empty part is left out
    problems = [b.text for b in doc.blocks if b.key.startswith("problems.r.")]
    assert problems[0].startswith("1.") and problems[1].startswith("2.") and len(problems) == 2


def test_figures_are_written_as_people_write_them() -> None:
    doc = compose(context(), [core(), repairs()])
    body = "".join(texts(doc))
    assert "受理报修312件" in body and "完成维修298件" in body and "完成率95.5%" in body
    assert "较上学期提高2.1个百分点" in body or "比上学期上升2.1个百分点" in body
    assert "1.33万元" in body
    assert re.search(r"(较上学期增加24件|比上学期多24件|较上学期增长8.3%)", body)


def test_the_opening_carries_the_guiding_idea_and_the_headline_figures() -> None:
    doc = compose(context(guiding_idea="以安全为底线，以服务为宗旨。"), [core(), repairs()])
    opening = doc.blocks[1]
    assert opening.kind == "opening"
    assert "以安全为底线，以服务为宗旨" in opening.text and "宗旨。。" not in opening.text
    assert "校舍7栋" in opening.text and "受理报修312件" in opening.text
    assert opening.text.endswith("：")


def test_zero_and_missing_figures_are_left_out() -> None:
    doc = compose(context(), [core(), repairs()])
    body = "".join(texts(doc))
    for bad in ("None", "0件", "撤销", "不存在", "按时率", "校区", "全是零", "{", "}"):
        assert bad not in body, bad
    assert not any(b.key.endswith(".chart.z") for b in doc.blocks)


def test_shortcomings_and_plans_come_from_the_problems() -> None:
    doc = compose(context(), [core(), repairs()])
    by_key = {b.key: b.text for b in doc.blocks}
    assert "23件超过规定时限" in by_key["problems.r.overdue"] and "已完成工单的7.7%" in by_key["problems.r.overdue"]
    assert "14件" in by_key["problems.r.open"]
    assert "14件" in by_key["plans.r.open"]
    assert "plans.r.overdue" in by_key
    assert by_key["signature"] == "东城实验中学后勤处" and by_key["date"] == "二〇二六年七月"


def test_a_term_without_records_gives_a_short_honest_report() -> None:
    doc = compose(context(), [core(), Section("repairs", "校舍维修与报修服务", subject="报修", parts=[Part("x", "x", facts=[Fact("a", "受理报修", 0)])])])
    kinds = [b.kind for b in doc.blocks]
    assert [b.text for b in doc.blocks if b.kind == "h1"] == ["一、下学期工作打算"]
    assert "尚无" in doc.blocks[1].text or "尚未" in doc.blocks[1].text
    assert "None" not in "".join(texts(doc)) and "0件" not in "".join(texts(doc))
    assert kinds[-3:] == ["closing", "signature", "date"]


def test_an_empty_section_is_named_once_in_one_sentence() -> None:
    empty = Section("canteen", "食堂与食品安全", order=30, subject="食堂", parts=[Part("x", "x", facts=[Fact("a", "留样", 0)])])
    doc = compose(context(), [core(), repairs(), empty])
    mentions = [b.text for b in doc.blocks if "食堂" in b.text]
    assert len(mentions) == 1 and "未" in mentions[0]
    assert "食堂与食品安全" not in "".join(texts(doc))


def test_sentence_frames_vary_from_section_to_section() -> None:
    sections = [core()] + [
        Section(f"s{i}", f"第{i}部分", order=10 + i, parts=[Part("p", "p", facts=[Fact(f"f{i}", "完成", 10 + i)])]) for i in range(4)
    ]
    doc = compose(context(), sections)
    openers = [b.text.split("完成")[0] for b in doc.blocks if b.key.endswith(".p.p")]
    assert len(openers) == 4
    assert all(a != b for a, b in zip(openers, openers[1:])), openers


def test_the_same_facts_give_the_same_text() -> None:
    assert texts(compose(context(), [core(), repairs()])) == texts(compose(context(), [core(), repairs()]))


def test_phraser_never_repeats_a_frame_twice_in_a_row() -> None:
    phr = Phraser("x")
    picks = [phr.pick("f", ["a", "b", "c"]) for _ in range(9)]
    assert all(a != b for a, b in zip(picks, picks[1:]))


def test_a_kindergarten_speaks_of_the_kindergarten() -> None:
    doc = compose(context(kindergarten=True), [core(), repairs()])
    assert "幼儿园" in doc.blocks[1].text or "园" in doc.blocks[-4].text


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [("count", 312, "312件"), ("count", 12345, "12,345件"), ("rate", 95.55, "95.6%"), ("rate", 100, "100%"),
     ("money", 8650, "8650元"), ("money", 486.5, "486.5元"), ("money", 32500, "3.25万元"), ("money", 1280000, "128万元"),
     ("hours", 3.46, "3.5小时"), ("hours", 60, "2.5天"), ("score", 4.56, "4.6分")],
)
def test_numbers_are_formatted_like_an_office_writes_them(kind: str, value: float, written: str) -> None:
    assert numbers.value(kind, value, "件" if kind == "count" else "") == written


def test_chinese_numbers_for_headings() -> None:
    assert [numbers.chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_a_term_still_running_speaks_of_now_not_of_the_end_of_term() -> None:
    running = compose(context(term_over=False), [core(), repairs()])
    over = compose(context(term_over=True), [core(), repairs()])
    assert "截至7月10日，仍有14件未办结" in "".join(texts(running)) and "截至期末" not in "".join(texts(running))
    assert "截至期末，仍有14件未办结" in "".join(texts(over))


def test_a_part_under_its_own_heading_never_opens_with_a_connective() -> None:
    doc = compose(context(), [core(), repairs()])
    after_heading = [b.text for prev, b in zip(doc.blocks, doc.blocks[1:]) if prev.kind == "h2" and b.kind == "para"]
    assert len(after_heading) == 2
    assert not [t for t in after_heading if t.startswith(("同时", "另外", "此外"))], after_heading


def test_a_parts_own_sentence_is_closed_before_the_next_one() -> None:
    # assets/report.py adds "新增投影机8台" after the figures; the next sentence must not run on.
    section = Section("assets", "资产管理", order=30, parts=[Part("added", "资产新增", facts=[Fact("a.n", "新增固定资产", 8, unit="项")],
                                                           note="新增投影机8台")])
    ctx = Context(school_name="测试学校", term_label="2026—2027学年第一学期", term_code="2026-2027-1", date=dt.date(2027, 2, 1))
    [text] = [t for t in texts(compose(ctx, [section])) if "新增投影机" in t]
    assert "新增投影机8台。" in text
