"""URLs of the offers app: closed-loop referrals."""

from django.urls import URLPattern, path

from bruecke.offers.views import referrals as views

urlpatterns: list[URLPattern] = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("cases/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/step/", views.referral_step, name="referral_step"),
    path("referrals/incoming/", views.referral_incoming, name="referral_incoming"),
    path("referrals/incoming/<int:pk>/", views.referral_incoming_detail, name="referral_incoming_detail"),
]
