"""The reporting app's URLs: each area keeps its own list in `routes/`."""

from django.urls import URLPattern, path

from bruecke.reporting.routes import dashboards, exports, indicators, projects
from bruecke.reporting.views import index

app_name = "reporting"

urlpatterns: list[URLPattern] = [
    path("", index.report_index, name="index"),
    *indicators.urlpatterns,
    *dashboards.urlpatterns,
    *projects.urlpatterns,
    *exports.urlpatterns,
]
