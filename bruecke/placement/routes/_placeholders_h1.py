"""THROW-AWAY placeholders (engineer h1) for URL names other engineers create: the start
page links to them. Deleted in h1's last commit; never merge this file."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _placeholder(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("placeholder")


urlpatterns: list[URLPattern] = [
    path("_h1/opportunities/<int:pk>/", _placeholder, name="opportunity_detail"),
    path("_h1/employers/<int:pk>/", _placeholder, name="employer_detail"),
    path("_h1/pipeline/", _placeholder, name="pipeline"),
    path("_h1/placements/<int:pk>/", _placeholder, name="placement_detail"),
]
