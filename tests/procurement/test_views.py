"""The screens: who may open what (the access matrix), the request form's field errors, the journey
through the pages, fixed query counts on the lists, the paper forms and the export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assets.models import AssetCard
from procurement.models import Requisition, Status
from tests.procurement.factories import line, projector_class, submitted


def form_data(**extra):
    data = {
        "purpose": "多媒体教室更新投影机", "funding": "fiscal", "department": "", "needed_by": "", "budget_line": "",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "100",
        "lines-0-name": "投影机", "lines-0-spec": "5000流明", "lines-0-unit": "台", "lines-0-quantity": "8", "lines-0-unit_price": "4300",
        "lines-0-fixed_asset": "on", "lines-0-asset_class": str(projector_class().pk),
        "lines-1-name": "", "lines-1-quantity": "", "lines-1-unit_price": "",
    }
    data.update(extra)
    return data


def test_access_matrix_of_the_lists(access, client_for, school, teacher, logistics_admin, outsider):
    for name in ("requisition-list", "approvals", "requisition-create"):
        access(client_for, reverse(f"procurement:{name}"), {None: 302, teacher: 200, logistics_admin: 200})
    access(client_for, reverse("procurement:requisition-export"), {None: 302, teacher: 403, logistics_admin: 200})


def test_another_schools_request_is_404_everywhere(access, client_for, school, teacher, outsider, logistics_admin):
    req = submitted(school, teacher, [line()])
    for name in ("requisition-detail", "requisition-print", "requisition-edit", "requisition-order", "acceptance-create"):
        access(client_for, reverse(f"procurement:{name}", args=[req.pk]), {outsider: 404})
    for name in ("requisition-approve", "requisition-reject", "requisition-withdraw", "requisition-submit"):
        access(client_for, reverse(f"procurement:{name}", args=[req.pk]), {outsider: 404}, method="post")
    access(client_for, reverse("procurement:requisition-detail", args=[req.pk]), {None: 302, teacher: 200, logistics_admin: 200})
    huge = "/procurement/" + "9" * 23 + "/"
    assert client_for(teacher).get(huge).status_code == 404


def test_a_colleague_cannot_see_someone_elses_request(client_for, school, teacher):
    from tests.procurement.factories import person

    req = submitted(school, teacher, [line()])
    assert client_for(person(school)).get(req.get_absolute_url()).status_code == 404


def test_someone_outside_the_chain_cannot_approve_through_the_url(client_for, school, teacher, chain):
    from tests.procurement.factories import person

    req = submitted(school, teacher, [line()])
    stranger = person(school, "finance")
    client_for(stranger).post(reverse("procurement:requisition-approve", args=[req.pk]))
    client_for(teacher).post(reverse("procurement:requisition-approve", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == Status.PENDING and not req.steps.filter(status="approved").exists()


def test_bad_figures_are_refused_at_the_field_and_the_rest_kept(client_for, school, teacher):
    response = client_for(teacher).post(reverse("procurement:requisition-create"),
                                        form_data(**{"lines-0-unit_price": "4300.123", "lines-0-quantity": "-2"}))
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert "unit_price" in form.errors and "quantity" in form.errors
    html = response.content.decode()
    assert "多媒体教室更新投影机" in html and "5000流明" in html
    assert not Requisition.objects.exists()


def test_scripts_in_text_are_shown_as_text(client_for, school, teacher):
    client_for(teacher).post(reverse("procurement:requisition-create"), form_data(purpose="<script>alert(1)</script>=HYPERLINK(\"x\")"))
    req = Requisition.objects.get()
    html = client_for(teacher).get(req.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_whole_journey_through_the_pages(client_for, school, teacher, chain):
    logistics, vice, principal = chain
    response = client_for(teacher).post(reverse("procurement:requisition-create"), form_data(submit="1"))
    req = Requisition.objects.get()
    assert response.status_code == 302 and req.status == Status.PENDING and req.total == Decimal("34400.00")
    for who in chain:
        page = client_for(who).get(reverse("procurement:approvals"))
        assert req.number in page.content.decode()
        client_for(who).post(reverse("procurement:requisition-approve", args=[req.pk]), {"note": "同意"})
    req.refresh_from_db()
    assert req.status == Status.APPROVED
    client_for(logistics).post(reverse("procurement:requisition-order", args=[req.pk]), {
        "method": "quotes", "supplier": "华信科技有限公司", "amount": "34400", "ordered_on": "2026-11-20", "buyers": [logistics.pk, vice.pk],
        "contract_number": "HT-1", "quote_supplier_1": "华信", "quote_amount_1": "34400", "quote_supplier_2": "明达", "quote_amount_2": "35000",
        "quote_supplier_3": "天元", "quote_amount_3": "36000",
    })
    req.refresh_from_db()
    assert req.status == Status.ORDERED
    line_id = req.lines.get().pk
    client_for(logistics).post(reverse("procurement:acceptance-create", args=[req.pk]), {
        "accepted_on": "2026-11-25", "team": [logistics.pk, teacher.pk], "invoice_number": "FP-1", "spec_match": "on", "conclusion": "passed",
        f"received_{line_id}": "8", f"rejected_{line_id}": "0",
    })
    acceptance = req.acceptances.get()
    client_for(teacher).post(reverse("procurement:acceptance-confirm", args=[req.pk, acceptance.pk]))
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED
    assert AssetCard.objects.filter(school=school, supplier="华信科技有限公司", invoice_number="FP-1").count() == 8
    detail = client_for(teacher).get(req.get_absolute_url()).content.decode()
    assert detail.count("data-card") == 8
    assert client_for(teacher).get(reverse("procurement:acceptance-print", args=[req.pk, acceptance.pk])).status_code == 200
    paper = client_for(teacher).get(reverse("procurement:requisition-print", args=[req.pk])).content.decode()
    assert "同意" in paper and vice.display_name in paper


def test_a_supplier_without_a_name_is_a_field_error(client_for, school, teacher, chain):
    from procurement import services

    req = submitted(school, teacher, [line()])
    for who in chain[:2]:
        req = services.requisition_approve(requisition=req, by=who)
    response = client_for(chain[0]).post(reverse("procurement:requisition-order", args=[req.pk]),
                                         {"method": "direct", "supplier": "   ", "amount": "4300", "ordered_on": "2026-11-20", "contract_number": "HT-9"})
    assert response.status_code == 200 and "supplier" in response.context["form"].errors
    assert 'value="HT-9"' in response.content.decode()


# The person; the page's rows, their count, the department select: 4 for the list (the session,
# membership, roles, permissions and unread count are kept, logistics.options.kept). The approvals:
# the person's roles in place of the select, 4 too.
LIST_QUERIES, APPROVALS_QUERIES = 4, 4


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_costs_the_same_whatever_the_rows(client_for, school, teacher, logistics_admin, django_assert_num_queries, n):
    for _i in range(n):
        submitted(school, teacher, [line()])
    client = client_for(logistics_admin)
    client.get(reverse("procurement:requisition-list"))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("procurement:requisition-list")).status_code == 200
    with django_assert_num_queries(APPROVALS_QUERIES):
        page = client.get(reverse("procurement:approvals"))
    assert page.content.decode().count("data-status=") == n


def test_the_export_has_the_rows(client_for, school, teacher, logistics_admin):
    req = submitted(school, teacher, [line(quantity=8, price="4300")])
    response = client_for(logistics_admin).get(reverse("procurement:requisition-export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert req.number in values


def test_impossible_dates_are_field_errors_and_lists_still_answer(client_for, school, teacher, logistics_admin):
    response = client_for(teacher).post(reverse("procurement:requisition-create"), form_data(needed_by="9999-12-31"))
    assert response.status_code == 200 and "needed_by" in response.context["form"].errors
    assert not Requisition.objects.exists()
    for params in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"amount_min": "1e400"}, {"status": "nonsense"},
                   {"page": "99999999999999999999999"}, {"department": "99999999999999999999999"}):
        assert client_for(logistics_admin).get(reverse("procurement:requisition-list"), params).status_code == 200, params


def test_a_formula_in_a_purpose_is_exported_as_text(client_for, school, teacher, logistics_admin):
    submitted(school, teacher, [line()], purpose='=HYPERLINK("http://evil","x")')
    response = client_for(logistics_admin).get(reverse("procurement:requisition-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type != "f" for c in cells)


def test_the_new_request_form_sent_twice_makes_one_request(client_for, school, teacher):
    client = client_for(teacher)
    page = client.get(reverse("procurement:requisition-create")).content.decode()
    import re

    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    for _i in range(2):
        response = client.post(reverse("procurement:requisition-create"), form_data(token=token, submit="1"))
        assert response.status_code == 302
    req = Requisition.objects.get()
    assert req.status == Status.PENDING and req.steps.count() == 3


def test_only_finance_reaches_the_payment_button(access, client_for, school, teacher, logistics_admin, outsider):
    req = submitted(school, teacher, [line()])
    url = reverse("procurement:acceptance-pay", args=[req.pk, 1])
    access(client_for, url, {None: 302, teacher: 403, logistics_admin: 403, outsider: 403}, method="post")
