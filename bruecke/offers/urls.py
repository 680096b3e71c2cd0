"""The offers app's URLs: each area keeps its own list in `routes/`."""

from django.urls import URLPattern

from bruecke.offers.routes import catalogue, groups, network_work, pathways, referrals

app_name = "offers"

urlpatterns: list[URLPattern] = [
    *catalogue.urlpatterns,
    *referrals.urlpatterns,
    *pathways.urlpatterns,
    *groups.urlpatterns,
    *network_work.urlpatterns,
]
