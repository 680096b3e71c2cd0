"""Duplicate review, merge and the cross-partner notice (issue 19)."""

from django.urls import URLPattern

app_name = "dedupe"

urlpatterns: list[URLPattern] = []
