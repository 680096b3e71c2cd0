from django.urls import path

from bruecke.rules import views

app_name = "rules"
urlpatterns = [
    path("participant/<int:pk>/", views.question, name="question"),
    path("overview/", views.rule_overview, name="overview"),
]
