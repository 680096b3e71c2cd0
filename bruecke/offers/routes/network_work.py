"""URLs of the offers app: trainings for partners, awareness events, cooperation partners."""

from django.urls import URLPattern, path

from bruecke.offers.views import network_work as views

urlpatterns: list[URLPattern] = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/materials/new/", views.material_upload, name="training_material_upload"),
    path("trainings/materials/<int:pk>/", views.material_download, name="training_material_download"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("cooperation-partners/", views.partner_list, name="partner_list"),
    path("cooperation-partners/new/", views.partner_create, name="partner_create"),
    path("cooperation-partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("cooperation-partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path(
        "cooperation-partners/<int:pk>/contacts/new/",
        views.partner_contact_create,
        name="partner_contact_create",
    ),
    path(
        "cooperation-partners/<int:pk>/meetings/new/",
        views.partner_meeting_create,
        name="partner_meeting_create",
    ),
]
