"""The ESF indicator report and the lists behind its numbers."""

from django.urls import URLPattern, path

from bruecke.reporting.views import indicators

urlpatterns: list[URLPattern] = [
    path("indicators/", indicators.indicator_report, name="indicators"),
    path("indicators/participants/", indicators.indicator_participants, name="indicator_participants"),
    path("indicators/incomplete/", indicators.indicator_incomplete, name="indicator_incomplete"),
]
