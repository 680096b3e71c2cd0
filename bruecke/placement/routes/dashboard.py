"""URLs of the placement app: dashboard."""

from django.urls import URLPattern, path  # noqa: F401

from bruecke.placement.routes import _placeholders_h1  # throw-away, removed before merging

urlpatterns: list[URLPattern] = [*_placeholders_h1.urlpatterns]
