"""URLs of the exports: start, the user's exports, the funder's participant file."""

from django.urls import URLPattern, path

from bruecke.reporting.views import exports

urlpatterns: list[URLPattern] = [
    path("exports/", exports.export_list, name="exports"),
    path("exports/start/", exports.export_start, name="export_start"),
    path("funder-file/", exports.funder_file, name="funder_file"),
]
