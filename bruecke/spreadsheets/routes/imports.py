"""URLs of the import flow."""

from django.urls import URLPattern, path

from bruecke.spreadsheets.views import mapping, run, upload

urlpatterns: list[URLPattern] = [
    path("imports/", run.import_list, name="import_list"),
    path("imports/new/", upload.import_upload, name="import_upload"),
    path("imports/<uuid:pk>/", run.import_run, name="import_run"),
    path("imports/<uuid:pk>/sheet/", upload.import_sheet, name="import_sheet"),
    path("imports/<uuid:pk>/columns/", mapping.import_columns, name="import_columns"),
    path("imports/<uuid:pk>/values/", mapping.import_values, name="import_values"),
    path("imports/<uuid:pk>/check/", run.import_check, name="import_check"),
    path("imports/<uuid:pk>/import/", run.import_start, name="import_start"),
    path("imports/<uuid:pk>/replace/", upload.import_replace, name="import_replace"),
]
