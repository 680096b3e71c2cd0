"""The product's URLs plus one view that fails, to test the error page (tests only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bruecke.urls import handler500
from bruecke.urls import urlpatterns as product_urls


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure with internal details: SELECT secret FROM table")


urlpatterns = [path("__fail__/", fail), *product_urls]
__all__ = ["handler500", "urlpatterns"]
