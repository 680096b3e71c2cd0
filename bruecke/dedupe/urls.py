"""Duplicate review, merge and the cross-partner notice (issue 19)."""

from django.urls import URLPattern

app_name = "dedupe"

urlpatterns: list[URLPattern] = []
from bruecke.dedupe.crosspartner.urls import urlpatterns as cross_partner_urls  # noqa: E402

urlpatterns += cross_partner_urls
