"""URLs of the placement app: dashboard."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
