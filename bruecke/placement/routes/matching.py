"""URLs of the placement app: matching."""

from django.urls import URLPattern, path

from bruecke.placement.views import matching

urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/matches/", matching.case_matches, name="case_matches"),
    path("opportunities/<int:pk>/matches/", matching.opportunity_matches, name="opportunity_matches"),
]
