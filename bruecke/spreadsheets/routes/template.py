from django.urls import URLPattern, path

from bruecke.spreadsheets.views import template

urlpatterns: list[URLPattern] = [
    path("import/template/", template.import_template, name="import_template"),
]
