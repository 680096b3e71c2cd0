from django.urls import path

from bruecke.cases.views import barriers, caseload, cases, contacts, mobile, page

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("mobile/", mobile.mobile_record, name="mobile_record"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/<int:staff_pk>/without-contact/", caseload.caseload_stale, name="caseload_stale"),
]
