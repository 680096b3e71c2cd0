from django.urls import path

from bruecke.cases.views import barriers, cases, contacts, page, plan

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("<int:pk>/plan/", plan.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/versions/<int:number>/", plan.plan_version, name="plan_version"),
    path("<int:pk>/plan/print/", plan.plan_print_view, name="plan_print"),
    path("<int:pk>/plan/print.pdf", plan.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan/steps/<int:step_pk>/done/", plan.plan_step_done, name="plan_step_done"),
]
