"""URLs of the placement app: opportunities."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
