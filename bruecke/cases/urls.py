from django.urls import path

from bruecke.cases.views import barriers, cases, contacts, exit, page

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("<int:pk>/close/", exit.case_close, name="close"),
    path("<int:pk>/exit/", exit.exit_edit, name="exit_edit"),
    path("<int:pk>/follow-ups/new/", exit.follow_up_create, name="follow_up_create"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/", exit.follow_up_edit, name="follow_up_edit"),
]
