from django.urls import path

from bruecke.esf import views

app_name = "esf"
urlpatterns = [
    path("participants/<int:pk>/entry/", views.entry_edit, name="entry"),
    path("incomplete/", views.incomplete_list, name="incomplete"),
]
