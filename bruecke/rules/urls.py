from django.urls import path

from bruecke.rules import views, views_notes

app_name = "rules"
urlpatterns = [
    path("participant/<int:pk>/", views.question, name="question"),
    path("participant/<int:pk>/print/", views.answer_print, name="print"),
    path("overview/", views.rule_overview, name="overview"),
    path("notes/", views_notes.notes, name="notes"),
    path("notes/<int:organisation>/<str:step>/", views_notes.note_edit, name="note_edit"),
]
