"""Every count on the home cards equals the list it opens."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from repairs import services
from repairs.models import Ticket
from tests.repairs.conftest import submit


def _numbers(html: str) -> set[str]:
    return set(re.findall(r"BX\d{4}-\d{6}", html))


def test_the_repairers_count_equals_the_jobs_list(client_for, school, teacher, room, category, logistics_admin, repairer):
    tickets = [submit(school, teacher, room, category, description=f"故障{i}") for i in range(7)]
    for t in tickets:
        services.ticket_dispatch(ticket=t, by=logistics_admin, repairer=repairer)
    client = client_for(repairer)
    home = client.get(reverse("home")).content.decode()
    count = int(re.search(r'data-my-jobs>(\d+)<', home).group(1))
    jobs = _numbers(client.get(reverse("repairs:my-jobs")).content.decode().split("data-jobs")[1].split("</div>\n{% if")[0])
    assert count == 7 == len(jobs & {t.number for t in tickets})
    assert "全部 7 项" in home  # the card lists five and says how many there are


def test_the_reporters_counts_equal_the_lists_they_open(client_for, school, teacher, class_teacher, room, category, logistics_admin, repairer):
    mine = [submit(school, teacher, room, category, description=f"故障{i}") for i in range(7)]
    submit(school, class_teacher, room, category, description="别人的")
    for t in mine[:6]:
        services.ticket_dispatch(ticket=t, by=logistics_admin, repairer=repairer)
        services.ticket_start(ticket=t, by=repairer)
        services.ticket_mark_done(ticket=t, by=repairer, labour_hours=Decimal("1"))
    client = client_for(teacher)
    home = client.get(reverse("home")).content.decode()
    to_accept = int(re.search(r'data-to-accept="(\d+)"', home).group(1))
    done_list = client.get(reverse("repairs:ticket-list"), {"mine": "1", "status": "done"})
    open_list = client.get(reverse("repairs:ticket-list"), {"mine": "1", "status": "open"})
    assert to_accept == 6 == done_list.context["page"].count
    assert open_list.context["page"].count == 7 == Ticket.objects.filter(reporter=teacher).count()
    assert "7" in re.search(r"data-all-mine>([^<]+)<", home).group(1)


def test_the_dispatch_choice_shows_each_repairers_jobs_in_hand(client_for, school, teacher, room, category, logistics_admin, repairer):
    for i in range(3):
        services.ticket_dispatch(ticket=submit(school, teacher, room, category, description=f"故障{i}"), by=logistics_admin, repairer=repairer)
    page = client_for(logistics_admin).get(reverse("repairs:queue")).content.decode()
    assert "王师傅 · 在办 3" in page
    assert "data-dispatch-bar" in page and "data-phone-due" in page
