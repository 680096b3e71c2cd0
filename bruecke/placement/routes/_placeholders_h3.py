"""Placeholder for the pipeline's `application_create` (built by the pipeline part) so the
matching pages can render their "propose" button in tests. Removed before integration."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotAllowed(["POST"])


urlpatterns: list[URLPattern] = [path("applications/new/", _placeholder, name="application_create")]
