"""URLs of the offers app: trainings for partners, awareness events, cooperation partners."""

from django.urls import URLPattern, path

from bruecke.offers.views import placeholder

urlpatterns: list[URLPattern] = [
    path("trainings/", placeholder.placeholder, name="training_list"),
]
