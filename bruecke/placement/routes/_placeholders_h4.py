"""Throw-away stand-ins for URLs other engineers build (deleted before integration)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _placeholder(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("placeholder")


urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/matches/", _placeholder, name="case_matches"),
]
