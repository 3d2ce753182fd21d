"""The registry: a provider declares its key, order and title once; a kind of problem brings its own
wording, so a section of another app is never worded as a repair."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import pytest

from logistics.reports import registry
from logistics.reports.composer import Context, compose
from logistics.reports.facts import Fact, Part, Problem, Section

REPAIR_WORDS = ("报修", "维修", "检修", "修理")


def _sample_detail(problem: Problem, ctx: Any) -> str:
    return f"本学期共有{problem.count}餐次未按规定留样，不符合留样制度的要求。"


@pytest.fixture
def canteen() -> Iterator[None]:
    """A fake canteen app: its section and its own kind of problem, registered like a real report.py."""
    registry.problem_kind(
        "canteen.sample_missing",
        leads=["{subject}执行不到位"],
        detail=_sample_detail,
        plans=["严格落实{subject}，由食堂管理员每餐核对、每周抽查。"],
    )

    @registry.provider("fake-canteen", order=30, title="食堂与食品安全")
    def canteen_section(school: Any, term: Any) -> Section:
        return Section(subject="食堂", parts=[Part("meals", "供餐", facts=[Fact("canteen.meals", "供应学生餐", 52000, unit="人次")])],
                       problems=[Problem("canteen.samples", "canteen.sample_missing", "食品留样制度", count=7, unit="餐次", weight=9)])

    yield
    registry.unregister("fake-canteen")
    registry.unregister_problem_kind("canteen.sample_missing")


def context() -> Context:
    return Context(school_name="东城实验中学", term_label="2025—2026学年第二学期", term_code="2025-2026-2", date=dt.date(2026, 7, 10))


def test_a_provider_declares_its_key_order_and_title_once(canteen: None) -> None:
    registered = next(p for p in registry.providers() if p.key == "fake-canteen")
    section = registered.fn(None, None)
    assert (section.key, section.order, section.title) == ("fake-canteen", 30, "食堂与食品安全")


def test_a_canteen_problem_is_worded_by_its_own_kind_and_never_as_a_repair(canteen: None) -> None:
    section = next(p for p in registry.providers() if p.key == "fake-canteen").fn(None, None)
    blocks = {b.key: b.text for b in compose(context(), [section]).blocks}
    assert blocks["s.fake-canteen.h"] == "一、食堂与食品安全"
    problem, plan = blocks["problems.canteen.samples"], blocks["plans.canteen.samples"]
    assert problem == "1.食品留样制度执行不到位。本学期共有7餐次未按规定留样，不符合留样制度的要求。"
    assert plan == "1.严格落实食品留样制度，由食堂管理员每餐核对、每周抽查。"
    for text in blocks.values():
        assert not any(word in text for word in REPAIR_WORDS), text


def test_the_generic_recurring_kind_says_nothing_of_repairs() -> None:
    section = Section("safety", "校园安全", subject="安全检查", parts=[Part("p", "巡查", facts=[Fact("s.rounds", "开展安全巡查", 40, unit="次")])],
                      problems=[Problem("safety.gate", "recurring", "东门门禁故障", count=4, unit="次")])
    blocks = {b.key: b.text for b in compose(context(), [section]).blocks}
    assert "本学期共出现4次" in blocks["problems.safety.gate"]
    assert not any(word in text for text in blocks.values() for word in REPAIR_WORDS)


def test_a_problem_of_an_unregistered_kind_is_refused_by_name() -> None:
    section = Section("x", "某项工作", parts=[Part("p", "p", facts=[Fact("x.n", "完成", 3)])],
                      problems=[Problem("x.p", "no-such-kind", "某事", count=1)])
    with pytest.raises(LookupError, match="no-such-kind"):
        compose(context(), [section])


def test_the_composer_holds_no_repairs_wording() -> None:
    from pathlib import Path

    import logistics.reports.composer as composer

    source = Path(composer.__file__).read_text(encoding="utf-8")
    assert not [word for word in (*REPAIR_WORDS, "repair") if word in source]
