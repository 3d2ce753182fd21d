"""QR labels and scanning: a sheet per room or batch with each card's code, a label opening the card
for someone who may see it, and "not found" for another school's label or a card out of sight."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from assets.qr import card_url, number_from_scan
from tests.assets.conftest import register
from tests.assets.factories import CardFactory

SCAN = reverse("assets:scan")


def test_a_room_sheet_holds_a_label_per_card_with_number_name_and_school(client_for, school, logistics_admin, teacher, room):
    a = register(school, logistics_admin, room=room, name="投影机")
    b = register(school, logistics_admin, room=room, name="电脑")
    register(school, logistics_admin, name="库房里的")
    response = client_for(logistics_admin).get(reverse("assets:labels"), {"room": room.pk})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("data-card=") == 2 and "<svg" in page
    assert a.number in page and "投影机" in page and school.name in page
    batch = client_for(logistics_admin).get(reverse("assets:labels"), {"numbers": f"{b.number}, nope"}).content.decode()
    assert batch.count("data-card=") == 1
    assert client_for(teacher).get(reverse("assets:labels"), {"room": room.pk}).status_code == 403
    assert client_for(logistics_admin).get(reverse("assets:labels"), {"room": 10**22}).status_code == 404


def test_scanning_opens_a_visible_card_and_says_not_found_otherwise(client_for, school, other_school, logistics_admin, teacher, outsider,
                                                                    other_room):
    mine = register(school, logistics_admin, custodian=teacher)
    hidden = register(school, logistics_admin)
    foreign = CardFactory(school=other_school, number="A02010105-2019-0042", room=other_room)
    client = client_for(teacher)
    opened = client.get(SCAN, {"n": card_url(mine.number)})  # the label's whole address, as a camera reads it
    assert opened.status_code == 302 and opened.url == mine.get_absolute_url()
    for number in (hidden.number, foreign.number, "9" * 23, "<script>x</script>"):
        response = client.get(SCAN, {"n": number})
        assert response.status_code == 404 and "<script>x" not in response.content.decode()
    assert client_for(outsider).get(SCAN, {"n": foreign.number}).status_code == 302
    assert client.get(SCAN).status_code == 200


def test_number_from_scan_reads_a_label_address_or_a_typed_number():
    assert number_from_scan(f"https://school.example/assets/scan/?n={quote('A02-2026-0001')}") == "A02-2026-0001"
    assert number_from_scan("  A02-2026-0001 ") == "A02-2026-0001"
    assert len(number_from_scan("x" * 500)) == 40


def test_asset_labels_are_not_called_repair_labels(client_for, logistics_admin):
    """"QR labels" was translated once, for the rooms' repair labels: the asset pages said 报修二维码标签."""
    page = client_for(logistics_admin).get(reverse("assets:labels")).content.decode()
    assert "资产二维码标签" in page and "报修二维码标签" not in page.split("<main", 1)[1]
