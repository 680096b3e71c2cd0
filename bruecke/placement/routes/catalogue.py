"""URLs of the placement app: catalogue."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
