"""Every role × every state: the card page shows a button exactly when the service accepts the step.

Both sides come from `assets.rules`, so this test catches a service that checks something its rule
does not (or the reverse). Each attempt runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import AssetCard, Status
from assets.rules import RULES, card_actions_for
from logistics.models import Role
from logistics.workflow import WorkflowError
from tests.assets.conftest import register
from tests.factories import member


def _attempts(holder: Any) -> dict[str, Callable[[AssetCard, Any], Any]]:
    """One call of the service behind each button, with valid input."""
    due = timezone.localdate() + dt.timedelta(days=5)
    return {
        "edit": lambda c, by: services.card_update(card=c, by=by, remarks="盘点时核对"),
        "issue": lambda c, by: services.card_issue(card=c, by=by, custodian=holder),
        "transfer": lambda c, by: services.card_transfer(card=c, by=by, custodian=holder),
        "take_back": lambda c, by: services.card_take_back(card=c, by=by),
        "lend": lambda c, by: services.card_lend(card=c, by=by, to="区教研室", due=due),
        "get_back": lambda c, by: services.card_get_back(card=c, by=by),
        "send_to_repair": lambda c, by: services.card_send_to_repair(card=c, by=by),
        "back_from_repair": lambda c, by: services.card_back_from_repair(card=c, by=by),
        "propose_disposal": lambda c, by: services.card_propose_disposal(card=c, by=by, reason="无法修复"),
    }


def _accepted(attempt: Callable[[AssetCard, Any], Any], card: AssetCard, user: Any) -> bool:
    with transaction.atomic():
        try:
            attempt(AssetCard.objects.get(pk=card.pk), user)
            return True
        except WorkflowError:
            return False
        finally:
            transaction.set_rollback(True)


@pytest.mark.parametrize("status", Status.values)
def test_a_button_is_shown_exactly_when_the_service_accepts_the_step(status, school, teacher, class_teacher, logistics_admin, principal,
                                                                     outsider):
    finance = member(school, Role.STAFF, Role.FINANCE, username="finance")
    holder = member(school, Role.STAFF, username="holder", full_name="张老师")
    people = {"holder": holder, "teacher": teacher, "class teacher": class_teacher, "office": logistics_admin, "principal": principal,
              "finance": finance, "other school": outsider}
    card = register(school, logistics_admin, custodian=teacher, original_value=Decimal("5000"))
    fields: dict[str, Any] = {"status": status}
    if status == Status.LENT:
        fields.update(lent_to="区教研室", lent_due=timezone.localdate())
    if status == Status.IDLE:
        fields.update(custodian=None)
    AssetCard.objects.filter(pk=card.pk).update(**fields)
    card = AssetCard.objects.get(pk=card.pk)
    attempts = _attempts(holder)
    assert set(attempts) == set(RULES), "every rule has its attempt here"
    mismatches, shown_somewhere = [], set()
    for who, user in people.items():
        shown = card_actions_for(card, user)
        for action, attempt in attempts.items():
            accepted = _accepted(attempt, card, user)
            if shown[action] != accepted:
                mismatches.append(f"{who} / {action}: button {'shown' if shown[action] else 'hidden'}, service {'accepts' if accepted else 'refuses'}")
            if shown[action]:
                shown_somewhere.add(action)
                assert who == "office", f"{who} may {action}"
    assert not mismatches, "\n".join(mismatches)
    expected = {
        Status.IDLE: {"edit", "issue", "lend", "send_to_repair", "propose_disposal"},
        Status.IN_USE: {"edit", "transfer", "take_back", "lend", "send_to_repair", "propose_disposal"},
        Status.LENT: {"edit", "get_back"},
        Status.UNDER_REPAIR: {"edit", "back_from_repair", "propose_disposal"},
        Status.PENDING_DISPOSAL: {"edit"},
        Status.DISPOSED: set(),
    }[status]
    assert shown_somewhere == expected


def test_the_card_page_draws_the_buttons_of_the_rules(client_for, school, logistics_admin, teacher):
    card = register(school, logistics_admin, custodian=teacher)
    page = client_for(logistics_admin).get(reverse("assets:card-detail", args=[card.pk])).content.decode()
    for action in ("transfer", "take_back", "lend", "send_to_repair", "propose_disposal", "edit"):
        assert f'data-action="{action}"' in page
    assert 'data-action="issue"' not in page and 'data-action="get_back"' not in page
