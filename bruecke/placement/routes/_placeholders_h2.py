"""Placeholder for a page another part builds (the matching engineer's
`placement:opportunity_matches`); deleted before the merge."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _placeholder(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(status=404)


urlpatterns: list[URLPattern] = [
    path("opportunities/<int:pk>/matches/", _placeholder, name="opportunity_matches"),
]
