"""The product's URLs plus the benchmark's plain ticket list (ROOT_URLCONF during `bench repairs` only)."""

from __future__ import annotations

from django.urls import path

from bench.plain_views import PlainTicketList
from logistics.urls import urlpatterns as product_urlpatterns

urlpatterns = [*product_urlpatterns, path("bench/plain-tickets/", PlainTicketList.as_view(), name="bench-plain-tickets")]
