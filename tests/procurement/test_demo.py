"""The demo: a term of requests in every state for the demo school, the projector purchase on the
ledger, numbering that continues, idempotent."""

from __future__ import annotations

import io

import pytest

from assets.models import AssetCard
from logistics.demo import DEMO_CODE, seed_core
from logistics.models import School
from procurement import demo, services
from procurement.models import ApprovalStep, Requisition, RequisitionCounter, Status, StepStatus
from tests.procurement.factories import line


@pytest.mark.django_db
def test_the_demo_has_every_state_and_the_projectors_on_the_ledger():
    school = School.objects.create(code=DEMO_CODE, name="新城实验中学")
    out = io.StringIO()
    seed_core(school, size="small", stdout=out)
    demo.seed(school, size="small", stdout=out)
    reqs = Requisition.objects.for_school(school)
    assert reqs.count() == demo.SIZES["small"] + 1
    assert set(reqs.values_list("status", flat=True)) >= {Status.DRAFT, Status.PENDING, Status.APPROVED, Status.ORDERED, Status.ACCEPTED}
    projectors = reqs.get(purpose="初二年级多媒体教室更换投影机")
    assert projectors.status == Status.ACCEPTED
    assert AssetCard.objects.filter(school=school, supplier="华信科技有限公司", name="投影机").count() == 8
    # Every pending request has exactly one step waiting first, with the time it started waiting.
    for req in reqs.filter(status=Status.PENDING):
        waiting = ApprovalStep.objects.filter(requisition=req, status=StepStatus.WAITING, waiting_since__isnull=False)
        assert waiting.count() == 1
    numbers = [n for n in reqs.values_list("number", flat=True) if n]
    assert len(numbers) == len(set(numbers))
    # A request after the demo continues the numbering.
    teacher = projectors.requester
    new = services.requisition_submit(requisition=services.requisition_save(school=school, by=teacher, purpose="x", lines=[line()]), by=teacher)
    assert new.number not in numbers
    demo.seed(school, size="small", stdout=out)
    assert reqs.count() == demo.SIZES["small"] + 2
    assert RequisitionCounter.objects.filter(school=school).exists()
