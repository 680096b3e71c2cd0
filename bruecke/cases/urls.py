from django.urls import path

from bruecke.cases.views import (
    barriers,
    caseload,
    cases,
    contacts,
    documents,
    exit,
    mobile,
    page,
    plan,
    profile,
)

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("<int:pk>/profile/", profile.profile_edit, name="profile_edit"),
    path("<int:pk>/documents/new/", documents.document_create, name="document_create"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
    path("<int:pk>/close/", exit.case_close, name="close"),
    path("<int:pk>/exit/", exit.exit_edit, name="exit_edit"),
    path("<int:pk>/follow-ups/new/", exit.follow_up_create, name="follow_up_create"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/", exit.follow_up_edit, name="follow_up_edit"),
    path("mobile/", mobile.mobile_record, name="mobile_record"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/<int:staff_pk>/without-contact/", caseload.caseload_stale, name="caseload_stale"),
    path("<int:pk>/plan/", plan.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/versions/<int:number>/", plan.plan_version, name="plan_version"),
    path("<int:pk>/plan/print/", plan.plan_print_view, name="plan_print"),
    path("<int:pk>/plan/print.pdf", plan.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan/steps/<int:step_pk>/done/", plan.plan_step_done, name="plan_step_done"),
]
