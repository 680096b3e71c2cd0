from django.urls import path

from bruecke.privacy import views

app_name = "privacy"
urlpatterns = [
    path("participant/<int:pk>/access-report/", views.access_report, name="access_report"),
    path("participant/<int:pk>/access-report.pdf", views.access_report_pdf, name="access_report_pdf"),
    path("participant/<int:pk>/access-report.json", views.access_report_json, name="access_report_json"),
]
