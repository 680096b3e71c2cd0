"""The dashboards' URLs."""

from django.urls import URLPattern, path

from bruecke.reporting.views import dashboards

urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboards.dashboard, name="dashboard"),
]
