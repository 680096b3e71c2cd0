from django.urls import path

from bruecke.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("search/", views.participant_search, name="search"),
    path("new/", views.participant_create, name="create"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/residence/new/", views.residence_status_create, name="residence_create"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<int:pk>/scan/", views.consent_scan, name="consent_scan"),
    path("information-sheet/<str:language>/", views.info_sheet, name="info_sheet"),
]
