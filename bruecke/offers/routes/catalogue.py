"""URLs of the offers app: the catalogue of measures and providers."""

from django.urls import URLPattern, path

from bruecke.offers.views import placeholder

urlpatterns: list[URLPattern] = [
    path("measures/", placeholder.placeholder, name="measure_list"),
]
