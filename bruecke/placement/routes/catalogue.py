"""URLs of the placement app: catalogue."""

from django.urls import URLPattern, path

from bruecke.placement.views import catalogue

urlpatterns: list[URLPattern] = [
    path("occupations/", catalogue.occupation_search, name="occupation_search"),
]
