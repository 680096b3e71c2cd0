"""The placement app's URLs: each area keeps its own list in `routes/`."""

from django.urls import URLPattern

from bruecke.placement.routes import catalogue, dashboard, employers, links, matching, opportunities, pipeline

app_name = "placement"

urlpatterns: list[URLPattern] = [
    *employers.urlpatterns,
    *opportunities.urlpatterns,
    *catalogue.urlpatterns,
    *matching.urlpatterns,
    *pipeline.urlpatterns,
    *links.urlpatterns,
    *dashboard.urlpatterns,
]
