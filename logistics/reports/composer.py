"""The composer: facts in, a 后勤工作总结 out (title, opening, 一、(一)1. sections, 存在的不足,
下学期工作打算, closing, office and date).

This is where report prose is written (an app's own kinds of problems bring their wording with
their registration, see `registry.problem_kind`). The document is Chinese by nature, so its sentences
are written here in Chinese (they are not interface strings). Every sentence frame has several
phrasings; `Phraser` picks them in a rotation seeded by the school and term, so the same input
always gives the same text and no frame repeats in consecutive uses. Facts that are zero or absent
are left out; a section without data is left out and named once in a single honest sentence.

Problems are worded by the kind their section chose (the generic kinds are registered below), so
nothing here knows any one app: a canteen problem is never worded as another app's.

The output is a list of `Block`s with stable keys ("s.safety.p.rounds", "problems.safety.overdue"),
so an edited paragraph can survive a regeneration of the others (see services.report_generate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from logistics.reports import numbers, registry
from logistics.reports.facts import Chart, Event, Fact, Link, Part, Problem, Ranking, Section, Table

DEFAULT_GUIDING_IDEA = "坚持为教育教学服务、为师生生活服务的宗旨，把校园安全放在首位，以制度规范管理，用记录改进服务"


@dataclass
class Block:
    key: str
    kind: str  # title, opening, h1, h2, para, item, table, chart, closing, signature, date
    text: str = ""
    links: list[list[str]] = field(default_factory=list)  # [figure as written, url or "" for a figure linked to nothing]
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.kind not in ("table", "chart")


@dataclass
class Context:
    school_name: str
    term_label: str
    term_code: str
    office_name: str = "后勤处"
    guiding_idea: str = ""
    date: dt.date | None = None
    kindergarten: bool = False
    has_previous: bool = True
    term_over: bool = True  # a report of a term still running says 截至11月25日, not 截至期末
    all_charts: bool = False  # every chart of a section; by default one per part (the first)

    @property
    def until(self) -> str:
        if self.term_over:
            return "截至期末"
        return f"截至{self.date.month}月{self.date.day}日" if self.date else "截至目前"

    @property
    def signature(self) -> str:
        """"<学校>后勤处": the office signs with the school's name before its own."""
        return self.office_name if self.office_name.startswith(self.school_name) else f"{self.school_name}{self.office_name}"

    @property
    def org(self) -> str:
        return "幼儿园" if self.kindergarten else "学校"

    @property
    def title(self) -> str:
        return f"{self.school_name}{self.term_label}后勤工作总结"


class Phraser:
    """Deterministic variety: each family of frames rotates from a seed, so consecutive uses differ."""

    def __init__(self, seed: str) -> None:
        self.seed = int(hashlib.sha1(seed.encode()).hexdigest()[:8], 16)
        self.used: dict[str, int] = {}

    def pick(self, family: str, options: Sequence[str]) -> str:
        n = self.used.get(family, 0)
        self.used[family] = n + 1
        return options[(self.seed + n) % len(options)]


# --- Frames ---------------------------------------------------------------------------------------
# Each list is one family; {…} are filled by the composer. Written for this product (see shared/reference
# for the genre; no sentence of those texts is used).

PERIOD_OPENERS = ["本学期共", "一学期来，共", "本学期累计", "学期内共", "本学期，共", "全学期"]
# A term still running: the first figures of a section say up to which day (never 全学期 or 一学期来).
RUNNING_OPENERS = ["{until}，本学期共", "{until}，本学期累计", "本学期开学至{day}，共"]
RUNNING_LATER_OPENERS = ["本学期共", "学期内共", "本学期，共"]
# When the first figure is an average, a rate or a score, "共" would be wrong.
MEASURE_OPENERS = ["本学期", "从时效看，", "学期内", "统计显示，"]
STATE_OPENERS = ["{org}现有", "目前{org}共有", "{until}，{org}有"]
MORE_OPENERS = ["", "同时，", "另外，"]
# After 同时/另外 a short opener reads better than a second time phrase ("同时，一学期来共…").
SHORT_PERIOD_OPENERS = ["共", "累计", "本学期共"]
RISE = ["较上学期增加{d}", "比上学期多{d}", "较上学期增长{p}"]
FALL = ["较上学期减少{d}", "比上学期少{d}", "较上学期下降{p}"]
RATE_UP = ["较上学期提高{d}个百分点", "比上学期上升{d}个百分点"]
RATE_DOWN = ["较上学期下降{d}个百分点", "比上学期回落{d}个百分点"]
SAME = ["与上学期持平", "与上学期基本相当"]
RANK_ONE = ["{label}全部为{a}（{av}）。", "从{label}看，均为{a}（{av}）。"]
RANK_TWO = [
    "从{label}看，{a}最多（{av}），其次是{b}（{bv}）。",
    "按{label}统计，{a}居首，共{av}；{b}次之，为{bv}。",
    "{label}方面，{a}（{av}）和{b}（{bv}）占了大部分。",
]
RANK_MANY = [
    "从{label}看，{a}最多（{av}），其次是{b}（{bv}）和{c}（{cv}）。",
    "按{label}统计，{a}居首，共{av}；{b}、{c}分列其后，分别为{bv}和{cv}。",
    "{label}方面，排在前三位的是{a}（{av}）、{b}（{bv}）和{c}（{cv}）。",
    "其中以{a}为多，达{av}，{b}和{c}次之，分别为{bv}、{cv}。",
]
TABLE_INTRO = ["具体情况见下表。", "详见下表。", "分项数据如下表。"]
OPENING = [
    "本学期，{office}在{org}的统一领导下，{idea}。{facts}现将本学期后勤工作总结如下：",
    "本学期，{office}按照{org}工作计划，{idea}，较好地完成了各项保障任务。{facts}现将有关情况总结如下：",
    "一学期来，{office}在{org}领导的关心支持下，{idea}。{facts}现将本学期工作总结如下：",
]
HEADLINE = ["从主要数据看，{clauses}。", "在日常保障方面，{clauses}。", "从各项记录看，{clauses}。"]
HEADLINE_RUNNING = ["{until}，{clauses}。", "开学以来，{clauses}。"]
EVENT_AMOUNT = ["，投入{money}", "，费用{money}"]
PROBLEMS_PER_SECTION = 3
GUARANTEED_PER_SECTION = 2
MAX_PROBLEMS = 6
EVENTS_PER_MONTH = 3  # beyond these, a month's other entries are counted in one clause
EVENTS_MORE = ["此外还完成{what}{n}项", "另有{what}{n}项"]
UNRECORDED = [
    "此外，本学期系统中未登记{subjects}方面的记录，相关工作未纳入本总结的统计。",
    "{subjects}等工作本学期未在系统中形成记录，本总结暂不涉及。",
]
EMPTY_TERM = [
    "本学期系统中尚无{records}，本总结仅简述{org}基本情况，各项工作的数据待登记后补充。",
    "由于本学期的后勤业务尚未在系统中登记，本总结只能反映{org}的基本情况。",
]
NO_PROBLEMS = [
    "从本学期的记录看，各项工作未暴露出突出问题，但记录本身仍有不够完整之处，需要在日常工作中继续查找薄弱环节。",
    "本学期的记录没有反映出明显的短板，{office}将继续对照记录，主动发现和解决工作中的薄弱环节。",
]
CLOSING = [
    "回顾本学期，后勤工作在保障教育教学、服务师生生活方面做了大量扎实细致的工作，也暴露出一些问题。下学期，{office}将认真总结经验，针对不足逐项整改，以更规范的管理、更及时的服务，为{org}各项工作提供有力保障。",
    "一学期来，后勤全体人员各司其职、任劳任怨，保证了{org}各项工作正常运转。新学期，我们将在巩固已有成绩的基础上正视问题、补齐短板，把后勤服务做得更细、更实、更好。",
    "总之，本学期后勤工作取得了一定成效，但与师生的期望相比仍有差距。{office}将以问题为导向，持续改进工作方法，努力为师生创造安全、整洁、便利的学习和工作环境。",
]
STANDING_PLANS = [
    ("standing.start", "开学前对校舍、水电设施和教学设备进行一次全面检查，把问题解决在开学之前。"),
    ("standing.records", "坚持各类业务当天登记、及时更新，使台账真实完整，为学期总结和上级检查提供可靠依据。"),
]

# 存在的不足 and 下学期工作打算: the generic kinds of problems any section may raise. A section whose
# problem needs its own words registers its own kind in its report.py (see registry.problem_kind).


def _count(p: Problem) -> str:
    return numbers.value("count", p.count, p.unit) if p.count is not None else ""


def _share(p: Problem) -> str:
    """"已完成工单的7.7%": what part of `total` the problem's count is."""
    share = numbers.percent(float(p.count) * 100 / float(p.total)) if p.count and p.total else ""
    return f"{p.total_label}的{share}" if share and p.total_label else share


def _overdue_detail(p: Problem, ctx: Context) -> str:
    share = _share(p)
    return f"本学期有{_count(p)}超过规定时限" + (f"，占{share}。" if share else "。")


def _open_detail(p: Problem, ctx: Context) -> str:
    share = _share(p)
    return f"{ctx.until}，仍有{_count(p)}未办结" + (f"，占{share}。" if share else "。")


def _low_rating_detail(p: Problem, ctx: Context) -> str:
    text = f"平均评分为{numbers.decimal1(p.value)}分（满分5分）"
    if p.target is not None:
        text += f"，低于{'全园' if ctx.kindergarten else '全校'}平均的{numbers.decimal1(p.target)}分"
    return text + (f"，涉及{_count(p)}。" if p.count is not None else "。")


def _low_rate_detail(p: Problem, ctx: Context) -> str:
    text = f"本学期为{numbers.percent(p.value)}"
    return text + (f"，未达到{numbers.percent(p.target)}的要求。" if p.target is not None else "。")


def _recurring_detail(p: Problem, ctx: Context) -> str:
    return f"本学期共出现{_count(p)}，需要从根本上查找原因。"


def _missing_detail(p: Problem, ctx: Context) -> str:
    return f"本学期应记未记{_count(p)}。"


registry.problem_kind(
    "overdue",
    leads=["{subject}办理不够及时", "部分{subject}未能在时限内完成"],
    detail=_overdue_detail,
    plans=["严格执行{subject}的时限要求，对临近时限的事项提前督办，切实提高按时办结率。", "完善{subject}的督办机制，逐日跟踪超时事项，做到事事有回音、件件有着落。"],
)
registry.problem_kind(
    "open",
    leads=["部分{subject}未能按期办结", "{subject}尚有遗留"],
    detail=_open_detail,
    plans=["开学前集中办结剩余的{count}{subject}，逐件落实责任人和完成时间。", "对尚未办结的{count}{subject}建立清单，限期销号。"],
)
registry.problem_kind(
    "low_rating",
    leads=["{subject}满意度偏低", "师生对{subject}的评价不高"],
    detail=_low_rating_detail,
    plans=["对{subject}逐件回访，查找评价偏低的原因，改进服务质量。", "针对{subject}评价不高的情况，加强人员培训和过程检查。"],
    measured_by="value",
)
registry.problem_kind(
    "low_rate",
    leads=["{subject}有待提高", "{subject}偏低"],
    detail=_low_rate_detail,
    plans=["力争将{subject}提高到{target}以上。", "采取有针对性的措施，使{subject}达到{target}。"],
    measured_by="value",
)
registry.problem_kind(
    "recurring",
    leads=["{subject}反复出现", "{subject}屡次出现"],
    detail=_recurring_detail,
    plans=["安排专项排查{subject}，找准原因，避免问题反复。", "对{subject}逐项分析原因，制定针对性措施，防止问题再次发生。"],
)
registry.problem_kind(
    "missing",
    leads=["{subject}存在缺漏", "{subject}不够完整"],
    detail=_missing_detail,
    plans=["补齐{subject}，落实专人每日检查、每周通报。", "加强{subject}的日常督查，做到应记尽记。"],
)


def _chosen_problems(body: list[Section]) -> list[Problem]:
    """Each part of the work has its say (its weightiest two), then the next most serious up to
    MAX_PROBLEMS in all, at most PROBLEMS_PER_SECTION from one section: a busy section cannot crowd
    the others out of 存在的不足, nor one section fill it alone."""
    ranked = [
        sorted((p for p in s.problems if registry.problem_kind_of(p.kind).present(p)), key=lambda p: -p.weight)[:PROBLEMS_PER_SECTION]
        for s in body
    ]
    chosen = [p for problems in ranked for p in problems[:GUARANTEED_PER_SECTION]]
    rest = sorted((p for problems in ranked for p in problems[GUARANTEED_PER_SECTION:]), key=lambda p: -p.weight)
    chosen += rest[: max(0, MAX_PROBLEMS - len(chosen))]
    return sorted(chosen, key=lambda p: -p.weight)


def _strip_end(text: str) -> str:
    return text.strip().rstrip("。；;，,.! ！")


@dataclass
class Composed:
    title: str
    blocks: list[Block]

    def as_data(self) -> list[dict[str, Any]]:
        return [asdict(b) for b in self.blocks]


class Composer:
    def __init__(self, context: Context, sections: list[Section]) -> None:
        self.ctx = context
        self.sections = sections
        self.phr = Phraser(f"{context.school_name}|{context.term_code}")
        self.blocks: list[Block] = []
        self.compare = True  # comparisons with last term (off for a running term without the same span)
        self.period_said = False

    # --- public ---------------------------------------------------------------------------------

    def compose(self) -> Composed:
        ctx = self.ctx
        self.blocks = [Block("title", "title", ctx.title)]
        opening = [s for s in self.sections if s.placement == "opening" and s.present]
        body = [s for s in self.sections if s.placement == "body" and s.present]
        empty = [s for s in self.sections if s.placement == "body" and not s.present and s.subject]
        self._opening(opening, body)
        number = 0
        for section in body:
            number += 1
            self._section(number, section)
        if empty and body:
            subjects = "、".join(s.subject for s in empty)
            self._para("body.unrecorded", self.phr.pick("unrecorded", UNRECORDED).format(subjects=subjects), [])
        problems = _chosen_problems(body)
        if body:
            number += 1
            self._problems(number, problems)
        number += 1
        self._plans(number, problems, bool(body))
        self._closing()
        return Composed(ctx.title, self.blocks)

    # --- pieces ---------------------------------------------------------------------------------

    def _subjects(self) -> str:
        """"食堂、安全检查": what the sections are about, for sentences naming the kinds of records."""
        return "、".join(s.subject for s in self.sections if s.placement == "body" and s.subject)

    def _para(self, key: str, text: str, links: list[list[str]], kind: str = "para", **data: Any) -> None:
        self.blocks.append(Block(key, kind, text, links, dict(data)))

    def _opening(self, opening: list[Section], body: list[Section]) -> None:
        ctx = self.ctx
        idea = _strip_end(ctx.guiding_idea or DEFAULT_GUIDING_IDEA)
        links: list[list[str]] = []
        facts_text = ""
        for section in opening:
            for part in section.parts:
                sentence, part_links = self._facts_sentence([f for f in part.facts if f.present], state=True, compare=False)
                if sentence:
                    facts_text += sentence
                    links += part_links
        headline = [f for s in body for f in s.facts if f.headline and f.present][:4]
        if headline:
            clauses, head_links = self._clauses(headline, compare=False)
            frames = HEADLINE if ctx.term_over else HEADLINE_RUNNING
            facts_text += self.phr.pick("headline", frames).format(clauses=clauses, until=ctx.until)
            links += head_links
        if not body:
            records = f"{self._subjects()}等业务记录" if self._subjects() else "业务记录"
            facts_text += self.phr.pick("empty-term", EMPTY_TERM).format(org=ctx.org, records=records)
        template = self.phr.pick("opening", OPENING)
        text = template.format(office=ctx.office_name, org=ctx.org, idea=idea, facts=facts_text)
        self._para("opening", text, links, kind="opening")

    def _section(self, number: int, section: Section) -> None:
        base = f"s.{section.key}"
        self.blocks.append(Block(f"{base}.h", "h1", f"{numbers.chinese_number(number)}、{section.title}"))
        # While the term runs, a comparison with last term is only honest over the same span.
        self.compare = self.ctx.term_over or section.same_span
        self.period_said = False
        parts = [p for p in section.parts if p.present]
        if section.events and not any(p.events for p in parts):
            parts.insert(0, Part("events", section.events_title, events=section.events))
        with_headings = len(parts) > 1
        for i, part in enumerate(parts, start=1):
            key = f"{base}.{part.key}"
            if with_headings:
                self.blocks.append(Block(f"{key}.h", "h2", f"（{numbers.chinese_number(i)}）{part.title}"))
            # A part under its own heading starts afresh: 同时/另外 may only continue a paragraph.
            self._part_body(key, part, first=(i == 1 or with_headings))
        charts = [c for c in section.charts if any(any(v for v in values) for _, values in c.series)]
        if parts and any(p.chart for p in parts) and not self.ctx.all_charts:
            charts = []  # the part's own chart stands beside its text; the section's others are optional
        for chart in charts if self.ctx.all_charts else charts[:1]:
            self.blocks.append(Block(f"{base}.chart.{chart.key}", "chart", chart.title, data=_chart_data(chart)))

    def _part_body(self, key: str, part: Part, *, first: bool) -> None:
        if part.events:
            events_text, events_links = self._events(part.events)
            self._para(f"{key}.events", events_text, events_links)
            first = True
        facts = [f for f in part.facts if f.present]
        text, links = self._facts_sentence(facts, state=False, compare=True, more=not first)
        if part.note:  # a provider's own sentence, closed if it was not ("新增投影机8台" → "新增投影机8台。")
            text += part.note if part.note.endswith(("。", "！", "？")) else part.note + "。"
        ranking_text, ranking_links = self._ranking(part.ranking) if part.ranking else ("", [])
        text += ranking_text
        links += ranking_links
        if part.table and part.table.rows:
            text += self.phr.pick("table-intro", TABLE_INTRO)
        if text:
            self._para(f"{key}.p", text, links)
        if part.table and part.table.rows:
            self.blocks.append(Block(f"{key}.table", "table", part.table.title, data=_table_data(part.table)))
        if part.chart and any(any(v for v in values) for _, values in part.chart.series):
            self.blocks.append(Block(f"{key}.chart", "chart", part.chart.title, data=_chart_data(part.chart)))
        n = 0
        for item in part.items:
            if not item.present:
                continue
            n += 1
            item_text, item_links = self._facts_sentence([f for f in item.facts if f.present], state=False, compare=True)
            if item.ranking:
                r_text, r_links = self._ranking(item.ranking)
                item_text += r_text
                item_links += r_links
            lead = f"{n}.{item.title}。"
            self._para(f"{key}.{item.key}", lead + item_text, item_links, kind="item", lead=lead)

    # --- sentences ------------------------------------------------------------------------------

    def _facts_sentence(self, facts: list[Fact], *, state: bool, compare: bool, more: bool = False) -> tuple[str, list[list[str]]]:
        if not facts:
            return "", []
        groups: list[list[Fact]] = [[]]
        for f in facts:
            if f.sentence_break and groups[-1]:
                groups.append([])
            groups[-1].append(f)
        text = ""
        links: list[list[str]] = []
        for n, group in enumerate(groups):
            clauses, group_links = self._clauses(group, compare=compare)
            links += group_links
            text += (self._opener(group[0], state=state, more=more) if n == 0 else "") + clauses + "。"
        return text, links

    def _opener(self, first: Fact, *, state: bool, more: bool) -> str:
        if state:
            return self.phr.pick("state-opener", STATE_OPENERS).format(org=self.ctx.org, until=self.ctx.until)
        opener = self.phr.pick("more-opener", MORE_OPENERS) if more else ""
        if first.kind in ("count", "money"):
            if opener:
                return opener + self.phr.pick("short-opener", SHORT_PERIOD_OPENERS)
            if not self.ctx.term_over:
                said, self.period_said = getattr(self, "period_said", False), True
                if said:
                    return self.phr.pick("running-later", RUNNING_LATER_OPENERS)
                day = f"{self.ctx.date.month}月{self.ctx.date.day}日" if self.ctx.date else ""
                return self.phr.pick("running-opener", RUNNING_OPENERS).format(until=self.ctx.until, day=day)
            return self.phr.pick("period-opener", PERIOD_OPENERS)
        if opener:
            return opener.rstrip("，") + "，"
        return self.phr.pick("measure-opener", MEASURE_OPENERS)

    def _clauses(self, facts: list[Fact], *, compare: bool) -> tuple[str, list[list[str]]]:
        """"排查隐患312处，较上学期增加24处；整改298处，整改率95.5%": a comparison closes with ；."""
        out = ""
        links: list[list[str]] = []
        compared = 0
        previous_had_comparison = False
        for i, f in enumerate(facts):
            figure = numbers.fact(f)
            # An unlinked figure keeps its place in the list (url ""): linked_text links the figures
            # in order, so a later figure written the same ("1件") is not linked here instead.
            links.append([figure, (f.link.url if f.link else None) or ""])
            # "冷媒R410A 1334千克": a label ending in a Latin letter or digit would run into the number.
            clause = f"{f.label}{' ' if f.label[-1:].isascii() and f.label[-1:].isalnum() else ''}{figure}"
            clause += f.note
            cmp, cmp_figure = self._comparison(f) if compare and compared < 2 else ("", "")
            if cmp:
                compared += 1
                clause += f"，{cmp}"
                if cmp_figure:
                    links.append([cmp_figure, (f.previous_link.url if f.previous_link else None) or ""])
            if i:
                out += "；" if previous_had_comparison else "，"
            out += clause
            previous_had_comparison = bool(cmp)
        return out, links

    def _comparison(self, f: Fact) -> tuple[str, str]:
        """The comparison with last term and the figure in it (linked to last term's records)."""
        if not self.ctx.has_previous or not getattr(self, "compare", True) or f.previous is None or f.value is None or f.kind == "score":
            return "", ""
        if f.kind == "rate":
            diff = float(f.value) - float(f.previous)
            if abs(diff) < 0.05:
                return self.phr.pick("same", SAME), ""
            d = numbers.decimal1(abs(diff))
            return self._same_period(self.phr.pick("rate-cmp", RATE_UP if diff > 0 else RATE_DOWN).format(d=d), f), f"{d}个百分点"
        diff = float(f.value) - float(f.previous)
        if diff == 0:
            return self.phr.pick("same", SAME), ""
        frames = RISE if diff > 0 else FALL
        template = self.phr.pick("cmp", frames)
        if "{p}" in template and not f.previous:
            template = frames[0]
        d = numbers.value(f.kind, abs(diff), f.unit)
        p = numbers.percent(abs(diff) * 100 / float(f.previous)) if f.previous else ""
        return self._same_period(template.format(d=d, p=p), f), (p if "{p}" in template else d)

    def _same_period(self, text: str, f: Fact) -> str:
        """While the term runs, figures are compared with the same span of last term: 上学期同期 (unless
        the figure is compared with the whole of last term)."""
        return text if self.ctx.term_over or f.whole_previous_term else text.replace("上学期", "上学期同期")

    def _events(self, events: list[Event]) -> tuple[str, list[list[str]]]:
        """"9月，完成…；更换…。10月，…": the part's notable work in time order, grouped by month."""
        groups: dict[str, list[Event]] = {}
        for e in sorted(events, key=lambda e: (e.date, e.key)):
            groups.setdefault(_month_label(e.date, e.end_date), []).append(e)
        text = ""
        links: list[list[str]] = []
        for label, group in groups.items():
            # A person's entries first, then the costliest of those added by rule; the rest counted.
            limit = EVENTS_PER_MONTH if len(group) > EVENTS_PER_MONTH + 1 else len(group)  # never "另有…1项"
            chosen = set(id(e) for e in sorted(group, key=lambda e: (e.by_rule, -float(e.amount or 0)))[:limit])
            clauses = []
            for e in group:
                if id(e) in chosen:
                    clause, clause_links = self._event_clause(e)
                    clauses.append(clause)
                    links += clause_links
            rest = [e for e in group if id(e) not in chosen]
            if rest:
                kinds = {e.kind_name for e in rest}
                what = kinds.pop() if len(kinds) == 1 and "其他" not in next(iter(kinds)) else "其他工作"
                clause = self.phr.pick("events-more", EVENTS_MORE).format(what=what, n=numbers.integer(len(rest)))
                money = sum(float(e.amount or 0) for e in rest)
                if money:
                    figure = numbers.money(money)
                    clause += f"，合计{figure}"
                    links.append([figure, ""])
                clauses.append(clause)
            text += f"{label}，{'；'.join(clauses)}。"
        return text, links

    def _event_clause(self, e: Event) -> tuple[str, list[list[str]]]:
        url = (e.link.url if e.link else None) or ""
        links: list[list[str]] = []
        text = _strip_end(e.title)
        if e.quantity:
            figure = numbers.value("count", e.quantity, e.unit) if float(e.quantity) == int(e.quantity) else f"{numbers.decimal1(e.quantity)}{e.unit}"
            text += figure
            links.append([figure, url])
        if e.people_count:
            figure = f"{numbers.integer(e.people_count)}人"
            text += f"，参与{figure}"
            links.append([figure, url])
        if e.amount:
            figure = numbers.money(e.amount)
            text += self.phr.pick("event-amount", EVENT_AMOUNT).format(money=figure)
            links.append([figure, url])
        return text, links

    def _ranking(self, ranking: Ranking) -> tuple[str, list[list[str]]]:
        items = [i for i in ranking.items if i.value][:3]
        if not items:
            return "", []
        fmt = [numbers.value(ranking.kind, i.value, ranking.unit) for i in items]
        links = [[v, (i.link.url if i.link else None) or ""] for v, i in zip(fmt, items)]
        values = {"label": ranking.label}
        for letter, item, v in zip("abc", items, fmt):
            values[letter], values[f"{letter}v"] = item.label, v
        frames = {1: RANK_ONE, 2: RANK_TWO}.get(len(items), RANK_MANY)
        return self.phr.pick(f"rank{len(items)}", frames).format(**values), links

    # --- 不足, 打算, closing --------------------------------------------------------------------

    def _problems(self, number: int, problems: list[Problem]) -> None:
        self.blocks.append(Block("problems.h", "h1", f"{numbers.chinese_number(number)}、存在的不足"))
        if not problems:
            self._para("problems.none", self.phr.pick("no-problems", NO_PROBLEMS).format(office=self.ctx.office_name), [])
            return
        for i, p in enumerate(problems, start=1):
            kind = registry.problem_kind_of(p.kind)
            lead = f"{i}.{self.phr.pick('lead-' + p.kind, kind.leads).format(subject=p.subject)}。"
            detail = kind.detail(p, self.ctx)
            links = []
            if p.link and p.count is not None and (url := p.link.url):
                links.append([numbers.value("count", p.count, p.unit), url])
            self._para(f"problems.{p.key}", lead + detail, links, kind="item", lead=lead)

    def _plans(self, number: int, problems: list[Problem], has_body: bool) -> None:
        self.blocks.append(Block("plans.h", "h1", f"{numbers.chinese_number(number)}、下学期工作打算"))
        items: list[tuple[str, str]] = []
        for p in problems:
            count = numbers.value("count", p.count, p.unit) if p.count else ""
            target = numbers.percent(p.target) if p.target is not None else ""
            plans = registry.problem_kind_of(p.kind).plans
            text = self.phr.pick("plan-" + p.kind, plans).format(subject=p.subject, count=count, target=target)
            items.append((p.key, text))
        if not has_body:
            work = f"{self._subjects()}等日常工作" if self._subjects() else "各项日常工作"
            items.append(("records", f"把{work}及时登记入系统，使下学期的总结有据可依。"))
        for key, text in STANDING_PLANS:
            if len(items) >= 3:
                break
            items.append((key, text))
        for i, (key, text) in enumerate(items, start=1):
            self._para(f"plans.{key}", f"{i}.{text}", [], kind="item", lead="")

    def _closing(self) -> None:
        ctx = self.ctx
        self._para("closing", self.phr.pick("closing", CLOSING).format(office=ctx.office_name, org=ctx.org), [], kind="closing")
        self.blocks.append(Block("signature", "signature", ctx.signature))
        from logistics.models import chinese_date

        self.blocks.append(Block("date", "date", chinese_date(ctx.date or dt.date.today())))


def _month_label(start: dt.date, end: dt.date | None) -> str:
    """"10月", or "10月至11月" for work spanning months ("2026年12月至2027年1月" never: the term says the year)."""
    if end and (end.year, end.month) != (start.year, start.month):
        return f"{start.month}月至{end.month}月"
    return f"{start.month}月"


def _table_data(table: Table) -> dict[str, Any]:
    kinds = table.kinds or ["text"] * len(table.headers)
    rows = [[cell if kind == "text" else numbers.plain(kind, cell) for cell, kind in zip(row, kinds)] for row in table.rows]
    return {"title": table.title, "headers": table.headers, "rows": rows}


def _chart_data(chart: Chart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "categories": list(chart.categories),
        "series": [[name, [float(v or 0) for v in values]] for name, values in chart.series],
        "style": chart.style,
        "unit": chart.unit,
    }


def compose(context: Context, sections: list[Section]) -> Composed:
    return Composer(context, sections).compose()


__all__ = ["Block", "Composed", "Composer", "Context", "DEFAULT_GUIDING_IDEA", "Link", "compose"]
