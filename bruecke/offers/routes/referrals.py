"""URLs of the offers app: closed-loop referrals."""

from django.urls import URLPattern, path

from bruecke.offers.views import placeholder

urlpatterns: list[URLPattern] = [
    path("referrals/", placeholder.placeholder, name="referral_list"),
]
