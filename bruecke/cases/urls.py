from django.urls import path

from bruecke.cases.views import barriers, case_edit, cases, contacts, page, transfer

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("<int:pk>/edit/", case_edit.case_edit, name="edit"),
    path("<int:pk>/pause/", case_edit.case_pause, name="pause"),
    path("<int:pk>/resume/", case_edit.case_resume, name="resume"),
    path("<int:pk>/delete/", case_edit.case_delete, name="delete"),
    path("<int:pk>/transfer/", transfer.transfer_request, name="transfer_request"),
    path("transfers/incoming/", transfer.transfers_incoming, name="transfers_incoming"),
    path("transfers/<int:pk>/", transfer.transfer_decide, name="transfer_decide"),
    path("transfers/<int:pk>/withdraw/", transfer.transfer_withdraw, name="transfer_withdraw"),
]
