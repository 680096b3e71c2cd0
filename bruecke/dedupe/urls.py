"""Duplicate review, merge and the cross-partner notice."""

from django.urls import URLPattern

from bruecke.dedupe.crosspartner.urls import urlpatterns as cross_partner
from bruecke.dedupe.review.urls import urlpatterns as review

app_name = "dedupe"

urlpatterns: list[URLPattern] = [*review, *cross_partner]
