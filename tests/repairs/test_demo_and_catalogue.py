from __future__ import annotations

import io
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from logistics.models import School, Term
from repairs.models import Material, Status, Ticket, TicketCounter

CATALOGUE = Path(settings.BASE_DIR) / "repairs" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []
    assert CATALOGUE.with_suffix(".mo").exists()


@pytest.mark.django_db(transaction=False)
def test_the_demo_gives_a_plausible_term_with_every_status_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    school = School.objects.get(code="demo")
    tickets = Ticket.objects.for_school(school)
    count = tickets.count()
    term = Term.objects.for_school(school).current()
    assert 250 <= tickets.filter(submitted_at__date__gte=term.start).count() <= 400
    # Last term is there too, nearly all of it settled, for the term report's comparison.
    last_term = tickets.filter(submitted_at__date__range=(term.previous().start, term.previous().end))
    assert last_term.count() >= 200
    assert last_term.filter(status__in=[Status.ACCEPTED, Status.CLOSED, Status.CANCELLED, Status.MERGED]).count() >= 0.9 * last_term.count()
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    assert Material.objects.filter(ticket__school=school).exists()
    assert tickets.filter(rating__isnull=False).exists() and tickets.overdue().exists()
    numbers = list(tickets.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    # A ticket reported after the demo continues the numbering.
    year_counter = TicketCounter.objects.filter(school=school).order_by("-year").first()
    assert tickets.filter(number=f"BX{year_counter.year}-{year_counter.last:06d}").exists()
    call_command("seed_demo", stdout=out)
    assert tickets.count() == count


def test_the_office_edits_categories_and_sla_in_the_admin(client_for, logistics_admin, school):
    from repairs.models import Category, RepairSettings

    client = client_for(logistics_admin)
    response = client.post(reverse("admin:repairs_category_add"), {"name": "课桌椅", "order": 5, "is_active": "on"})
    assert response.status_code == 302 and Category.objects.get(name="课桌椅").school == school
    settings_row = RepairSettings.for_school(school)
    response = client.post(reverse("admin:repairs_repairsettings_change", args=[settings_row.pk]),
                           {"school": school.pk, "urgent_hours": 2, "normal_hours": 24, "low_hours": 120, "auto_accept_days": 5,
                            "max_quantity": 10000, "max_unit_cost": 50000, "max_line_cost": 200000, "max_labour_hours": 200,
                            "max_contractor_cost": 1000000})
    settings_row.refresh_from_db()
    assert (settings_row.urgent_hours, settings_row.auto_accept_days) == (2, 5)


def test_the_ticket_admin_lists_only_the_current_school(client_for, logistics_admin, ticket, other_school, outsider, other_room):
    from tests.repairs.conftest import submit
    from repairs.models import Category

    Category.ensure_defaults(other_school)
    theirs = submit(other_school, outsider, other_room, Category.objects.get(school=other_school, name="水"))
    page = client_for(logistics_admin).get(reverse("admin:repairs_ticket_changelist")).content.decode()
    assert ticket.number in page and f"/{theirs.pk}/change/" not in page
