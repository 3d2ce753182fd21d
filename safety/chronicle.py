"""Safety's 工作纪事 entries by rule (logistics.chronicle): each drill held, each training session,
each 重大 hazard closed. Written in Chinese (the report's language) whatever the person's language;
idempotent per (record, rule), so recording a drill again updates its entry unless a person edited it."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from logistics.chronicle.services import record_by_rule

DRILL_RULE = "safety.drill_held"
TRAINING_RULE = "safety.training_held"
MAJOR_RULE = "safety.major_hazard_closed"


def drill_held(drill: Any) -> Any:
    with translation.override("zh-hans"):
        title = drill.title or _("%(kind)s drill") % {"kind": drill.get_kind_display()}
        seconds = f"，疏散用时{drill.evacuation_seconds}秒" if drill.evacuation_seconds else ""
        summary = f"{drill.participants}人参加{seconds}。{drill.summary or ''}"
        return record_by_rule(drill, school=drill.school, domain="safety", kind="training", title=title, date=drill.day,
                              summary=summary[:2000], people_count=drill.participants, rule=DRILL_RULE)


def training_held(training: Any) -> Any:
    with translation.override("zh-hans"):
        summary = _("%(audience)s, %(hours)s hours, by %(trainer)s") % {
            "audience": training.audience, "hours": training.hours.normalize(), "trainer": training.trainer}
        return record_by_rule(training, school=training.school, domain="safety", kind="training", title=training.topic, date=training.day,
                              summary=summary, people_count=training.attendees_count, rule=TRAINING_RULE)


def major_hazard_closed(hazard: Any) -> Any:
    with translation.override("zh-hans"):
        title = _("Major hazard %(number)s rectified: %(text)s") % {"number": hazard.number, "text": hazard.description[:60]}
        return record_by_rule(hazard, school=hazard.school, domain="safety", kind="project", title=title[:120], date=hazard.closed_on,
                              summary=(hazard.measures or "")[:2000], rule=MAJOR_RULE)
