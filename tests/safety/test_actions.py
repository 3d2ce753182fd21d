"""Every role × every state: the hazard page shows a button exactly when the service accepts the step.

Both sides come from `safety.rules`, so this test catches a service that checks something its rule
does not (or the reverse). Each attempt runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from logistics.workflow import WorkflowError
from safety import services
from safety.models import Grade, Hazard, HazardStatus
from safety.rules import RULES, hazard_actions_for
from tests.safety.conftest import report


def _attempts(repairer: Any, category: Any) -> dict[str, Callable[[Hazard, Any], Any]]:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return {
        "assign": lambda h, by: services.hazard_assign(hazard=h, by=by, responsible=repairer, deadline=tomorrow),
        "five": lambda h, by: services.hazard_record_five(hazard=h, by=by, measures_in_place=True),
        "start": lambda h, by: services.hazard_start(hazard=h, by=by),
        "rectify": lambda h, by: services.hazard_rectify(hazard=h, by=by, measures="已整改"),
        "close": lambda h, by: services.hazard_close(hazard=h, by=by, verification="复查合格"),
        "send_back": lambda h, by: services.hazard_send_back(hazard=h, by=by, reason="未整改到位"),
        "withdraw": lambda h, by: services.hazard_withdraw(hazard=h, by=by, reason="误报"),
        "repair": lambda h, by: services.hazard_open_repair(hazard=h, by=by, category=category),
        "bureau": lambda h, by: services.hazard_report_to_bureau(hazard=h, by=by, report="校发〔2026〕12号"),
    }


def _accepted(attempt: Callable[[Hazard, Any], Any], hazard: Hazard, user: Any) -> bool:
    with transaction.atomic():
        try:
            attempt(Hazard.objects.get(pk=hazard.pk), user)
            return True
        except WorkflowError:
            return False
        finally:
            transaction.set_rollback(True)


CASES = [(s, g, five) for s in HazardStatus.values for g in Grade.values for five in ((False, True) if g == Grade.MAJOR else (False,))]


@pytest.mark.parametrize("status,grade,five", CASES)
def test_a_button_is_shown_exactly_when_the_service_accepts_the_step(
    status, grade, five, school, room, teacher, class_teacher, repairer, logistics_admin, principal, outsider, safety_officer
):
    from repairs.models import Category

    Category.ensure_defaults(school)
    category = Category.objects.get(school=school, name="其他")
    people = {"reporter": teacher, "colleague": class_teacher, "responsible": repairer, "safety officer": safety_officer,
              "office": logistics_admin, "principal": principal, "other school": outsider}
    hazard = report(school, teacher, room, grade=grade)
    fields: dict[str, Any] = {"status": status, "responsible": repairer, "deadline": timezone.localdate()}
    if status in (HazardStatus.TO_VERIFY, HazardStatus.CLOSED):
        fields.update(fixed_by=repairer, fixed_on=timezone.localdate(), measures="已整改")
    if five:
        fields.update(measures_in_place=True, funds_in_place=True, deadline_in_place=True, person_in_place=True, plan_in_place=True)
    Hazard.objects.filter(pk=hazard.pk).update(**fields)
    hazard = Hazard.objects.get(pk=hazard.pk)
    attempts = _attempts(repairer, category)
    assert set(attempts) == set(RULES), "every rule has its attempt here"
    mismatches, shown_somewhere = [], set()
    for who, user in people.items():
        shown = hazard_actions_for(hazard, user)
        for action, attempt in attempts.items():
            accepted = _accepted(attempt, hazard, user)
            if shown[action] != accepted:
                mismatches.append(f"{who} / {action}: button {'shown' if shown[action] else 'hidden'}, service {'accepts' if accepted else 'refuses'}")
            if shown[action]:
                shown_somewhere.add(action)
    assert not mismatches, "\n".join(mismatches)
    if status in (HazardStatus.OPEN, HazardStatus.TO_VERIFY):
        assert shown_somewhere, "someone can act on an open hazard"


def test_the_hazard_page_draws_the_buttons_of_the_rules(client_for, school, room, teacher, safety_officer):
    hazard = report(school, teacher, room)
    office = client_for(safety_officer).get(reverse("safety:hazard-detail", args=[hazard.pk])).content.decode()
    reporter = client_for(teacher).get(reverse("safety:hazard-detail", args=[hazard.pk])).content.decode()
    assert 'data-action="assign"' in office and 'data-action="withdraw"' in office and 'data-action="repair"' in office
    assert 'data-action="' not in reporter


# --- Drills: role × state, the page's forms against what the services accept ----------------------------

@pytest.mark.parametrize("state", ["planned", "held", "cancelled"])
def test_the_drill_page_offers_a_step_exactly_when_the_service_accepts_it(state, school, safety_officer, logistics_admin, principal, room,
                                                                          client_for):
    from safety.models import Drill
    from safety.services import drills

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    drill = drills.drill_plan(school=school, by=safety_officer, kind="fire", day=yesterday)
    if state == "held":
        drill = drills.drill_record(drill=drill, by=safety_officer, participants=10, evacuation_seconds=90, summary="有序")
    elif state == "cancelled":
        drill = drills.drill_cancel(drill=drill, by=safety_officer, reason="停课")
    attempts = {
        "record": (lambda d, by: drills.drill_record(drill=d, by=by, participants=12, evacuation_seconds=80, summary="更正"), "data-record-form"),
        "cancel": (lambda d, by: drills.drill_cancel(drill=d, by=by, reason="改期"), "data-cancel-form"),
        "hazard": (lambda d, by: drills.drill_raise_hazard(drill=d, by=by, room=room, category="fire", description="应急灯不亮"),
                   "data-hazard-form"),
    }
    for user in (safety_officer, logistics_admin, principal):
        page = client_for(user).get(reverse("safety:drill-detail", args=[drill.pk])).content.decode()
        for step, (attempt, marker) in attempts.items():
            with transaction.atomic():
                sid = transaction.savepoint()
                try:
                    attempt(Drill.objects.get(pk=drill.pk), user)
                    accepted = True
                except WorkflowError:
                    accepted = False
                transaction.savepoint_rollback(sid)
            assert (marker in page) == accepted, f"{user.username} · {state} · {step}: page {marker in page}, service {accepted}"
