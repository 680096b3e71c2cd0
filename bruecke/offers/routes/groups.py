"""URLs of the offers app: group offers, sessions and attendance."""

from django.urls import URLPattern, path

from bruecke.offers.views import placeholder

urlpatterns: list[URLPattern] = [
    path("groups/", placeholder.placeholder, name="group_list"),
]
