"""URLs of the list exports: start one from a list page, the user's list exports."""

from django.urls import URLPattern, path

from bruecke.spreadsheets.views import exports

urlpatterns: list[URLPattern] = [
    path("exports/", exports.export_list, name="exports"),
    path("exports/<slug:key>/start/", exports.export_start, name="export_start"),
]
