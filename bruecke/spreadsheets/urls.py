"""Spreadsheet import (upload, mapping, dry run, import), its template, and the exports of
the list pages. Each part has its own route module."""

from bruecke.spreadsheets.routes import exports, imports, template

app_name = "spreadsheets"

urlpatterns = [*imports.urlpatterns, *template.urlpatterns, *exports.urlpatterns]
