"""URLs of the projects and targets pages and of the activity report (Sachbericht)."""

from django.urls import path

from bruecke.reporting.views import activity, projects

urlpatterns = [
    path("projects/", projects.project_list, name="project_list"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/targets/new/", projects.target_create, name="target_create"),
    path("targets/<int:pk>/edit/", projects.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", projects.target_delete, name="target_delete"),
    path("targets/<int:pk>/progress/", projects.target_progress_add, name="target_progress"),
    path("activity/", activity.activity, name="activity"),
]
