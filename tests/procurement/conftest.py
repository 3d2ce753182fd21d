from __future__ import annotations

from typing import Any

import pytest

from logistics.models import Role
from tests.factories import member


@pytest.fixture
def vice(school: Any) -> Any:
    return member(school, Role.STAFF, Role.VICE_PRINCIPAL, username="vice", full_name="吴副校长")


@pytest.fixture
def finance(school: Any) -> Any:
    return member(school, Role.STAFF, Role.FINANCE, username="finance", full_name="孙会计")


@pytest.fixture
def chain(logistics_admin: Any, vice: Any, principal: Any) -> tuple[Any, Any, Any]:
    """The three approvers of the default tiers, in order."""
    return logistics_admin, vice, principal
