"""URLs of the placement app: opportunities."""

from django.urls import URLPattern, path

from bruecke.placement.views import opportunities as views

urlpatterns: list[URLPattern] = [
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/status/", views.opportunity_status, name="opportunity_status"),
]
