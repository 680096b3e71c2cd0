from django.urls import path

from bruecke.privacy import breach_views, views

app_name = "privacy"
urlpatterns = [
    path("participant/<int:pk>/access-report/", views.access_report, name="access_report"),
    path("participant/<int:pk>/access-report.pdf", views.access_report_pdf, name="access_report_pdf"),
    path(
        "participant/<int:pk>/access-report/pdf-job/",
        views.access_report_pdf_job,
        name="access_report_pdf_job",
    ),
    path("participant/<int:pk>/access-report.json", views.access_report_json, name="access_report_json"),
    path("breaches/", breach_views.breach_list, name="breach_list"),
    path("breaches/new/", breach_views.breach_create, name="breach_create"),
    path("breaches/<int:pk>/", breach_views.breach_edit, name="breach_edit"),
]
