"""Routes of the cross-partner notice (added to the "dedupe" namespace)."""

from django.urls import path

from bruecke.dedupe.crosspartner import views

urlpatterns = [
    path("cross/<int:participant>/<int:match>/confirm/", views.match_confirm, name="cross_confirm"),
    path("cross/<int:participant>/<int:match>/dismiss/", views.match_dismiss, name="cross_dismiss"),
]
