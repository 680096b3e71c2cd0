from django.urls import path

from bruecke.cases import views

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
]
