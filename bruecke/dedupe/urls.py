"""Duplicate review, merge and the cross-partner notice (issue 19)."""

from django.urls import URLPattern

from bruecke.dedupe.review.urls import urlpatterns as review

app_name = "dedupe"

urlpatterns: list[URLPattern] = [*review]
