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
]
