"""The buttons of the request page, role × state: drawn exactly when the service would accept the step."""

from __future__ import annotations

import pytest

from procurement import services
from procurement.rules import requisition_actions_for
from tests.procurement.factories import draft, line
from tests.procurement.test_services import order

EXPECTED = {
    # state: {who: the actions they get}
    "draft": {"teacher": {"edit", "submit", "withdraw"}, "logistics": set(), "vice": set()},
    "pending": {"teacher": {"edit", "withdraw"}, "logistics": {"approve", "reject"}, "vice": set()},
    "pending2": {"teacher": {"edit", "withdraw"}, "logistics": set(), "vice": {"approve", "reject"}},
    "rejected": {"teacher": {"edit", "submit"}, "logistics": set(), "vice": set()},
    "approved": {"teacher": set(), "logistics": {"order"}, "vice": set()},
    "ordered": {"teacher": set(), "logistics": {"accept"}, "vice": set()},
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_actions_by_role_and_state(state, school, teacher, chain):
    logistics, vice, principal = chain
    req = draft(school, teacher, [line(price="2000")])
    if state != "draft":
        req = services.requisition_submit(requisition=req, by=teacher)
    if state == "pending2":
        req = services.requisition_approve(requisition=req, by=logistics)
    if state == "rejected":
        req = services.requisition_reject(requisition=req, by=logistics, reason="重填")
    if state in ("approved", "ordered"):
        req = services.requisition_approve(requisition=services.requisition_approve(requisition=req, by=logistics), by=vice)
    if state == "ordered":
        req = order(req, logistics, [logistics, vice], quotes=[])
    people = {"teacher": teacher, "logistics": logistics, "vice": vice}
    for name, user in people.items():
        granted = {k for k, v in requisition_actions_for(req, user).items() if v}
        assert granted == EXPECTED[state][name], (state, name, granted)
