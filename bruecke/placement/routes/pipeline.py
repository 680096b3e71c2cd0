"""URLs of the placement app: pipeline, work-permission applications, placements, check-ins."""

from django.urls import URLPattern, path

from bruecke.placement.views import pipeline as views

urlpatterns: list[URLPattern] = [
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/new/", views.application_create, name="application_create"),
    path("pipeline/<int:pk>/", views.application_detail, name="application_detail"),
    path("pipeline/<int:pk>/move/", views.application_move, name="application_move"),
    path("pipeline/<int:pk>/permit/", views.permit_edit, name="permit_edit"),
    path("cases/<int:pk>/placement/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("check-ins/<int:pk>/", views.check_in_record, name="check_in_record"),
]
